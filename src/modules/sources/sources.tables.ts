import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export type SourceStatus = "processing" | "ready" | "failed";

export interface SourceTable {
  name: string;
  rows: number;
  columns: { name: string; type: string; sourceType: string }[];
}

/** A workspace's data source: an uploaded file, loaded into the workspace's DuckDB warehouse. */
export const sources = pgTable(
  "sources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    name: text("name").notNull(),
    kind: text("kind").$type<"file">().notNull(),
    format: text("format").notNull(),
    fileName: text("file_name").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    status: text("status").$type<SourceStatus>().notNull(),
    tables: jsonb("tables").$type<SourceTable[]>().notNull().default([]),
    error: text("error"),
    /** Grows whenever the source's data changes: cached results of older versions are stale. */
    version: integer("version").notNull().default(0),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [index("sources_workspace_idx").on(table.workspaceId, table.createdAt, table.id)],
);
