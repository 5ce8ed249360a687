import { z } from "zod";
import { AppError } from "../../../platform/errors.js";
import type { ColumnType, JsonValue, QueryResult, StreamedResult } from "../../warehouse/duckdb-engine.js";
import type { SqlDialect } from "../../warehouse/sql-guard.js";

export type Engine = "postgres" | "mysql" | "sqlite";

const serverFields = {
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535).optional().describe("Default: 5432 (PostgreSQL), 3306 (MySQL)."),
  database: z.string().min(1).max(128),
  user: z.string().min(1).max(128),
  password: z.string().max(1024).optional().describe("Stored encrypted; never returned."),
  ssl: z
    .enum(["disable", "require", "verify-full"])
    .default("disable")
    .describe(
      "`require`: TLS without checking the certificate; `verify-full`: TLS with a trusted certificate.",
    ),
};

/** What a connection needs, password included: validated at the API, stored encrypted. */
export const connectionSettingsSchema = z
  .discriminatedUnion("engine", [
    z.object({
      engine: z.literal("postgres"),
      ...serverFields,
      schema: z
        .string()
        .min(1)
        .max(128)
        .optional()
        .describe("Only this schema's tables. Default: every schema the user can read."),
    }),
    z.object({ engine: z.literal("mysql"), ...serverFields }),
    z.object({
      engine: z.literal("sqlite"),
      path: z
        .string()
        .min(1)
        .max(4096)
        .describe("A database file on the server, inside SQLITE_ALLOWED_DIRS."),
    }),
  ])
  .meta({ id: "ConnectionSettings" });

export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;
export type ServerSettings = Extract<ConnectionSettings, { engine: "postgres" | "mysql" }>;
export type SqliteSettings = Extract<ConnectionSettings, { engine: "sqlite" }>;

/** The settings without their secret, for display and audit. */
export function summaryOf(settings: ConnectionSettings): Record<string, string | number | boolean> {
  if (settings.engine === "sqlite") return { engine: "sqlite", path: settings.path };
  const { password: _password, ...rest } = settings;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Record<
    string,
    string | number | boolean
  >;
}

export interface RemoteColumn {
  name: string;
  type: ColumnType;
  sourceType: string;
  nullable: boolean;
}

export interface RemoteTable {
  /** `schema.table` (PostgreSQL), `database.table` (MySQL) or `table` (SQLite). */
  remoteName: string;
  schema: string | null;
  table: string;
  kind: "table" | "view";
  /** An estimate from the catalog (PostgreSQL, MySQL) or a count (SQLite); null when unknown. */
  rows: number | null;
  columns: RemoteColumn[];
  primaryKey: string[];
  foreignKeys: { columns: string[]; references: { table: string; columns: string[] } }[];
}

/** How long a read may take, what cancels it, and (PostgreSQL) where its table names resolve. */
export interface StreamOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** PostgreSQL: the schemas unqualified table names resolve in, before pg_catalog. */
  searchPath?: string[] | undefined;
}

export interface RunOptions extends StreamOptions {
  maxRows: number;
}

/** A connected database. Everything it runs is read-only and time-limited by the database itself. */
export interface Connector {
  readonly engine: Engine;
  /** The SQL guard's dialect for this engine. */
  readonly dialect: SqlDialect;
  /** Connects and runs `select 1`; the server's version. */
  test(): Promise<{ serverVersion: string }>;
  introspect(): Promise<RemoteTable[]>;
  /** The first rows of one table, by its remoteName. */
  preview(table: RemoteTable, limit: number): Promise<QueryResult>;
  /**
   * Runs one statement in a read-only transaction with a statement timeout, rolled back after.
   * No SQL guard here: callers run guarded SQL; tests call it raw to see the database refuse writes.
   */
  query(sql: string, options: RunOptions): Promise<QueryResult>;
  /**
   * Streams one statement's whole result as the reader pulls it, in the same read-only
   * transaction and statement timeout as `query`, for exports. Cells are as `exactCell` gives
   * them. Fails before the first row when the statement fails as it starts; `close()` ends the
   * statement and frees the connection.
   */
  stream(sql: string, options: StreamOptions): Promise<StreamedResult>;
  /** Reads a whole table in batches of rows, read-only, for an import. */
  readTable(
    table: RemoteTable,
    onBatch: (rows: JsonValue[][]) => Promise<void>,
    options: RunOptions,
  ): Promise<void>;
  close(): Promise<void>;
}

