import { realpathSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ColumnType, JsonValue, ResultColumn } from "../../warehouse/duckdb-engine.js";
import { QueryFailed, QueryTimeout } from "../../warehouse/duckdb-engine.js";
import { sqliteWorkerSource } from "./sqlite-worker.js";
import {
  ConnectionFailed,
  type Connector,
  jsonCell,
  QueryCancelled,
  qualifiedName,
  quoteName,
  type RemoteTable,
  type RunOptions,
  remoteColumnType,
  type SqliteSettings,
} from "./types.js";

const sqliteModule = createRequire(import.meta.url).resolve("node-sqlite3-wasm");

type Task =
  | { kind: "version" }
  | { kind: "introspect" }
  | { kind: "query"; sql: string; maxRows: number }
  | { kind: "read"; sql: string };

interface IntrospectedTable {
  name: string;
  kind: "table" | "view";
  rows: number | null;
  columns: { name: string; type: string; nn: number; pk: number }[];
  foreign: { id: number; ref: string; col: string; refcol: string | null }[];
}

/**
 * Where a SQLite file may be opened from: the real path (symlinks resolved) must lie inside one of
 * `allowedDirs`. With none configured, SQLite connections are switched off.
 */
export function allowedSqlitePath(file: string, allowedDirs: readonly string[]): string {
  if (allowedDirs.length === 0) {
    throw new ConnectionFailed(
      "not_allowed",
      "SQLite connections are switched off on this server: an operator can allow directories with SQLITE_ALLOWED_DIRS",
    );
  }
  if (!path.isAbsolute(file))
    throw new ConnectionFailed("not_allowed", "Give the SQLite file's absolute path");
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    throw new ConnectionFailed("file_missing", `There is no file at ${file}`);
  }
  const inside = allowedDirs.some((dir) => {
    let root: string;
    try {
      root = realpathSync(dir);
    } catch {
      return false;
    }
    const relative = path.relative(root, real);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  });
  if (!inside) {
    throw new ConnectionFailed(
      "not_allowed",
      `${file} is not inside a directory allowed for SQLite connections`,
    );
  }
  if (!statSync(real).isFile()) throw new ConnectionFailed("file_missing", `${file} is not a file`);
  return real;
}

/** A column's type from its values, for results without declared types. */
function typeOfValues(rows: unknown[][], index: number): { type: ColumnType; sourceType: string } {
  let seen: "INTEGER" | "REAL" | "TEXT" | "BLOB" | null = null;
  for (const row of rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    const kind =
      value instanceof Uint8Array
        ? "BLOB"
        : typeof value === "string"
          ? "TEXT"
          : typeof value === "bigint" || Number.isInteger(value)
            ? "INTEGER"
            : "REAL";
    if (seen === null || (seen === "INTEGER" && kind === "REAL")) seen = kind;
    else if (seen !== kind && !(seen === "REAL" && kind === "INTEGER"))
      return { type: "other", sourceType: "ANY" };
  }
  const sourceType = seen ?? "NULL";
  return { type: seen ? remoteColumnType(sourceType === "BLOB" ? "blob" : sourceType) : "other", sourceType };
}

