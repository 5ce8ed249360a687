import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ChartSpec } from "./chart.types.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A saved chart: a query of the workspace and how to draw its result. */
export const charts = pgTable(
  "charts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    title: text("title").notNull(),
    spec: jsonb("spec").$type<ChartSpec>().notNull(),
    sql: text("sql").notNull(),
    /** The live source the SQL runs in; null for the warehouse. */
    sourceId: uuid("source_id"),
    /** The ask answer it was made from, if any. */
    answerId: uuid("answer_id"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [index("charts_workspace_idx").on(table.workspaceId, table.createdAt, table.id)],
);
