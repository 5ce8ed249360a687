import path from "node:path";
import { type DuckDBConnection, DuckDBInstance, JsonDuckDBValueConverter } from "@duckdb/node-api";
import { AppError, Invalid } from "../../platform/errors.js";
import {
  type FileFormat,
  type IngestOptions,
  type IngestPart,
  type IngestResult,
  ingestParts,
} from "./duckdb-ingest.js";

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

export type { FileFormat, IngestOptions, IngestPart, IngestResult, RowPolicy } from "./duckdb-ingest.js";

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
  return identifierOf(path.basename(file, path.extname(file)));
}

/** A plain lower-case SQL name from any text: `Q1 Sales (EU)` → `q1_sales_eu`. */
export function identifierOf(text: string): string {
  const name = text
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

/** A quoted SQL identifier: `order` → `"order"`. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteString = (value: string) => `'${value.replaceAll("'", "''")}'`;

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

export class QueryCancelled extends AppError {
  constructor() {
    super(499, "query_cancelled", "The query was cancelled");
  }
}

/** How long a statement may run, and the signal that cancels it. */
export interface RunLimits {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** A result read as it is produced: its columns, then its rows in chunks. */
export interface StreamedResult {
  columns: ResultColumn[];
  /** Cells as DuckDB's JSON conversion gives them: decimals and big integers stay exact text. */
  chunks: AsyncGenerator<JsonValue[][]>;
  close(): void;
}

function columnsOf(names: string[], sourceTypes: string[]): ResultColumn[] {
  return names.map((name, index) => {
    const sourceType = sourceTypes[index] ?? "VARCHAR";
    return { name, sourceType, type: columnTypeOf(sourceType) };
  });
}

function rawCell(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

/**
 * Stops a connection's statement at its timeout or when its signal aborts, and says which
 * stopped it. An interrupt that reaches DuckDB before the statement starts is lost, so a
 * cancelled run is interrupted again until it ends.
 */
function watchRun(connection: DuckDBConnection, options: RunLimits) {
  let timedOut = false;
  let repeat: ReturnType<typeof setInterval> | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, options.timeoutMs);
  const abort = () => {
    connection.interrupt();
    repeat ??= setInterval(() => connection.interrupt(), 50);
  };
  options.signal?.addEventListener("abort", abort, { once: true });
  const stopped = (): AppError | undefined => {
    if (options.signal?.aborted) return new QueryCancelled();
    if (timedOut) return new QueryTimeout(options.timeoutMs);
    return undefined;
  };
  return {
    /** Throws when the run was cancelled or timed out, even if DuckDB finished it anyway. */
    check(): void {
      const reason = stopped();
      if (reason) throw reason;
    },
    failure(error: unknown): AppError {
      if (error instanceof AppError) return error;
      return stopped() ?? new QueryFailed((error as Error).message);
    },
    stop(): void {
      clearTimeout(timer);
      clearInterval(repeat);
      options.signal?.removeEventListener("abort", abort);
    },
  };
}

/**
 * One DuckDB database (a workspace's warehouse file, or in memory for the CLI). File access is
 * switched off and locked once the engine opens, except for `readableDirs`, where uploads wait
 * to be ingested and exports are written: no query can reach another file, whatever SQL gets
 * through.
 */
export async function openDuckEngine(options: { file: string; readableDirs: string[]; readOnly?: boolean }) {
  const instance = await DuckDBInstance.create(
    options.file,
    options.readOnly ? { access_mode: "READ_ONLY" } : {},
  );
  const setup = await instance.connect();
  // Loads run on one connection made before the settings lock, the only way it can report progress.
  const loader = await instance.connect();
  await loader.run("set enable_progress_bar = true");
  await loader.run("set enable_progress_bar_print = false");
  const dirs = options.readableDirs.map((dir) => quoteString(path.resolve(dir)));
  await setup.run(`set allowed_directories=[${dirs.join(", ")}]`);
  await setup.run("set enable_external_access=false");
  await setup.run("set lock_configuration=true");
  setup.closeSync();
  let loads: Promise<unknown> = Promise.resolve();

  /** Loads several files into their tables in one transaction (see `ingestParts`), one load at a time. */
  function ingestMany(parts: IngestPart[], options: IngestOptions = {}): Promise<IngestResult> {
    const run = loads.then(() => ingestParts(loader, parts, options));
    loads = run.catch(() => undefined);
    return run;
  }

  async function withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  }

  return {
    /**
     * Loads a file into a table in one transaction: a failed load leaves the table as it was.
     * `replace` swaps the table's contents; `append` adds rows to it (the columns must match).
     */
    async ingest(
      input: { file: string; table: string; format?: FileFormat } & Omit<
        IngestOptions,
        "drop" | "quarantine"
      >,
    ) {
      const format = input.format ?? formatOf(input.file);
      if (!format) throw new Invalid(`Unsupported file type: ${path.basename(input.file)}`);
      const { file, table, format: _, ...options } = input;
      const loaded = await ingestMany([{ file, table, format }], options);
      return { table, rows: loaded.tables[0]?.rows ?? 0 };
    },

    ingestMany,

    async tables(): Promise<string[]> {
      return withConnection(async (connection) => {
        const result = await connection.runAndReadAll(
          "select table_name from information_schema.tables where table_schema = 'main' order by table_name",
        );
        return result.getRowsJson().map((row) => String(row[0]));
      });
    },

    /** Runs one statement already passed by the SQL guard, stopping it after `timeoutMs`. */
    async query(sql: string, options: { maxRows: number } & RunLimits): Promise<QueryResult> {
      return withConnection(async (connection) => {
        const started = performance.now();
        const watch = watchRun(connection, options);
        try {
          watch.check();
          const reader = await connection.runAndReadAll(sql);
          watch.check();
          const columns = columnsOf(reader.columnNames(), reader.columnTypes().map(String));
          const raw = reader.getRowsJson();
          const truncated = raw.length > options.maxRows;
          const rows = raw
            .slice(0, options.maxRows)
            .map((row) => row.map((cell, index) => jsonCell(cell, columns[index]?.type ?? "other")));
          return { columns, rows, truncated, durationMs: performance.now() - started };
        } catch (error) {
          throw watch.failure(error);
        } finally {
          watch.stop();
        }
      });
    },

    /**
     * Runs one guarded statement and hands its rows over chunk by chunk (about 2,048 rows each),
     * as DuckDB produces them, with no row cap. Errors in starting the query throw here, before
     * any row; `close` (also called when the rows are read to the end or the reading stops)
     * stops the query and frees its connection.
     */
    async stream(sql: string, options: RunLimits): Promise<StreamedResult> {
      const connection = await instance.connect();
      const watch = watchRun(connection, options);
      let released = false;
      let fetching = false;
      let stopping = false;
      const release = () => {
        if (released) return;
        released = true;
        watch.stop();
        connection.closeSync();
      };
      // A connection must not close under a fetch in flight: interrupt it, and let the fetch end.
      const close = () => {
        stopping = true;
        if (fetching) connection.interrupt();
        else release();
      };
      const fetch = async () => {
        fetching = true;
        try {
          return await result.fetchChunk();
        } finally {
          fetching = false;
        }
      };
      let result: Awaited<ReturnType<DuckDBConnection["stream"]>>;
      // The first chunk is read here, so a query that fails as it starts fails before any row is sent.
      let first: Awaited<ReturnType<typeof fetch>>;
      try {
        watch.check();
        result = await connection.stream(sql);
        first = await fetch();
        watch.check();
      } catch (error) {
        release();
        throw watch.failure(error);
      }
      const columns = columnsOf(result.columnNames(), result.columnTypes().map(String));
      async function* chunks(): AsyncGenerator<JsonValue[][]> {
        try {
          for (let chunk = first; !stopping; chunk = await fetch()) {
            if (stopping) return;
            watch.check();
            if (!chunk || chunk.rowCount === 0) return;
            yield chunk.convertRows(JsonDuckDBValueConverter).map((row) => row.map(rawCell));
          }
        } catch (error) {
          if (stopping && !options.signal?.aborted) return;
          throw watch.failure(error);
        } finally {
          release();
        }
      }
      return { columns, chunks: chunks(), close };
    },

    /** Writes a guarded statement's whole result to a file (in an allowed directory) with COPY. */
    async copyTo(sql: string, file: string, format: "parquet", options: RunLimits): Promise<void> {
      const target = quoteString(path.resolve(file));
      await withConnection(async (connection) => {
        const watch = watchRun(connection, options);
        try {
          watch.check();
          await connection.run(`copy (${sql}\n) to ${target} (format ${format})`);
          watch.check();
        } catch (error) {
          throw watch.failure(error);
        } finally {
          watch.stop();
        }
      });
    },

    /** How many statements DuckDB's own parser sees: a second opinion beside the SQL guard. */
    async statementCount(sql: string): Promise<number> {
      return withConnection(async (connection) => (await connection.extractStatements(sql)).count);
    },

    close(): void {
      loader.closeSync();
      instance.closeSync();
    },
  };
}

export type DuckEngine = Awaited<ReturnType<typeof openDuckEngine>>;
