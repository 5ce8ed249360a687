import pg from "pg";
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
  type RemoteTable,
  type RunOptions,
  remoteColumnType,
  type ServerSettings,
  type StreamOptions,
  stopAfter,
} from "./types.js";

type PostgresSettings = Extract<ServerSettings, { engine: "postgres" }>;

/** Dates and timestamps stay text (pg would make local-time Date objects of them). */
const rawText = (value: string) => value;
const textTypes = new Set([1082, 1083, 1114, 1184, 1266]);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    textTypes.has(oid) ? rawText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const typeNames: Record<number, string> = {
  16: "boolean",
  17: "bytea",
  18: '"char"',
  19: "name",
  20: "bigint",
  21: "smallint",
  23: "integer",
  25: "text",
  26: "oid",
  114: "json",
  700: "real",
  701: "double precision",
  1042: "character",
  1043: "character varying",
  1082: "date",
  1083: "time without time zone",
  1114: "timestamp without time zone",
  1184: "timestamp with time zone",
  1186: "interval",
  1700: "numeric",
  2950: "uuid",
  3802: "jsonb",
};

/** Extra time the database's own statement timeout gets before Sightline cancels from outside. */
const GRACE_MS = 2_000;

export function connectionError(
  error: unknown,
  settings: Pick<ServerSettings, "host" | "port" | "database" | "user">,
  port: number,
  timeoutMs: number,
): ConnectionFailed {
  const e = error as { code?: string; message?: string };
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
    case "28P01":
    case "28000":
      return new ConnectionFailed("auth_failed", `The server refused user "${settings.user}": ${message}`);
    case "3D000":
      return new ConnectionFailed(
        "database_missing",
        `The database "${settings.database}" does not exist on ${where}`,
      );
  }
  if (/timeout/i.test(message)) {
    return new ConnectionFailed(
      "timeout",
      `${where} did not answer within ${Math.round(timeoutMs / 1000)} s`,
    );
  }
  if (/ssl|tls|certificate|secure connection/i.test(message)) {
    return new ConnectionFailed("tls", `Could not set up TLS with ${where}: ${message}`);
  }
  return new ConnectionFailed("failed", `Could not connect to ${where}: ${message}`);
}

function queryError(error: unknown, options: Pick<RunOptions, "timeoutMs" | "signal">): Error {
  const e = error as { code?: string; message?: string };
  if (options.signal?.aborted) return new QueryCancelled();
  if (e.code === "57014") return new QueryTimeout(options.timeoutMs);
  return new QueryFailed(e.message ?? String(error));
}

const quoteIdent = (value: string) => `"${value.replaceAll('"', '""')}"`;

