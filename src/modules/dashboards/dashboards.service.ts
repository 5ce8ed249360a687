import { randomUUID } from "node:crypto";
import { and, asc, eq, ne, or, type SQL } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Invalid, NotFound } from "../../platform/errors.js";
import type { RequestContext } from "../auth/context.js";
import { buildOption, type ChartSpec, type EChartsOption } from "../charts/index.js";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";
import { assertCan, can } from "../workspaces/index.js";
import {
  type DashboardAccess,
  dashboards,
  type WidgetKind,
  type WidgetLayout,
  widgets,
} from "./dashboards.tables.js";
import { drillSql } from "./drill.js";
import { type DashboardFilter, effectiveFilters, type FilterOverride, filteredSql } from "./filters.js";
import type { ShareTokens } from "./share.js";
import { dashboardTemplates, type TemplateTable } from "./templates.js";

export type DashboardRecord = typeof dashboards.$inferSelect;
export type WidgetRecord = typeof widgets.$inferSelect;

/** Rows a drill-down shows at most. */
export const DRILL_MAX_ROWS = 500;

/** Rows a widget draws at most. */
export const WIDGET_MAX_ROWS = 5_000;

export interface WidgetInput {
  kind: WidgetKind;
  title?: string | undefined;
  sql?: string | undefined;
  sourceId?: string | undefined;
  spec?: ChartSpec | undefined;
  markdown?: string | undefined;
  layout?: WidgetLayout | undefined;
}

export interface WidgetData {
  widgetId: string;
  kind: WidgetKind;
  markdown?: string;
  columns: ResultColumn[];
  rows: JsonValue[][];
  truncated: boolean;
  option?: EChartsOption;
  /** The ids of the dashboard filters that applied to this widget's result. */
  applied: string[];
  /** Answered from the query cache: the widget's data did not change since it was last computed. */
  cached: boolean;
}

export interface DashboardsDeps {
  db: Db;
  clock: Clock;
  sql: (
    ctx: RequestContext,
    input: { sql: string; maxRows: number; sourceId?: string | undefined },
  ) => Promise<{ columns: ResultColumn[]; rows: JsonValue[][]; truncated?: boolean; cached?: boolean }>;
  /** The dialect a source's SQL runs in: the warehouse's DuckDB, or a live database's. */
  dialectOf: (ctx: RequestContext, sourceId: string | null) => Promise<"duckdb" | "postgresql" | "mysql">;
  tokens: ShareTokens;
}

const kindSpec: Partial<Record<WidgetKind, ChartSpec["type"]>> = { table: "table", kpi: "kpi" };

/** Where a new widget goes: below everything, full width for tables and text, half for charts. */
function nextLayout(existing: WidgetLayout[], kind: WidgetKind): WidgetLayout {
  const bottom = Math.max(0, ...existing.map((layout) => layout.y + layout.h));
  const w = kind === "kpi" ? 3 : kind === "chart" ? 6 : 12;
  const h = kind === "kpi" ? 3 : kind === "markdown" ? 2 : 6;
  const row = existing.filter((layout) => layout.y + layout.h === bottom);
  const right = Math.max(0, ...row.map((layout) => layout.x + layout.w));
  if (row.length && right + w <= 12) return { x: right, y: Math.min(...row.map((layout) => layout.y)), w, h };
  return { x: 0, y: bottom, w, h };
}

/**
 * Dashboards and their widgets. Widgets read data only through the sources' guarded SQL path;
 * the dashboard's filters narrow each widget whose result has the filtered column. Who sees a
 * dashboard is its `access`; another workspace's dashboard, or one not visible to the caller, is a 404.
 */
