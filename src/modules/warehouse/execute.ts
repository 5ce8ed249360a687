import { Invalid } from "../../platform/errors.js";
import type { DuckEngine, QueryResult, RunLimits } from "./duckdb-engine.js";
import { type GuardedQuery, guardSql } from "./sql-guard.js";

/** The row cap of an export: none that a result could reach. */
export const UNCAPPED = Number.MAX_SAFE_INTEGER - 1;

/**
 * The guard (one SELECT over `tables`) and DuckDB's own statement count as a second opinion:
 * what every statement passes before it runs on a DuckDB warehouse.
 */
export async function guardForDuckDb(
  engine: Pick<DuckEngine, "statementCount">,
  sql: string,
  options: { tables: string[]; maxRows: number },
): Promise<GuardedQuery> {
  const guarded = guardSql(sql, { dialect: "duckdb", tables: options.tables, maxRows: options.maxRows });
  if ((await engine.statementCount(guarded.sql)) !== 1) throw new Invalid("Only one statement may run");
  return guarded;
}

/**
 * The one path by which SQL runs on a DuckDB warehouse, for the API and the CLI alike: the guard,
 * then the engine with its row cap and timeout.
 */
export async function runGuardedSql(
  engine: DuckEngine,
  sql: string,
  options: { tables: string[]; maxRows: number } & RunLimits,
): Promise<QueryResult> {
  const guarded = await guardForDuckDb(engine, sql, options);
  return engine.query(guarded.sql, {
    maxRows: options.maxRows,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
}