export function createPostgresConnector(
  settings: PostgresSettings,
  options: { connectTimeoutMs: number },
): Connector {
  const port = settings.port ?? 5432;
  const config: pg.ClientConfig = {
    host: settings.host,
    port,
    database: settings.database,
    user: settings.user,
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    ssl:
      (settings.ssl ?? "disable") === "disable"
        ? false
        : { rejectUnauthorized: settings.ssl === "verify-full" },
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: "sightline",
    types,
  };
  const pool = new pg.Pool({ ...config, max: 4, idleTimeoutMillis: 30_000 });
  // An idle connection the server closed must not crash the process; the next checkout reconnects.
  pool.on("error", () => undefined);

  async function connect(): Promise<pg.PoolClient> {
    try {
      return await pool.connect();
    } catch (error) {
      throw connectionError(error, settings, port, options.connectTimeoutMs);
    }
  }

  /** Asks the server, from a second connection, to stop what `pid` is running. */
  async function cancelBackend(pid: number | undefined): Promise<void> {
    if (!pid) return;
    const client = new pg.Client(config);
    try {
      await client.connect();
      await client.query("select pg_cancel_backend($1)", [pid]);
    } catch {
      // The statement timeout still stops it.
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Starts a read-only transaction with a statement timeout (and the source's search path). */
  async function begin(client: pg.PoolClient, run: StreamOptions): Promise<void> {
    await client.query("begin transaction read only");
    await client.query(`set local statement_timeout = ${Math.max(1, Math.ceil(run.timeoutMs))}`);
    if (run.searchPath?.length) {
      // Tables of the source win over same-named catalog tables: pg_catalog goes last.
      await client.query(
        `set local search_path = ${[...run.searchPath.map(quoteIdent), "pg_catalog"].join(", ")}`,
      );
    }
  }

  /** Rolls back and gives the connection back; one that cannot roll back is closed instead. */
  async function end(client: pg.PoolClient): Promise<void> {
    let broken = false;
    await client.query("rollback").catch(() => {
      broken = true;
    });
    client.release(broken);
  }

  const pidOf = (client: pg.PoolClient) => (client as unknown as { processID?: number }).processID;

  /** A read-only transaction with a statement timeout, always rolled back. */
  async function readOnly<T>(run: RunOptions, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (run.signal?.aborted) throw new QueryCancelled();
    const client = await connect();
    const pid = pidOf(client);
    const stopper = stopAfter({ ...run, timeoutMs: run.timeoutMs + GRACE_MS }, () => void cancelBackend(pid));
    try {
      await begin(client, run);
      return await work(client);
    } catch (error) {
      throw queryError(error, run);
    } finally {
      stopper.done();
      await end(client);
    }
  }

  /**
   * A statement read through a cursor, `STREAM_BATCH_ROWS` at a time as the reader pulls, in a
   * read-only transaction. `cell` makes a row's values from the result's columns.
   */
  function cursor(
    sql: string,
    run: StreamOptions,
    cell: (value: unknown, index: number, columns: ResultColumn[]) => JsonValue,
  ) {
    return streamBatches(
      run,
      { graceMs: GRACE_MS, failure: (error) => queryError(error, run) },
      async (control) => {
        const client = await connect();
        const pid = pidOf(client);
        control.release = () => end(client);
        control.interrupt = () => void cancelBackend(pid);
        control.check();
        await begin(client, run);
        control.check();
        await client.query(`declare sightline_cursor no scroll cursor for ${sql}`);
        control.check();
        const fetch = () =>
          client.query<unknown[]>({
            text: `fetch ${STREAM_BATCH_ROWS} from sightline_cursor`,
            rowMode: "array",
          });
        const first = await fetch();
        const names = await typeNamesOf(
          client,
          first.fields.map((field) => field.dataTypeID),
        );
        const columns: ResultColumn[] = first.fields.map((field) => {
          const sourceType = names.get(field.dataTypeID) ?? `oid ${field.dataTypeID}`;
          return { name: field.name, sourceType, type: remoteColumnType(sourceType) };
        });
        let done = first.rows.length < STREAM_BATCH_ROWS;
        const rowsOf = (rows: unknown[][]) =>
          rows.map((row) => row.map((value, index) => cell(value, index, columns)));
        return {
          columns,
          first: rowsOf(first.rows),
          async next() {
            if (done) return [];
            const batch = await fetch();
            done = batch.rows.length < STREAM_BATCH_ROWS;
            return rowsOf(batch.rows);
          },
        };
      },
    );
  }

  async function typeNamesOf(client: pg.PoolClient, oids: number[]): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    const unknown = [...new Set(oids)].filter((oid) => {
      const known = typeNames[oid];
      if (known) names.set(oid, known);
      return !known;
    });
    if (unknown.length) {
      const found = await client.query<{ oid: number; name: string }>(
        "select oid::int as oid, format_type(oid, null) as name from pg_type where oid = any($1::oid[])",
        [unknown],
      );
      for (const row of found.rows) names.set(row.oid, row.name);
    }
    return names;
  }

  async function runQuery(sql: string, run: RunOptions) {
    const started = performance.now();
    return readOnly(run, async (client) => {
      const result = await client.query<unknown[]>({ text: sql, rowMode: "array" });
      const names = await typeNamesOf(
        client,
        result.fields.map((field) => field.dataTypeID),
      );
      const columns: ResultColumn[] = result.fields.map((field) => {
        const sourceType = names.get(field.dataTypeID) ?? `oid ${field.dataTypeID}`;
        return { name: field.name, sourceType, type: remoteColumnType(sourceType) };
      });
      const rows = (result.rows ?? [])
        .slice(0, run.maxRows)
        .map((row) => row.map((cell, index) => jsonCell(cell, columns[index]?.type ?? "other")));
      return {
        columns,
        rows,
        truncated: (result.rows?.length ?? 0) > run.maxRows,
        durationMs: performance.now() - started,
      };
    });
  }

  return {
    engine: "postgres",
    dialect: "postgresql",

    async test() {
      const client = await connect();
      try {
        const result = await client.query<{ version: string }>(
          "select current_setting('server_version') as version",
        );
        return { serverVersion: `PostgreSQL ${result.rows[0]?.version ?? ""}`.trim() };
      } finally {
        client.release();
      }
    },

    async introspect() {
      return readOnly({ maxRows: 0, timeoutMs: 60_000 }, async (client) => {
        const schemaFilter = settings.schema ? "n.nspname = $1" : "$1::text is null";
        const system =
          "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'";
        const tables = await client.query<{
          oid: number;
          schema: string;
          name: string;
          kind: string;
          rows: number;
        }>(
          `select c.oid::int as oid, n.nspname as schema, c.relname as name, c.relkind as kind, c.reltuples::float8 as rows
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where c.relkind in ('r', 'p', 'v', 'm', 'f') and ${system} and ${schemaFilter}
             and has_table_privilege(c.oid, 'select')
           order by n.nspname, c.relname`,
          [settings.schema ?? null],
        );
        const oids = tables.rows.map((row) => row.oid);
        const columns = await client.query<{ oid: number; name: string; type: string; nullable: boolean }>(
          `select a.attrelid::int as oid, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
                  not a.attnotnull as nullable
           from pg_attribute a where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
           order by a.attrelid, a.attnum`,
          [oids],
        );
        const keys = await client.query<{
          oid: number;
          kind: string;
          columns: string[];
          ref_schema: string | null;
          ref_table: string | null;
          ref_columns: string[];
        }>(
          `select con.conrelid::int as oid, con.contype as kind,
             array(select a.attname::text from unnest(con.conkey) with ordinality k(n, i)
                   join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i) as columns,
             rn.nspname as ref_schema, rc.relname as ref_table,
             array(select a.attname::text from unnest(con.confkey) with ordinality k(n, i)
                   join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i) as ref_columns
           from pg_constraint con
           left join pg_class rc on rc.oid = con.confrelid left join pg_namespace rn on rn.oid = rc.relnamespace
           where con.contype in ('p', 'f') and con.conrelid = any($1::oid[])
           order by con.conname`,
          [oids],
        );
        const result: RemoteTable[] = [];
        for (const row of tables.rows) {
          const table: RemoteTable = {
            remoteName: `${row.schema}.${row.name}`,
            schema: row.schema,
            table: row.name,
            kind: row.kind === "v" || row.kind === "m" ? "view" : "table",
            rows: row.rows >= 0 && row.kind !== "v" ? Math.round(row.rows) : null,
            columns: columns.rows
              .filter((column) => column.oid === row.oid)
              .map((column) => ({
                name: column.name,
                sourceType: column.type,
                type: remoteColumnType(column.type),
                nullable: column.nullable,
              })),
            primaryKey: keys.rows.find((key) => key.oid === row.oid && key.kind === "p")?.columns ?? [],
            foreignKeys: keys.rows
              .filter((key) => key.oid === row.oid && key.kind === "f" && key.ref_table)
              .map((key) => ({
                columns: key.columns,
                references: { table: `${key.ref_schema}.${key.ref_table}`, columns: key.ref_columns },
              })),
          };
          // Never analysed (reltuples -1): count, within the statement timeout.
          if (table.rows === null && table.kind === "table") {
            const counted = await client.query<{ n: string }>(
              `select count(*) as n from ${qualifiedName("postgres", table)}`,
            );
            table.rows = Number(counted.rows[0]?.n ?? 0);
          }
          result.push(table);
        }
        return result;
      });
    },

    preview(table, limit) {
      return runQuery(
        `select * from ${qualifiedName("postgres", table)} limit ${Math.max(0, Math.floor(limit))}`,
        {
          maxRows: limit,
          timeoutMs: 30_000,
        },
      );
    },

    query: runQuery,

    stream: (sql, run) =>
      cursor(sql, run, (value, index, columns) => exactCell(value, columns[index]?.type ?? "other")),

    async readTable(table, onBatch, run) {
      const list = table.columns.map((column) => quoteIdent(column.name)).join(", ") || "*";
      const rows = await cursor(
        `select ${list} from ${qualifiedName("postgres", table)}`,
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