export function createDashboardsService(deps: DashboardsDeps) {
  const { db, clock } = deps;
  /** Drawn widgets by workspace, widget version and filters; a workspace's go when its data changes. */
  const drawn = new LRUCache<string, WidgetData>({
    maxSize: 2_000_000,
    sizeCalculation: (data) => 1 + data.rows.length,
  });

  const visibleTo = (ctx: RequestContext): SQL | undefined => {
    if (can(ctx.role, "data.write"))
      return or(ne(dashboards.access, "private"), eq(dashboards.createdBy, ctx.userId));
    return or(eq(dashboards.access, "workspace"), eq(dashboards.createdBy, ctx.userId));
  };

  async function find(ctx: RequestContext, id: string): Promise<DashboardRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Dashboard", { id });
    const [row] = await db
      .select()
      .from(dashboards)
      .where(and(eq(dashboards.id, id), eq(dashboards.workspaceId, ctx.workspaceId), visibleTo(ctx)));
    if (!row) throw new NotFound("Dashboard", { id });
    return row;
  }

  async function widgetsOf(dashboardId: string): Promise<WidgetRecord[]> {
    return db
      .select()
      .from(widgets)
      .where(eq(widgets.dashboardId, dashboardId))
      .orderBy(asc(widgets.createdAt), asc(widgets.id));
  }

  async function findWidget(
    ctx: RequestContext,
    dashboardId: string,
    widgetId: string,
  ): Promise<WidgetRecord> {
    if (!z.uuid().safeParse(widgetId).success) throw new NotFound("Widget", { id: widgetId });
    const [row] = await db
      .select()
      .from(widgets)
      .where(
        and(
          eq(widgets.id, widgetId),
          eq(widgets.dashboardId, dashboardId),
          eq(widgets.workspaceId, ctx.workspaceId),
        ),
      );
    if (!row) throw new NotFound("Widget", { id: widgetId });
    return row;
  }

  /** A widget's content checked against its kind; a query widget's SQL runs once to check its spec. */
  async function checked(ctx: RequestContext, input: WidgetInput) {
    if (input.kind === "markdown") {
      if (!input.markdown?.trim())
        throw new Invalid("A markdown widget needs its text", { field: "markdown" });
      return { sql: null, sourceId: null, spec: null, markdown: input.markdown };
    }
    if (!input.sql) throw new Invalid(`A ${input.kind} widget needs its SQL`, { field: "sql" });
    const forced = kindSpec[input.kind];
    const spec: ChartSpec = forced
      ? { ...(input.spec ?? {}), type: forced }
      : (input.spec ?? { type: "table" });
    const result = await deps.sql(ctx, {
      sql: input.sql,
      maxRows: WIDGET_MAX_ROWS,
      sourceId: input.sourceId,
    });
    buildOption(spec, result);
    return { sql: input.sql, sourceId: input.sourceId ?? null, spec, markdown: null };
  }

  async function touch(dashboardId: string) {
    await db.update(dashboards).set({ updatedAt: clock.now() }).where(eq(dashboards.id, dashboardId));
  }

  /** The statement a widget's data comes from, with the filters that apply to its result. */
  async function statement(
    ctx: RequestContext,
    dashboard: DashboardRecord,
    widget: WidgetRecord,
    overrides: FilterOverride[],
  ) {
    if (!widget.sql) throw new Invalid("A markdown widget has no data to export");
    const sourceId = widget.sourceId ?? undefined;
    const base = await deps.sql(ctx, { sql: widget.sql, maxRows: 1, sourceId });
    const names = new Set(base.columns.map((column) => column.name));
    const applied = effectiveFilters(dashboard.filters, overrides).filter((filter) =>
      names.has(filter.field),
    );
    const sql = applied.length
      ? filteredSql(widget.sql, applied, await deps.dialectOf(ctx, widget.sourceId))
      : widget.sql;
    return { sql, sourceId };
  }

  async function draw(
    ctx: RequestContext,
    dashboard: DashboardRecord,
    widget: WidgetRecord,
    overrides: FilterOverride[],
  ): Promise<WidgetData> {
    if (widget.kind === "markdown" || !widget.sql)
      return {
        widgetId: widget.id,
        kind: widget.kind,
        markdown: widget.markdown ?? "",
        columns: [],
        rows: [],
        truncated: false,
        applied: [],
        cached: true,
      };
    // A warehouse widget drawn before from the same data, definition and filters is drawn again
    // from memory; a live database's data can change at any time, so its widgets always run.
    const key = widget.sourceId
      ? undefined
      : JSON.stringify([
          ctx.workspaceId,
          widget.id,
          widget.updatedAt.getTime(),
          dashboard.filters,
          overrides,
        ]);
    const known = key ? drawn.get(key) : undefined;
    if (known) return { ...known, cached: true };
    const sourceId = widget.sourceId ?? undefined;
    const base = await deps.sql(ctx, { sql: widget.sql, maxRows: WIDGET_MAX_ROWS, sourceId });
    const names = new Set(base.columns.map((column) => column.name));
    const applied = effectiveFilters(dashboard.filters, overrides).filter((filter) =>
      names.has(filter.field),
    );
    const result = applied.length
      ? await deps.sql(ctx, {
          sql: filteredSql(widget.sql, applied, await deps.dialectOf(ctx, widget.sourceId)),
          maxRows: WIDGET_MAX_ROWS,
          sourceId,
        })
      : base;
    const option = buildOption(
      { title: widget.title || undefined, ...(widget.spec ?? { type: "table" }) },
      result,
    );
    const data: WidgetData = {
      widgetId: widget.id,
      kind: widget.kind,
      columns: result.columns,
      rows: result.rows,
      truncated: result.truncated ?? false,
      option,
      applied: applied.map((filter) => filter.id),
      cached: result.cached ?? false,
    };
    if (key) drawn.set(key, data, { size: 1 + result.rows.length });
    return data;
  }

  const service = {
    async list(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
      const order = newestFirst(dashboards, query.cursor);
      const rows = await db
        .select()
        .from(dashboards)
        .where(and(eq(dashboards.workspaceId, ctx.workspaceId), visibleTo(ctx), order.where))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(rows, query.limit);
    },

    async get(ctx: RequestContext, id: string) {
      const dashboard = await find(ctx, id);
      return { dashboard, widgets: await widgetsOf(dashboard.id) };
    },

    async create(
      ctx: RequestContext,
      input: {
        title: string;
        description?: string | undefined;
        filters?: DashboardFilter[] | undefined;
        refreshSeconds?: number | null | undefined;
        access?: DashboardAccess | undefined;
      },
    ): Promise<DashboardRecord> {
      assertCan(ctx.role, "data.write");
      const now = clock.now();
      const [row] = await db
        .insert(dashboards)
        .values({
          workspaceId: ctx.workspaceId,
          title: input.title,
          description: input.description ?? "",
          filters: input.filters ?? [],
          refreshSeconds: input.refreshSeconds ?? null,
          access: input.access ?? "workspace",
          createdBy: ctx.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("insert returned no dashboard");
      return row;
    },

    async update(
      ctx: RequestContext,
      id: string,
      patch: {
        title?: string | undefined;
        description?: string | undefined;
        filters?: DashboardFilter[] | undefined;
        refreshSeconds?: number | null | undefined;
        access?: DashboardAccess | undefined;
      },
    ): Promise<DashboardRecord> {
      assertCan(ctx.role, "data.write");
      const dashboard = await find(ctx, id);
      if (patch.filters && new Set(patch.filters.map((filter) => filter.id)).size !== patch.filters.length)
        throw new Invalid("Two filters have the same id", { field: "filters" });
      const [row] = await db
        .update(dashboards)
        .set({
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.filters !== undefined ? { filters: patch.filters } : {}),
          ...(patch.refreshSeconds !== undefined ? { refreshSeconds: patch.refreshSeconds } : {}),
          ...(patch.access !== undefined ? { access: patch.access } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(dashboards.id, dashboard.id))
        .returning();
      if (!row) throw new NotFound("Dashboard", { id });
      return row;
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "data.write");
      const dashboard = await find(ctx, id);
      await db.delete(dashboards).where(eq(dashboards.id, dashboard.id));
    },

    /** A copy with every widget, private to nobody: the copy is the caller's, with no public link. */
    async duplicate(ctx: RequestContext, id: string, title?: string): Promise<DashboardRecord> {
      assertCan(ctx.role, "data.write");
      const { dashboard, widgets: items } = await service.get(ctx, id);
      return db.transaction(async (tx) => {
        const now = clock.now();
        const [copy] = await tx
          .insert(dashboards)
          .values({
            workspaceId: ctx.workspaceId,
            title: title ?? `${dashboard.title} (copy)`,
            description: dashboard.description,
            filters: dashboard.filters,
            refreshSeconds: dashboard.refreshSeconds,
            access: dashboard.access,
            createdBy: ctx.userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!copy) throw new Error("insert returned no dashboard");
        if (items.length)
          await tx.insert(widgets).values(
            items.map(({ id: _id, dashboardId: _dashboard, ...widget }) => ({
              ...widget,
              dashboardId: copy.id,
              createdAt: now,
              updatedAt: now,
            })),
          );
        return copy;
      });
    },

    async addWidget(ctx: RequestContext, dashboardId: string, input: WidgetInput): Promise<WidgetRecord> {
      assertCan(ctx.role, "data.write");
      const dashboard = await find(ctx, dashboardId);
      const content = await checked(ctx, input);
      const existing = await widgetsOf(dashboard.id);
      const now = clock.now();
      const [row] = await db
        .insert(widgets)
        .values({
          workspaceId: ctx.workspaceId,
          dashboardId: dashboard.id,
          kind: input.kind,
          title: input.title ?? "",
          ...content,
          layout:
            input.layout ??
            nextLayout(
              existing.map((widget) => widget.layout),
              input.kind,
            ),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("insert returned no widget");
      await touch(dashboard.id);
      return row;
    },

    async updateWidget(
      ctx: RequestContext,
      dashboardId: string,
      widgetId: string,
      patch: Partial<WidgetInput>,
    ): Promise<WidgetRecord> {
      assertCan(ctx.role, "data.write");
      const dashboard = await find(ctx, dashboardId);
      const widget = await findWidget(ctx, dashboard.id, widgetId);
      const content =
        patch.sql !== undefined ||
        patch.spec !== undefined ||
        patch.markdown !== undefined ||
        patch.kind !== undefined
          ? await checked(ctx, {
              kind: patch.kind ?? widget.kind,
              sql: patch.sql ?? widget.sql ?? undefined,
              sourceId: patch.sourceId ?? widget.sourceId ?? undefined,
              spec: patch.spec ?? widget.spec ?? undefined,
              markdown: patch.markdown ?? widget.markdown ?? undefined,
            })
          : {};
      const [row] = await db
        .update(widgets)
        .set({
          ...content,
          ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.layout !== undefined ? { layout: patch.layout } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(widgets.id, widget.id))
        .returning();
      if (!row) throw new NotFound("Widget", { id: widgetId });
      await touch(dashboard.id);
      return row;
    },

    async removeWidget(ctx: RequestContext, dashboardId: string, widgetId: string): Promise<void> {
      assertCan(ctx.role, "data.write");
      const dashboard = await find(ctx, dashboardId);
      const widget = await findWidget(ctx, dashboard.id, widgetId);
      await db.delete(widgets).where(eq(widgets.id, widget.id));
      await touch(dashboard.id);
    },

    /** Positions and sizes of several widgets at once, as the grid reports them after a drag. */
    async layout(
      ctx: RequestContext,
      dashboardId: string,
      items: ({ id: string } & WidgetLayout)[],
    ): Promise<WidgetRecord[]> {
      assertCan(ctx.role, "data.write");
      const dashboard = await find(ctx, dashboardId);
      const current = await widgetsOf(dashboard.id);
      const known = new Set(current.map((widget) => widget.id));
      const unknown = items.find((item) => !known.has(item.id));
      if (unknown) throw new NotFound("Widget", { id: unknown.id });
      const now = clock.now();
      await db.transaction(async (tx) => {
        for (const { id, x, y, w, h } of items)
          await tx.update(widgets).set({ layout: { x, y, w, h }, updatedAt: now }).where(eq(widgets.id, id));
        await tx.update(dashboards).set({ updatedAt: now }).where(eq(dashboards.id, dashboard.id));
      });
      return widgetsOf(dashboard.id);
    },

    /** One widget's data, narrowed by the dashboard's filters (and this request's overrides). */
    async widgetData(
      ctx: RequestContext,
      dashboardId: string,
      widgetId: string,
      overrides: FilterOverride[] = [],
    ): Promise<WidgetData> {
      const dashboard = await find(ctx, dashboardId);
      return draw(ctx, dashboard, await findWidget(ctx, dashboard.id, widgetId), overrides);
    },

    /** Every widget with its data, in reading order (top to bottom, left to right): what exports draw. */
    async drawAll(ctx: RequestContext, id: string, overrides: FilterOverride[] = []) {
      const dashboard = await find(ctx, id);
      const items = (await widgetsOf(dashboard.id)).sort(
        (a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x,
      );
      const drawn = [];
      for (const widget of items) drawn.push({ widget, data: await draw(ctx, dashboard, widget, overrides) });
      return {
        dashboard,
        widgets: drawn,
        filters: effectiveFilters(dashboard.filters, overrides),
        at: clock.now(),
      };
    },

    /** A widget's whole result (filters applied, no row cap) as a statement for the sources' exports. */
    async widgetStatement(
      ctx: RequestContext,
      dashboardId: string,
      widgetId: string,
      overrides: FilterOverride[] = [],
    ) {
      const dashboard = await find(ctx, dashboardId);
      const widget = await findWidget(ctx, dashboard.id, widgetId);
      return { widget, ...(await statement(ctx, dashboard, widget, overrides)) };
    },

    /**
     * The rows behind one bar or slice of a widget that groups its rows: its query with the group's
     * expression equal to the value clicked and no grouping, the dashboard's filters still applied.
     */
    async drill(
      ctx: RequestContext,
      dashboardId: string,
      widgetId: string,
      column: string,
      value: string | number | boolean | null,
    ) {
      const dashboard = await find(ctx, dashboardId);
      const widget = await findWidget(ctx, dashboard.id, widgetId);
      if (!widget.sql) throw new Invalid("A markdown widget has no rows");
      const dialect = await deps.dialectOf(ctx, widget.sourceId);
      const sql = drillSql(widget.sql, column, value, dialect, DRILL_MAX_ROWS);
      const sourceId = widget.sourceId ?? undefined;
      const base = await deps.sql(ctx, { sql, maxRows: DRILL_MAX_ROWS, sourceId });
      const names = new Set(base.columns.map((entry) => entry.name));
      const applied = effectiveFilters(dashboard.filters).filter((filter) => names.has(filter.field));
      const result = applied.length
        ? await deps.sql(ctx, { sql: filteredSql(sql, applied, dialect), maxRows: DRILL_MAX_ROWS, sourceId })
        : base;
      return { sql, columns: result.columns, rows: result.rows, truncated: result.truncated ?? false };
    },

    /**
     * A new dashboard from a template, made for one of the workspace's tables; every widget's query
     * runs first, like any widget's, and a failure leaves no dashboard behind.
     */
    async fromTemplate(ctx: RequestContext, templateId: string, table: TemplateTable, title?: string) {
      assertCan(ctx.role, "data.write");
      const template = dashboardTemplates.find((entry) => entry.id === templateId);
      if (!template) throw new NotFound("Template", { id: templateId });
      const items = template.build(table);
      const checkedItems = await Promise.all(
        items.map(async (item) => ({
          kind: item.kind,
          title: item.title ?? "",
          layout: item.layout,
          ...(await checked(ctx, item)),
        })),
      );
      return db.transaction(async (tx) => {
        const now = clock.now();
        const [dashboard] = await tx
          .insert(dashboards)
          .values({
            workspaceId: ctx.workspaceId,
            title: title ?? `${table.name}: ${template.title}`,
            description: template.description,
            createdBy: ctx.userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!dashboard) throw new Error("insert returned no dashboard");
        await tx.insert(widgets).values(
          checkedItems.map((item, order) => ({
            workspaceId: ctx.workspaceId,
            dashboardId: dashboard.id,
            kind: item.kind,
            title: item.title,
            sql: item.sql,
            sourceId: item.sourceId,
            spec: item.spec,
            markdown: item.markdown,
            layout: item.layout,
            // In the template's order.
            createdAt: new Date(now.getTime() + order),
            updatedAt: now,
          })),
        );
        return dashboard;
      });
    },

    /** Creates (or replaces) the public read-only link; the old link stops working. */
    async share(ctx: RequestContext, id: string): Promise<{ token: string }> {
      assertCan(ctx.role, "data.write");
      const dashboard = await find(ctx, id);
      const linkId = randomUUID();
      await db
        .update(dashboards)
        .set({ publicLinkId: linkId, updatedAt: clock.now() })
        .where(eq(dashboards.id, dashboard.id));
      return { token: deps.tokens.sign(linkId) };
    },

    async unshare(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "data.write");
      const dashboard = await find(ctx, id);
      await db
        .update(dashboards)
        .set({ publicLinkId: null, updatedAt: clock.now() })
        .where(eq(dashboards.id, dashboard.id));
    },

    /** What a public link shows: the dashboard and its widgets, without their SQL. */
    async publicView(token: string) {
      const linkId = deps.tokens.verify(token);
      const [dashboard] = await db.select().from(dashboards).where(eq(dashboards.publicLinkId, linkId));
      if (!dashboard) throw new NotFound("Dashboard");
      return { dashboard, widgets: await widgetsOf(dashboard.id) };
    },

    /** A widget's data through a public link: read as a viewer of the dashboard's workspace. */
    async publicWidgetData(
      token: string,
      widgetId: string,
      overrides: FilterOverride[] = [],
    ): Promise<WidgetData> {
      const { dashboard } = await service.publicView(token);
      const ctx: RequestContext = {
        workspaceId: dashboard.workspaceId,
        userId: dashboard.createdBy,
        role: "viewer",
        actor: { type: "system", label: "public dashboard link" },
        meta: { ip: null, userAgent: null },
      };
      return draw(ctx, dashboard, await findWidget(ctx, dashboard.id, widgetId), overrides);
    },

    /** Every dashboard of a workspace that has a widget reading data, for `dashboard_updated` events. */
    async withData(workspaceId: string): Promise<{ id: string; widgetIds: string[] }[]> {
      const rows = await db
        .select({ dashboardId: widgets.dashboardId, id: widgets.id, kind: widgets.kind })
        .from(widgets)
        .where(and(eq(widgets.workspaceId, workspaceId), ne(widgets.kind, "markdown")));
      const byDashboard = new Map<string, string[]>();
      for (const row of rows)
        byDashboard.set(row.dashboardId, [...(byDashboard.get(row.dashboardId) ?? []), row.id]);
      return [...byDashboard].map(([id, widgetIds]) => ({ id, widgetIds }));
    },

    /** New data is in the workspace's warehouse: its widgets are drawn again when next asked for. */
    forgetDrawn(workspaceId: string): void {
      const prefix = JSON.stringify([workspaceId]).slice(0, -1);
      for (const key of drawn.keys()) if (key.startsWith(prefix)) drawn.delete(key);
    },

    async removeWorkspace(workspaceId: string): Promise<void> {
      service.forgetDrawn(workspaceId);
      await db.delete(widgets).where(eq(widgets.workspaceId, workspaceId));
      await db.delete(dashboards).where(eq(dashboards.workspaceId, workspaceId));
    },
  };
  return service;
}

export type DashboardsService = ReturnType<typeof createDashboardsService>;