export function createSqliteConnector(
  settings: SqliteSettings,
  options: { allowedDirs: readonly string[] },
): Connector {
  // node-sqlite3-wasm locks with a `<file>.lock` directory; tasks of one source run one at a time.
  let queue: Promise<unknown> = Promise.resolve();

  function run<T>(
    task: Task,
    limits: { timeoutMs: number; signal?: AbortSignal | undefined },
    onBatch?: (rows: unknown[][]) => Promise<void>,
  ): Promise<T> {
    const next = queue.then(() => runNow<T>(task, limits, onBatch));
    queue = next.catch(() => undefined);
    return next;
  }

  function runNow<T>(
    task: Task,
    limits: { timeoutMs: number; signal?: AbortSignal | undefined },
    onBatch?: (rows: unknown[][]) => Promise<void>,
  ): Promise<T> {
    if (limits.signal?.aborted) return Promise.reject(new QueryCancelled());
    const file = allowedSqlitePath(settings.path, options.allowedDirs);
    return new Promise<T>((resolve, reject) => {
      const worker = new Worker(sqliteWorkerSource, {
        eval: true,
        workerData: { module: sqliteModule, file, task },
      });
      let batches = Promise.resolve();
      let settled = false;
      let answered = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        limits.signal?.removeEventListener("abort", abort);
        outcome();
      };
      const stop = (error: Error) => {
        finish(() => reject(error));
        void worker.terminate().then(() => {
          // A terminated worker cannot release its lock directory; nothing else of ours holds it.
          rmSync(`${file}.lock`, { recursive: true, force: true });
        });
      };
      const timer = setTimeout(() => stop(new QueryTimeout(limits.timeoutMs)), limits.timeoutMs);
      const abort = () => stop(new QueryCancelled());
      limits.signal?.addEventListener("abort", abort, { once: true });
      worker.on(
        "message",
        (message: { type: string; rows?: unknown[][]; result?: unknown; message?: string }) => {
          if (message.type === "batch" && onBatch && message.rows) {
            const rows = message.rows;
            batches = batches.then(() => onBatch(rows));
            batches.catch((error: unknown) => stop(error as Error));
          } else if (message.type === "done") {
            answered = true;
            batches.then(
              () => finish(() => resolve(message.result as T)),
              (error: Error) => finish(() => reject(error)),
            );
          } else if (message.type === "error") {
            answered = true;
            const text = message.message ?? "SQLite failed";
            finish(() =>
              reject(
                /could not open|not a database/i.test(text)
                  ? new ConnectionFailed(
                      "failed",
                      `Could not open ${settings.path} as a SQLite database: ${text}`,
                    )
                  : new QueryFailed(text),
              ),
            );
          }
        },
      );
      worker.on("error", (error: Error) => finish(() => reject(new QueryFailed(error.message))));
      worker.on("exit", () => {
        if (!answered) finish(() => reject(new QueryFailed("The SQLite worker stopped unexpectedly")));
      });
    });
  }

  async function runQuery(sql: string, limits: RunOptions, declared?: RemoteTable["columns"]) {
    const started = performance.now();
    const result = await run<{ names: string[]; rows: unknown[][] }>(
      { kind: "query", sql, maxRows: limits.maxRows },
      limits,
    );
    const columns: ResultColumn[] = result.names.map((name, index) => {
      const known = declared?.[index];
      return known
        ? { name, type: known.type, sourceType: known.sourceType }
        : { name, ...typeOfValues(result.rows, index) };
    });
    return {
      columns,
      rows: result.rows
        .slice(0, limits.maxRows)
        .map((row) => row.map((cell, index) => jsonCell(cell, columns[index]?.type ?? "other"))),
      truncated: result.rows.length > limits.maxRows,
      durationMs: performance.now() - started,
    };
  }

  return {
    engine: "sqlite",
    // The guard has no SQLite dialect; PostgreSQL's quoting rules ('…' strings, "…" names) are SQLite's.
    dialect: "postgresql",

    async test() {
      const version = await run<string>({ kind: "version" }, { timeoutMs: 10_000 });
      return { serverVersion: `SQLite ${version}` };
    },

    async introspect() {
      const tables = await run<IntrospectedTable[]>({ kind: "introspect" }, { timeoutMs: 60_000 });
      return tables.map((table) => ({
        remoteName: table.name,
        schema: null,
        table: table.name,
        kind: table.kind,
        rows: table.rows,
        columns: table.columns.map((column) => ({
          name: column.name,
          sourceType: column.type || "ANY",
          type: column.type ? remoteColumnType(column.type) : "other",
          nullable: column.nn === 0 && column.pk === 0,
        })),
        primaryKey: table.columns
          .filter((column) => column.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((column) => column.name),
        foreignKeys: Object.values(
          table.foreign.reduce<Record<number, RemoteTable["foreignKeys"][number]>>((keys, entry) => {
            const key = keys[entry.id] ?? { columns: [], references: { table: entry.ref, columns: [] } };
            key.columns.push(entry.col);
            if (entry.refcol) key.references.columns.push(entry.refcol);
            keys[entry.id] = key;
            return keys;
          }, {}),
        ),
      }));
    },

    preview(table, limit) {
      return runQuery(
        `select * from ${qualifiedName("sqlite", table)} limit ${Math.max(0, Math.floor(limit))}`,
        { maxRows: limit, timeoutMs: 30_000 },
        table.columns,
      );
    },

    query: (sql, limits) => runQuery(sql, limits),

    async readTable(table, onBatch, limits) {
      const list = table.columns.map((column) => quoteName("sqlite", column.name)).join(", ") || "*";
      await run<unknown>(
        { kind: "read", sql: `select ${list} from ${qualifiedName("sqlite", table)}` },
        limits,
        (rows) =>
          onBatch(
            rows.map((row) =>
              row.map((cell, index): JsonValue => jsonCell(cell, table.columns[index]?.type ?? "other")),
            ),
          ),
      );
    },

    async close() {
      await queue;
    },
  };
}
