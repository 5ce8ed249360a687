import { Invalid } from "../../platform/errors.js";
import type { DuckEngine, QueryResult } from "./duckdb-engine.js";
import { guardSql } from "./sql-guard.js";

/**
 * The one path by which SQL runs on a DuckDB warehouse, for the API and the CLI alike: the guard
 * (one SELECT over `tables`), DuckDB's own statement count as a second opinion, then the engine
 * with its row cap and timeout.
 */
export async function runGuardedSql(
  engine: DuckEngine,
  sql: string,
  options: { tables: string[]; maxRows: number; timeoutMs: number },
): Promise<QueryResult> {
  const guarded = guardSql(sql, { dialect: "duckdb", tables: options.tables, maxRows: options.maxRows });
  if ((await engine.statementCount(guarded.sql)) !== 1) throw new Invalid("Only one statement may run");
  return engine.query(guarded.sql, { maxRows: options.maxRows, timeoutMs: options.timeoutMs });
}
