import { realpathSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ColumnType, JsonValue, ResultColumn } from "../../warehouse/duckdb-engine.js";
import { QueryFailed, QueryTimeout } from "../../warehouse/duckdb-engine.js";
import { sqliteWorkerSource } from "./sqlite-worker.js";
import { readAll, streamBatches } from "./stream.js";
import {
  ConnectionFailed,
  type Connector,
  exactCell,
  jsonCell,
  QueryCancelled,
  qualifiedName,
  quoteName,
  type RemoteTable,
  type RunOptions,
  remoteColumnType,
  type SqliteSettings,
  type StreamOptions,
} from "./types.js";

const sqliteModule = createRequire(import.meta.url).resolve("node-sqlite3-wasm");

type Task =
  | { kind: "version" }
  | { kind: "introspect" }
  | { kind: "query"; sql: string; maxRows: number }
  | { kind: "stream"; sql: string };

type WorkerMessage =
  | { type: "batch"; names: string[]; rows: unknown[][] }
  | { type: "done"; result: unknown }
  | { type: "error"; message: string };

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

/** A result's columns: their declared types where known, else the types of their values. */
function columnsOf(names: string[], rows: unknown[][], declared?: RemoteTable["columns"]): ResultColumn[] {
  return names.map((name, index) => {
    const known = declared?.[index];
    return known
      ? { name, type: known.type, sourceType: known.sourceType }
      : { name, ...typeOfValues(rows, index) };
  });
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
  /** A worker's error as the API tells it: a file that is no database is a connection problem. */
  function failure(text: string | undefined): Error {
    const message = text ?? "SQLite failed";
    return /could not open|not a database/i.test(message)
      ? new ConnectionFailed("failed", `Could not open ${settings.path} as a SQLite database: ${message}`)
      : new QueryFailed(message);
  }

  // node-sqlite3-wasm locks with a `<file>.lock` directory; tasks of one source run one at a time.
  let queue: Promise<unknown> = Promise.resolve();

  function run<T>(task: Task, limits: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<T> {
    const next = queue.then(() => runNow<T>(task, limits));
    queue = next.catch(() => undefined);
    return next;
  }

  function runNow<T>(
    task: Task,
    limits: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<T> {
    if (limits.signal?.aborted) return Promise.reject(new QueryCancelled());
    const file = allowedSqlitePath(settings.path, options.allowedDirs);
    return new Promise<T>((resolve, reject) => {
      const worker = new Worker(sqliteWorkerSource, {
        eval: true,
        workerData: { module: sqliteModule, file, task },
      });
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
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "done") {
          answered = true;
          finish(() => resolve(message.result as T));
        } else if (message.type === "error") {
          answered = true;
          finish(() => reject(failure(message.message)));
        }
      });
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
    const columns = columnsOf(result.names, result.rows, declared);
    return {
      columns,
      rows: result.rows
        .slice(0, limits.maxRows)
        .map((row) => row.map((cell, index) => jsonCell(cell, columns[index]?.type ?? "other"))),
      truncated: result.rows.length > limits.maxRows,
      durationMs: performance.now() - started,
    };
  }

  /**
   * A statement's rows read in a worker and handed over a batch at a time as the reader pulls
   * (the worker waits in between). The read holds the source's turn until it ends. Columns
   * without declared types take the types of the first batch's values.
   */
  function streamed(
    sql: string,
    limits: StreamOptions,
    cell: (value: unknown, index: number, columns: ResultColumn[]) => JsonValue,
    declared?: RemoteTable["columns"],
  ) {
    return streamBatches(
      limits,
      { graceMs: 0, failure: (error) => (error instanceof Error ? error : failure(String(error))) },
      async (control) => {
        let leave: () => void = () => undefined;
        const turn = new Promise<void>((resolve) => {
          leave = resolve;
        });
        const waiting = queue;
        queue = waiting.then(() => turn);
        let worker: Worker | undefined;
        let finished = false;
        let file = "";
        control.release = async () => {
          if (worker && !finished) {
            await worker.terminate();
            // A terminated worker cannot release its lock directory; nothing else of ours holds it.
            rmSync(`${file}.lock`, { recursive: true, force: true });
          }
          leave();
        };
        control.interrupt = () => void worker?.terminate();
        await waiting;
        control.check();
        file = allowedSqlitePath(settings.path, options.allowedDirs);
        const gate = new Int32Array(new SharedArrayBuffer(4));
        const task: Task = { kind: "stream", sql };
        worker = new Worker(sqliteWorkerSource, {
          eval: true,
          workerData: { module: sqliteModule, file, task, gate: gate.buffer },
        });
        const inbox: WorkerMessage[] = [];
        let waiter: ((message: WorkerMessage) => void) | undefined;
        const deliver = (message: WorkerMessage) => {
          const take = waiter;
          waiter = undefined;
          if (take) take(message);
          else inbox.push(message);
        };
        worker.on("message", deliver);
        worker.on("error", (error: Error) => deliver({ type: "error", message: error.message }));
        worker.on("exit", () =>
          deliver({ type: "error", message: "The SQLite worker stopped unexpectedly" }),
        );
        const read = async (): Promise<{ names: string[]; rows: unknown[][] }> => {
          const message =
            inbox.shift() ?? (await new Promise<WorkerMessage>((resolve) => (waiter = resolve)));
          if (message.type === "batch") return message;
          if (message.type === "error") throw failure(message.message);
          finished = true;
          return { names: (message.result as { names: string[] }).names, rows: [] };
        };
        const first = await read();
        const columns = columnsOf(first.names, first.rows, declared);
        const cells = (rows: unknown[][]) =>
          rows.map((row) => row.map((value, index) => cell(value, index, columns)));
        return {
          columns,
          first: cells(first.rows),
          async next() {
            if (finished) return [];
            Atomics.store(gate, 0, 1);
            Atomics.notify(gate, 0);
            return cells((await read()).rows);
          },
        };
      },
    );
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

    stream: (sql, limits) =>
      streamed(sql, limits, (value, index, columns) => exactCell(value, columns[index]?.type ?? "other")),

    async readTable(table, onBatch, limits) {
      const list = table.columns.map((column) => quoteName("sqlite", column.name)).join(", ") || "*";
      const rows = await streamed(
        `select ${list} from ${qualifiedName("sqlite", table)}`,
        limits,
        (value, index) => jsonCell(value, table.columns[index]?.type ?? "other"),
        table.columns,
      );
      await readAll(rows, onBatch);
    },

    async close() {
      await queue;
    },
  };
}
