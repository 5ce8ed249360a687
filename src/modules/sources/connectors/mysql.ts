import type { Readable } from "node:stream";
import type { Connection as CoreConnection } from "mysql2";
import mysql from "mysql2/promise";
import {
  type JsonValue,
  QueryFailed,
  QueryTimeout,
  type ResultColumn,
} from "../../warehouse/duckdb-engine.js";
import { readAll, STREAM_BATCH_ROWS, streamBatches } from "./stream.js";
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
  type ServerSettings,
  type StreamOptions,
  stopAfter,
} from "./types.js";

type MysqlSettings = Extract<ServerSettings, { engine: "mysql" }>;

/** Names of MySQL's column type codes (mysql2's `columnType`). */
const typeCodes: Record<number, string> = {
  0: "decimal",
  1: "tinyint",
  2: "smallint",
  3: "int",
  4: "float",
  5: "double",
  6: "null",
  7: "timestamp",
  8: "bigint",
  9: "mediumint",
  10: "date",
  11: "time",
  12: "datetime",
  13: "year",
  14: "date",
  15: "varchar",
  16: "bit",
  245: "json",
  246: "decimal",
  247: "enum",
  248: "set",
  249: "tinyblob",
  250: "mediumblob",
  251: "longblob",
  252: "blob",
  253: "varchar",
  254: "char",
  255: "geometry",
};
const BINARY_CHARSET = 63;

/** Extra time the server's own statement timeout gets before Sightline kills the query from outside. */
const GRACE_MS = 2_000;

const TIMEOUT_ERRNOS = new Set([1969, 3024, 1317, 1028]);

