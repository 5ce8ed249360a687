import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ChartSpec } from "../charts/index.js";
import type { DashboardFilter } from "./filters.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Who in the workspace sees a dashboard: everyone, analysts and up, or its author alone. */
export type DashboardAccess = "workspace" | "editors" | "private";

export const dashboards = pgTable(
  "dashboards",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** The filters shown above the widgets, with their current values. */
    filters: jsonb("filters").$type<DashboardFilter[]>().notNull().default([]),
    /** Reload every widget this often in the browser; null: never. */
    refreshSeconds: integer("refresh_seconds"),
    access: text("access").$type<DashboardAccess>().notNull().default("workspace"),
    /** The public read-only link's id: signed into its token, cleared to revoke it. */
    publicLinkId: uuid("public_link_id"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [
    index("dashboards_workspace_idx").on(table.workspaceId, table.createdAt, table.id),
    uniqueIndex("dashboards_public_link_idx").on(table.publicLinkId),
  ],
);

export type WidgetKind = "chart" | "table" | "kpi" | "markdown";

/** Position and size on the dashboard's 12-column grid. */
export interface WidgetLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const widgets = pgTable(
  "dashboard_widgets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    dashboardId: uuid("dashboard_id")
      .notNull()
      .references(() => dashboards.id, { onDelete: "cascade" }),
    kind: text("kind").$type<WidgetKind>().notNull(),
    title: text("title").notNull().default(""),
    /** The query of a chart, table or KPI; null for markdown. */
    sql: text("sql"),
    sourceId: uuid("source_id"),
    spec: jsonb("spec").$type<ChartSpec>(),
    markdown: text("markdown"),
    layout: jsonb("layout").$type<WidgetLayout>().notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [index("dashboard_widgets_dashboard_idx").on(table.dashboardId, table.createdAt)],
);