/** What went wrong reaching a database, in words a person can act on. */
export type ConnectionProblem =
  | "unreachable"
  | "timeout"
  | "auth_failed"
  | "database_missing"
  | "tls"
  | "file_missing"
  | "not_allowed"
  | "failed";

export class ConnectionFailed extends AppError {
  constructor(
    readonly problem: ConnectionProblem,
    message: string,
  ) {
    super(400, "connection_failed", message, { problem });
  }
}

export class QueryCancelled extends AppError {
  constructor() {
    super(499, "query_cancelled", "The query was cancelled");
  }
}

/** One cell as JSON: integers as numbers while exact, dates as ISO text, binary as hex. */
export function jsonCell(value: unknown, type: ColumnType): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (type === "integer") {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : String(value);
  }
  if (type === "decimal") {
    const number = Number(value);
    return Number.isFinite(number) ? number : String(value);
  }
  if (type === "boolean" && typeof value === "number") return value !== 0;
  if ((type === "timestamp" || type === "date") && typeof value === "string") {
    return type === "timestamp" ? value.replace(" ", "T") : value;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

/**
 * One cell of an export: as `jsonCell`, but decimals and timestamps stay the database's own text,
 * as the warehouse's exports keep DuckDB's.
 */
export function exactCell(value: unknown, type: ColumnType): JsonValue {
  if ((type === "decimal" || type === "timestamp") && typeof value === "string") return value;
  return jsonCell(value, type);
}

/** Sightline's type of a database's own type name (`numeric(10,2)`, `varchar(20)`, `DATETIME`…). */
export function remoteColumnType(sourceType: string): ColumnType {
  const type = sourceType.toLowerCase().trim();
  if (/^(bool|boolean)$/.test(type)) return "boolean";
  if (
    /^(tinyint|smallint|mediumint|int|integer|bigint|int2|int4|int8|smallserial|serial|bigserial|year)\b/.test(
      type,
    )
  )
    return "integer";
  if (/^(numeric|decimal|real|float|double|float4|float8|money|dec|fixed)\b/.test(type)) return "decimal";
  if (type === "date") return "date";
  if (/^(timestamp|datetime)\b/.test(type)) return "timestamp";
  if (
    /^(text|varchar|character|char|nchar|nvarchar|citext|name|uuid|enum|set|tinytext|mediumtext|longtext|clob|"char")\b/.test(
      type,
    )
  )
    return "text";
  // SQLite's type affinity, for declared types like `INT UNSIGNED BIG` or `VARYING CHARACTER(70)`.
  if (type.includes("int")) return "integer";
  if (/char|clob|text/.test(type)) return "text";
  if (/real|floa|doub/.test(type)) return "decimal";
  return "other";
}

/** `"name"` for PostgreSQL and SQLite, `` `name` `` for MySQL. */
export function quoteName(engine: Engine, name: string): string {
  return engine === "mysql" ? `\`${name.replaceAll("`", "``")}\`` : `"${name.replaceAll('"', '""')}"`;
}

/** The quoted, qualified name of a remote table. */
export function qualifiedName(engine: Engine, table: Pick<RemoteTable, "schema" | "table">): string {
  const parts = table.schema && engine !== "sqlite" ? [table.schema, table.table] : [table.table];
  return parts.map((part) => quoteName(engine, part)).join(".");
}

/** Runs `work` and stops it after `timeoutMs` or on abort with `stop`, throwing the matching error. */
export function stopAfter(options: Pick<RunOptions, "timeoutMs" | "signal">, stop: () => void) {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  options.signal?.addEventListener("abort", stop, { once: true });
  return {
    get timedOut() {
      return timedOut;
    },
    done() {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", stop);
    },
  };
}
