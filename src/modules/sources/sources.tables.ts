import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export type SourceStatus = "processing" | "ready" | "failed";
export type SourceKind = "file" | "database";
/** A database source's mode: `live` queries run in the database; `import` copies tables into DuckDB. */
export type SourceMode = "live" | "import";
/** What an ingest does with malformed rows: `reject` aborts, `skip` quarantines them. */
export type RowPolicy = "reject" | "skip";

export interface SourceTable {
  name: string;
  rows: number;
  columns: { name: string; type: string; sourceType: string }[];
  /** Where a live table lives in its database, e.g. `public.orders`. */
  remoteName?: string;
}

export interface ColumnProfile {
  name: string;
  type: string;
  nulls: number;
  blanks: number;
  distinct: number;
  min: string | number | boolean | null;
  max: string | number | boolean | null;
  top: { value: string | number | boolean | null; count: number }[];
  /** Equal-width bins for numbers and dates; absent for text. */
  histogram?: { from: string | number; to: string | number; count: number }[];
  /** Values that do not match the type most of the column has (text columns that are mostly numbers or dates). */
  typeMismatches: number;
  /** The type most of a text column's values have, when it has mismatches. */
  expectedType?: "number" | "date";
  /** The commonest mismatching values. */
  mismatchExamples?: string[];
  /** `distinct` is an estimate (HyperLogLog): the table was too large to count exactly. */
  approximateDistinct?: boolean;
}

export interface TableProfile {
  table: string;
  rows: number;
  duplicateRows: number;
  columns: ColumnProfile[];
}

/** Data-quality findings of one ingest: per-table problems a person should look at. */
export interface QualityIssue {
  table: string;
  column?: string;
  kind: "type_mismatch" | "blanks" | "duplicate_rows" | "malformed_rows";
  count: number;
  message: string;
  /** A few examples, e.g. line numbers or offending values. */
  examples?: (string | number)[];
}

/** A workspace's data source: an uploaded file or a connected database. */
export const sources = pgTable(
  "sources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    name: text("name").notNull(),
    kind: text("kind").$type<SourceKind>().notNull(),
    /** A file's format (csv, xlsx, sqlite…) or a database's engine (postgres, mysql, sqlite). */
    format: text("format").notNull(),
    /** The stored upload, for files. */
    fileName: text("file_name"),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull().default(0),
    status: text("status").$type<SourceStatus>().notNull(),
    tables: jsonb("tables").$type<SourceTable[]>().notNull().default([]),
    error: text("error"),
    /** Grows whenever the source's data changes: cached results of older versions are stale. */
    version: integer("version").notNull().default(0),
    mode: text("mode").$type<SourceMode>(),
    /** The connection's settings and password, encrypted (AES-256-GCM, key derived from SECRET_KEY). */
    connection: text("connection"),
    /** The connection without its secret, for display: host, port, database, user. */
    connectionSummary: jsonb("connection_summary").$type<Record<string, string | number | boolean>>(),
    /** Cron expression of an import source's scheduled refresh. */
    refreshCron: text("refresh_cron"),
    lastRefreshedAt: ts("last_refreshed_at"),
    rowPolicy: text("row_policy").$type<RowPolicy>().notNull().default("reject"),
    rejectedRows: integer("rejected_rows").notNull().default(0),
    /** Malformed rows skipped by the last ingest, as a downloadable file in the upload directory. */
    quarantineFile: text("quarantine_file"),
    profile: jsonb("profile").$type<TableProfile[]>(),
    /** The data version `profile` and `quality` describe; behind `version` while profiling runs. */
    profiledVersion: integer("profiled_version"),
    quality: jsonb("quality").$type<QualityIssue[]>(),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [index("sources_workspace_idx").on(table.workspaceId, table.createdAt, table.id)],
);

export type RelationshipOrigin = "detected" | "manual";
export type RelationshipStatus = "active" | "dismissed";

/**
 * A join between two tables of a workspace: `from_table.from_column` refers to `to_table.to_column`.
 * Detected ones come from names and value overlap; a person can add, confirm or dismiss them.
 */
export const relationships = pgTable(
  "relationships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    fromTable: text("from_table").notNull(),
    fromColumn: text("from_column").notNull(),
    toTable: text("to_table").notNull(),
    toColumn: text("to_column").notNull(),
    origin: text("origin").$type<RelationshipOrigin>().notNull(),
    status: text("status").$type<RelationshipStatus>().notNull().default("active"),
    /** Share of the referring column's distinct values found in the referred column (0–1). */
    confidence: real("confidence"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("relationships_pair_idx").on(
      table.workspaceId,
      table.fromTable,
      table.fromColumn,
      table.toTable,
      table.toColumn,
    ),
  ],
);
