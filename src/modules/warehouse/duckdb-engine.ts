import { existsSync } from "node:fs";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { AppError, Invalid } from "../../platform/errors.js";

/** The types Sightline shows; each database's own type is kept beside it. */
export type ColumnType = "integer" | "decimal" | "boolean" | "date" | "timestamp" | "text" | "other";

export interface ResultColumn {
  name: string;
  type: ColumnType;
  /** The engine's own type, e.g. `DECIMAL(10,2)`. */
  sourceType: string;
}

export type JsonValue = string | number | boolean | null;

export interface QueryResult {
  columns: ResultColumn[];
  rows: JsonValue[][];
  /** More rows existed than the cap allowed. */
  truncated: boolean;
  durationMs: number;
}

export type FileFormat = "csv" | "tsv" | "json" | "ndjson" | "parquet";

const formats: Record<string, FileFormat> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".parquet": "parquet",
};

export function formatOf(file: string): FileFormat | undefined {
  return formats[path.extname(file).toLowerCase()];
}

/** A table name from a file name: `Sales 2024.csv` → `sales_2024`. */
export function tableNameOf(file: string): string {
  const stem = path.basename(file, path.extname(file));
  const name = stem
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!name) return "data";
  return /^[0-9]/.test(name) ? `t_${name}` : name;
}

export function columnTypeOf(sourceType: string): ColumnType {
  const type = sourceType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(type)) {
    return "integer";
  }
  if (/^(DECIMAL|DOUBLE|FLOAT|REAL)/.test(type)) return "decimal";
  if (type === "BOOLEAN") return "boolean";
  if (type === "DATE") return "date";
  if (type.startsWith("TIMESTAMP")) return "timestamp";
  if (type === "VARCHAR" || type.startsWith("VARCHAR")) return "text";
  return "other";
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteString = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** JSON values of one cell: integers as numbers while exact, decimals as numbers, dates as ISO text. */
function jsonCell(value: unknown, type: ColumnType): JsonValue {
  if (value === null || value === undefined) return null;
  if (type === "integer") {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : String(value);
  }
  if (type === "decimal") return Number(value);
  if (type === "timestamp" && typeof value === "string") return value.replace(" ", "T");
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

export class QueryTimeout extends AppError {
  constructor(ms: number) {
    super(408, "query_timeout", `The query ran longer than ${Math.round(ms / 1000)} s and was stopped`);
  }
}

export class QueryFailed extends AppError {
  constructor(message: string) {
    super(400, "query_failed", message);
  }
}

/**
 * One DuckDB database (a workspace's warehouse file, or in memory for the CLI). File access is
 * switched off and locked once the engine opens, except for `readableDirs`, where uploads wait
 * to be ingested: no query can reach another file, whatever SQL gets through.
 */
export async function openDuckEngine(options: { file: string; readableDirs: string[] }) {
  const instance = await DuckDBInstance.create(options.file);
  const setup = await instance.connect();
  const dirs = options.readableDirs.map((dir) => quoteString(path.resolve(dir)));
  await setup.run(`set allowed_directories=[${dirs.join(", ")}]`);
  await setup.run("set enable_external_access=false");
  await setup.run("set lock_configuration=true");
  setup.closeSync();

  async function withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  }

  function reader(file: string, format: FileFormat): string {
    const at = quoteString(path.resolve(file));
    switch (format) {
      case "csv":
        return `read_csv(${at}, auto_detect = true, sample_size = 20480)`;
      case "tsv":
        return `read_csv(${at}, auto_detect = true, delim = '\\t', sample_size = 20480)`;
      case "json":
        return `read_json_auto(${at})`;
      case "ndjson":
        return `read_json_auto(${at}, format = 'newline_delimited')`;
      case "parquet":
        return `read_parquet(${at})`;
    }
  }

  return {
    /**
     * Loads a file into a table in one transaction: a failed load leaves the table as it was.
     * `replace` swaps the table's contents; `append` adds rows to it (the columns must match).
     */
    async ingest(input: {
      file: string;
      table: string;
      mode?: "replace" | "append";
      format?: FileFormat;
      /** The file's name as its owner knows it, for messages (the stored path is not shown). */
      label?: string;
    }) {
      const format = input.format ?? formatOf(input.file);
      if (!format) throw new Invalid(`Unsupported file type: ${path.basename(input.file)}`);
      if (!existsSync(input.file)) throw new Invalid(`No such file: ${input.file}`);
      const table = quoteIdent(input.table);
      return withConnection(async (connection) => {
        await connection.run("begin transaction");
        try {
          if (input.mode === "append") {
            await connection.run(`insert into ${table} by name select * from ${reader(input.file, format)}`);
          } else {
            await connection.run(
              `create or replace table ${table} as select * from ${reader(input.file, format)}`,
            );
          }
          await connection.run("commit");
        } catch (error) {
          await connection.run("rollback").catch(() => undefined);
          const label = input.label ?? path.basename(input.file);
          // DuckDB quotes the statement and the stored path; neither means anything to the user.
          const reason = (error as Error).message
            .split(/\n\s*\nLINE \d+:/)[0]
            ?.replaceAll(path.resolve(input.file), label)
            .trim();
          throw new QueryFailed(`Could not load ${label}: ${reason}`);
        }
        const counted = await connection.runAndReadAll(`select count(*) as n from ${table}`);
        return { table: input.table, rows: Number(counted.getRowsJson()[0]?.[0] ?? 0) };
      });
    },

    async tables(): Promise<string[]> {
      return withConnection(async (connection) => {
        const result = await connection.runAndReadAll(
          "select table_name from information_schema.tables where table_schema = 'main' order by table_name",
        );
        return result.getRowsJson().map((row) => String(row[0]));
      });
    },

    /** Runs one statement already passed by the SQL guard, stopping it after `timeoutMs`. */
    async query(
      sql: string,
      options: { maxRows: number; timeoutMs: number; signal?: AbortSignal },
    ): Promise<QueryResult> {
      return withConnection(async (connection) => {
        const started = performance.now();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          connection.interrupt();
        }, options.timeoutMs);
        const abort = () => connection.interrupt();
        options.signal?.addEventListener("abort", abort, { once: true });
        try {
          const reader = await connection.runAndReadAll(sql);
          const names = reader.columnNames();
          const sourceTypes = reader.columnTypes().map(String);
          const columns = names.map((name, index) => {
            const sourceType = sourceTypes[index] ?? "VARCHAR";
            return { name, sourceType, type: columnTypeOf(sourceType) };
          });
          const raw = reader.getRowsJson();
          const truncated = raw.length > options.maxRows;
          const rows = raw
            .slice(0, options.maxRows)
            .map((row) => row.map((cell, index) => jsonCell(cell, columns[index]?.type ?? "other")));
          return { columns, rows, truncated, durationMs: performance.now() - started };
        } catch (error) {
          if (timedOut) throw new QueryTimeout(options.timeoutMs);
          if (options.signal?.aborted) throw new AppError(499, "query_cancelled", "The query was cancelled");
          throw new QueryFailed((error as Error).message);
        } finally {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", abort);
        }
      });
    },

    /** How many statements DuckDB's own parser sees: a second opinion beside the SQL guard. */
    async statementCount(sql: string): Promise<number> {
      return withConnection(async (connection) => (await connection.extractStatements(sql)).count);
    },

    close(): void {
      instance.closeSync();
    },
  };
}

export type DuckEngine = Awaited<ReturnType<typeof openDuckEngine>>;
