import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Invalid } from "../../platform/errors.js";
import { type DuckEngine, formatOf, openDuckEngine, type QueryResult, tableNameOf } from "./duckdb-engine.js";
import { runGuardedSql } from "./execute.js";

export interface LocalTable {
  name: string;
  file: string;
  rows: number;
}

export const defaultLimits = { maxRows: 10_000, timeoutMs: 60_000 };

/**
 * A data file, or a directory of data files, loaded into an in-memory DuckDB: each file one
 * table named after its stem. This is what `sightline sql --source` and `sightline ask --source` query.
 */
export async function openLocalSource(source: string): Promise<{
  engine: DuckEngine;
  tables: LocalTable[];
  query(sql: string, limits?: Partial<typeof defaultLimits>): Promise<QueryResult>;
  close(): void;
}> {
  const resolved = path.resolve(source);
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(resolved);
  } catch {
    throw new Invalid(`No such file or directory: ${source}`);
  }
  if (!stats.isDirectory() && path.extname(resolved).toLowerCase() === ".duckdb")
    return openWarehouseFile(resolved);
  const files = stats.isDirectory()
    ? readdirSync(resolved)
        .filter((name) => formatOf(name) !== undefined)
        .sort()
        .map((name) => path.join(resolved, name))
    : [resolved];
  if (files.length === 0) {
    throw new Invalid(`${source} holds no data files (.csv, .tsv, .json, .ndjson, .jsonl, .parquet)`);
  }
  for (const file of files) {
    if (!formatOf(file)) {
      throw new Invalid(
        `${path.basename(file)} is not a supported data file (.csv, .tsv, .json, .ndjson, .jsonl, .parquet)`,
      );
    }
  }
  const engine = await openDuckEngine({
    file: ":memory:",
    readableDirs: [stats.isDirectory() ? resolved : path.dirname(resolved)],
  });
  try {
    const tables: LocalTable[] = [];
    const taken = new Set<string>();
    for (const file of files) {
      let name = tableNameOf(file);
      for (let n = 2; taken.has(name); n++) name = `${tableNameOf(file)}_${n}`;
      taken.add(name);
      const loaded = await engine.ingest({ file, table: name });
      tables.push({ name, file, rows: loaded.rows });
    }
    return {
      engine,
      tables,
      async query(sql, limits = {}) {
        const { maxRows, timeoutMs } = { ...defaultLimits, ...limits };
        return runGuardedSql(engine, sql, { tables: tables.map((table) => table.name), maxRows, timeoutMs });
      },
      close: () => engine.close(),
    };
  } catch (error) {
    engine.close();
    throw error;
  }
}

/**
 * A DuckDB warehouse file (as `sightline ingest` writes), opened read-only with no file access:
 * its base tables in the main schema are the tables (views are neither listed nor reachable).
 */
async function openWarehouseFile(file: string): ReturnType<typeof openLocalSource> {
  let engine: DuckEngine;
  try {
    engine = await openDuckEngine({ file, readableDirs: [], readOnly: true });
  } catch (error) {
    throw new Invalid(
      `${path.basename(file)} could not be opened as a DuckDB file: ${(error as Error).message}`,
    );
  }
  try {
    const listed = await engine.query(
      "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'main' and not internal and not temporary order by table_name",
      { maxRows: 100_000, timeoutMs: defaultLimits.timeoutMs },
    );
    const tables: LocalTable[] = [];
    for (const [name] of listed.rows) {
      const counted = await engine.query(`select count(*) from "${String(name).replaceAll('"', '""')}"`, {
        maxRows: 1,
        timeoutMs: defaultLimits.timeoutMs,
      });
      tables.push({ name: String(name), file, rows: Number(counted.rows[0]?.[0] ?? 0) });
    }
    if (tables.length === 0) throw new Invalid(`${path.basename(file)} holds no tables`);
    return {
      engine,
      tables,
      async query(sql, limits = {}) {
        const { maxRows, timeoutMs } = { ...defaultLimits, ...limits };
        return runGuardedSql(engine, sql, { tables: tables.map((table) => table.name), maxRows, timeoutMs });
      },
      close: () => engine.close(),
    };
  } catch (error) {
    engine.close();
    throw error;
  }
}