function connectionError(
  error: unknown,
  settings: MysqlSettings,
  port: number,
  timeoutMs: number,
): ConnectionFailed {
  const e = error as { code?: string; errno?: number; message?: string };
  const where = `${settings.host}:${port}`;
  const message = e.message ?? String(error);
  switch (e.code) {
    case "ECONNREFUSED":
      return new ConnectionFailed("unreachable", `Could not connect to ${where}: the connection was refused`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ConnectionFailed("unreachable", `Could not find the host ${settings.host}`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new ConnectionFailed("unreachable", `Could not reach ${where}: no route to the host`);
    case "ETIMEDOUT":
      return new ConnectionFailed(
        "timeout",
        `${where} did not answer within ${Math.round(timeoutMs / 1000)} s`,
      );
    case "ER_ACCESS_DENIED_ERROR":
    case "ER_DBACCESS_DENIED_ERROR":
      return new ConnectionFailed("auth_failed", `The server refused user "${settings.user}": ${message}`);
    case "ER_BAD_DB_ERROR":
      return new ConnectionFailed(
        "database_missing",
        `The database "${settings.database}" does not exist on ${where}`,
      );
  }
  if (/ssl|tls|certificate|secure connection/i.test(message)) {
    return new ConnectionFailed("tls", `Could not set up TLS with ${where}: ${message}`);
  }
  return new ConnectionFailed("failed", `Could not connect to ${where}: ${message}`);
}

function queryError(error: unknown, options: Pick<RunOptions, "timeoutMs" | "signal">): Error {
  const e = error as { errno?: number; message?: string };
  if (options.signal?.aborted) return new QueryCancelled();
  if (e.errno !== undefined && TIMEOUT_ERRNOS.has(e.errno)) return new QueryTimeout(options.timeoutMs);
  return new QueryFailed(e.message ?? String(error));
}

interface Field {
  name: string;
  columnType?: number;
  characterSet?: number;
}

function columnOf(field: Field): ResultColumn {
  let sourceType = typeCodes[field.columnType ?? -1] ?? "unknown";
  if (field.characterSet === BINARY_CHARSET && /char|blob/.test(sourceType)) {
    sourceType = sourceType.includes("blob") ? sourceType : sourceType === "char" ? "binary" : "varbinary";
  } else if (/blob/.test(sourceType)) {
    sourceType = sourceType.replace("blob", "text");
  }
  return { name: field.name, sourceType, type: remoteColumnType(sourceType) };
}

export function createMysqlConnector(
  settings: MysqlSettings,
  options: { connectTimeoutMs: number },
): Connector {
  const port = settings.port ?? 3306;
  const config: mysql.ConnectionOptions = {
    host: settings.host,
    port,
    database: settings.database,
    user: settings.user,
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    ...((settings.ssl ?? "disable") === "disable"
      ? {}
      : { ssl: { rejectUnauthorized: settings.ssl === "verify-full" } }),
    connectTimeout: options.connectTimeoutMs,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    multipleStatements: false,
    charset: "utf8mb4",
  };
  const pool = mysql.createPool({ ...config, connectionLimit: 4, maxIdle: 1, idleTimeout: 30_000 });
  let flavor: Promise<{ mariadb: boolean; version: string }> | undefined;

  async function connect(): Promise<mysql.PoolConnection> {
    try {
      return await pool.getConnection();
    } catch (error) {
      throw connectionError(error, settings, port, options.connectTimeoutMs);
    }
  }

  function flavorOf(connection: mysql.PoolConnection) {
    flavor ??= connection.query<mysql.RowDataPacket[]>("select version() as v").then(([rows]) => {
      const version = String(rows[0]?.v ?? "");
      return { mariadb: /mariadb/i.test(version), version };
    });
    flavor.catch(() => {
      flavor = undefined;
    });
    return flavor;
  }

  /** Stops the statement of `threadId` from a second connection. */
  async function killQuery(threadId: number): Promise<void> {
    let connection: mysql.Connection | undefined;
    try {
      connection = await mysql.createConnection(config);
      await connection.query(`kill query ${Number(threadId)}`);
    } catch {
      // The server's statement timeout still stops it.
    } finally {
      await connection?.end().catch(() => undefined);
    }
  }

  /**
   * Starts a read-only session and transaction with a statement timeout. A read-only session also
   * refuses DDL, which would otherwise commit the transaction and run outside it.
   */
  async function begin(connection: mysql.PoolConnection, run: Pick<RunOptions, "timeoutMs">): Promise<void> {
    const { mariadb } = await flavorOf(connection);
    const ms = Math.max(1, Math.ceil(run.timeoutMs));
    await connection.query(
      mariadb
        ? `set session tx_read_only = 1, session max_statement_time = ${ms / 1000}`
        : `set session transaction_read_only = 1, session max_execution_time = ${ms}`,
    );
    await connection.query("start transaction read only");
  }

  /** Rolls back and gives the connection back; one that cannot roll back is closed instead. */
  async function end(connection: mysql.PoolConnection): Promise<void> {
    let broken = false;
    await connection.query("rollback").catch(() => {
      broken = true;
    });
    if (broken) connection.destroy();
    else connection.release();
  }

  /** A read-only session and transaction with a statement timeout, always rolled back. */
  async function readOnly<T>(
    run: RunOptions,
    work: (connection: mysql.PoolConnection) => Promise<T>,
  ): Promise<T> {
    if (run.signal?.aborted) throw new QueryCancelled();
    const connection = await connect();
    const stopper = stopAfter(
      { ...run, timeoutMs: run.timeoutMs + GRACE_MS },
      () => void killQuery(connection.threadId),
    );
    try {
      await begin(connection, run);
      return await work(connection);
    } catch (error) {
      throw queryError(error, run);
    } finally {
      stopper.done();
      await end(connection);
    }
  }

  /**
   * A statement's rows streamed from the server as the reader pulls, `STREAM_BATCH_ROWS` at a
   * time, in a read-only session. `cell` makes a row's values from the result's columns.
   */
  function streamed(
    sql: string,
    run: StreamOptions,
    cell: (value: unknown, index: number, columns: ResultColumn[]) => JsonValue,
  ) {
    return streamBatches(
      run,
      { graceMs: GRACE_MS, failure: (error) => queryError(error, run) },
      async (control) => {
        const connection = await connect();
        let finished = false;
        control.interrupt = () => void killQuery(connection.threadId);
        control.release = async () => {
          if (finished) return end(connection);
          // Rows are still on their way: stop the statement and drop the connection mid-result.
          void killQuery(connection.threadId);
          connection.destroy();
        };
        control.check();
        await begin(connection, run);
        control.check();
        // The callback-style connection underneath streams; the promise wrapper would buffer every row.
        const stream: Readable = (connection.connection as unknown as CoreConnection)
          .query({ sql, rowsAsArray: true })
          .stream({ highWaterMark: STREAM_BATCH_ROWS });
        let fields: Field[] = [];
        stream.once("fields", (received: Field[]) => {
          fields = received;
        });
        const rows = stream[Symbol.asyncIterator]();
        const read = async () => {
          const batch: unknown[][] = [];
          while (!finished && batch.length < STREAM_BATCH_ROWS) {
            const row = await rows.next();
            if (row.done) finished = true;
            else batch.push(row.value as unknown[]);
          }
          return batch;
        };
        const first = await read();
        // The fields arrive before the first row, so they are known once the first batch is in.
        const columns = fields.map(columnOf);
        const cells = (batch: unknown[][]) =>
          batch.map((row) => row.map((value, index) => cell(value, index, columns)));
        return { columns, first: cells(first), next: async () => cells(await read()) };
      },
    );
  }

  async function runQuery(sql: string, run: RunOptions) {
    const started = performance.now();
    return readOnly(run, async (connection) => {
      const [rows, fields] = await connection.query<mysql.RowDataPacket[]>({ sql, rowsAsArray: true });
      const columns = ((fields ?? []) as Field[]).map(columnOf);
      const list = rows as unknown as unknown[][];
      return {
        columns,
        rows: list
          .slice(0, run.maxRows)
          .map((row) => row.map((cell, index) => jsonCell(cell, columns[index]?.type ?? "other"))),
        truncated: list.length > run.maxRows,
        durationMs: performance.now() - started,
      };
    });
  }

  return {
    engine: "mysql",
    dialect: "mysql",

    async test() {
      const connection = await connect();
      try {
        const { version, mariadb } = await flavorOf(connection);
        await connection.query("select 1");
        return {
          serverVersion: mariadb ? `MariaDB ${version.replace(/-MariaDB.*$/i, "")}` : `MySQL ${version}`,
        };
      } finally {
        connection.release();
      }
    },

    async introspect() {
      return readOnly({ maxRows: 0, timeoutMs: 60_000 }, async (connection) => {
        const [tables] = await connection.query<mysql.RowDataPacket[]>(
          `select table_schema as s, table_name as name, table_type as kind, table_rows as n
           from information_schema.tables where table_schema = database() order by table_name`,
        );
        const [columns] = await connection.query<mysql.RowDataPacket[]>(
          `select table_name as t, column_name as name, column_type as type, is_nullable as nullable
           from information_schema.columns where table_schema = database() order by table_name, ordinal_position`,
        );
        const [keys] = await connection.query<mysql.RowDataPacket[]>(
          `select k.table_name as t, k.constraint_name as c, tc.constraint_type as kind, k.column_name as col,
                  k.referenced_table_schema as rs, k.referenced_table_name as rt, k.referenced_column_name as rc
           from information_schema.key_column_usage k
           join information_schema.table_constraints tc
             on tc.constraint_schema = k.constraint_schema and tc.constraint_name = k.constraint_name
            and tc.table_name = k.table_name
           where k.table_schema = database() and tc.constraint_type in ('PRIMARY KEY', 'FOREIGN KEY')
           order by k.table_name, k.constraint_name, k.ordinal_position`,
        );
        return tables.map((row): RemoteTable => {
          const name = String(row.name);
          const own = keys.filter((key) => key.t === name);
          const foreign = new Map<string, RemoteTable["foreignKeys"][number]>();
          for (const key of own.filter((entry) => entry.kind === "FOREIGN KEY")) {
            const entry = foreign.get(key.c) ?? {
              columns: [],
              references: { table: `${key.rs}.${key.rt}`, columns: [] },
            };
            entry.columns.push(String(key.col));
            entry.references.columns.push(String(key.rc));
            foreign.set(key.c, entry);
          }
          const view = String(row.kind).toUpperCase().includes("VIEW");
          return {
            remoteName: `${row.s}.${name}`,
            schema: String(row.s),
            table: name,
            kind: view ? "view" : "table",
            rows: view || row.n === null ? null : Number(row.n),
            columns: columns
              .filter((column) => column.t === name)
              .map((column) => ({
                name: String(column.name),
                sourceType: String(column.type),
                type: remoteColumnType(String(column.type)),
                nullable: column.nullable === "YES",
              })),
            primaryKey: own.filter((key) => key.kind === "PRIMARY KEY").map((key) => String(key.col)),
            foreignKeys: [...foreign.values()],
          };
        });
      });
    },

    preview(table, limit) {
      return runQuery(
        `select * from ${qualifiedName("mysql", table)} limit ${Math.max(0, Math.floor(limit))}`,
        {
          maxRows: limit,
          timeoutMs: 30_000,
        },
      );
    },

    query: runQuery,

    stream: (sql, run) =>
      streamed(sql, run, (value, index, columns) => exactCell(value, columns[index]?.type ?? "other")),

    async readTable(table, onBatch, run) {
      const list = table.columns.map((column) => quoteName("mysql", column.name)).join(", ") || "*";
      const rows = await streamed(
        `select ${list} from ${qualifiedName("mysql", table)}`,
        run,
        (value, index) => jsonCell(value, table.columns[index]?.type ?? "other"),
      );
      await readAll(rows, onBatch);
    },

    async close() {
      await pool.end().catch(() => undefined);
    },
  };
}
