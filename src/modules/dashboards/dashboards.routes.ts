import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { NotFound } from "../../platform/errors.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf, type RequestContext } from "../auth/context.js";
import { chartSpecSchema } from "../charts/index.js";
import type { SourcesModule } from "../sources/index.js";
import type { DashboardRecord, DashboardsService, WidgetData, WidgetRecord } from "./dashboards.service.js";
import { dashboardPdf, dashboardPng } from "./export.js";
import { dashboardFilterSchema, filterOverrideSchema } from "./filters.js";
import { dashboardTemplates, type TemplateTable } from "./templates.js";

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const layoutSchema = z.object({
  x: z.number().int().min(0).max(11),
  y: z.number().int().min(0).max(10_000),
  w: z.number().int().min(1).max(12),
  h: z.number().int().min(1).max(100),
});
const widgetKind = z.enum(["chart", "table", "kpi", "markdown"]);
const access = z
  .enum(["workspace", "editors", "private"])
  .describe("Who sees it: every member, analysts and up, or its author alone.");

export const widgetSchema = z
  .object({
    id: z.uuid(),
    kind: widgetKind,
    title: z.string(),
    sql: z.string().nullable(),
    sourceId: z.uuid().nullable(),
    spec: chartSpecSchema.nullable(),
    markdown: z.string().nullable(),
    layout: layoutSchema,
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Widget" });

export const dashboardSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    filters: z.array(dashboardFilterSchema),
    refreshSeconds: z.number().int().nullable(),
    access,
    shared: z.boolean().describe("A public read-only link is on."),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Dashboard" });

export const widgetDataSchema = z
  .object({
    widgetId: z.uuid(),
    kind: widgetKind,
    markdown: z.string().optional(),
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rows: z.array(z.array(z.unknown())),
    truncated: z.boolean(),
    option: z.record(z.string(), z.unknown()).optional().describe("The Apache ECharts option."),
    applied: z.array(z.string()).describe("The dashboard filters that narrowed this widget."),
    cached: z.boolean().describe("Answered from the query cache: no source it reads changed."),
  })
  .meta({ id: "WidgetData" });

export const dashboardOut = (row: DashboardRecord) => ({
  id: row.id,
  title: row.title,
  description: row.description,
  filters: row.filters,
  refreshSeconds: row.refreshSeconds,
  access: row.access,
  shared: row.publicLinkId !== null,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const widgetOut = (row: WidgetRecord) => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  sql: row.sql,
  sourceId: row.sourceId,
  spec: row.spec,
  markdown: row.markdown,
  layout: row.layout,
  updatedAt: row.updatedAt.toISOString(),
});

export const widgetDataOut = (data: WidgetData) => data;

/** `?filters=` as JSON: values that override the saved filters for this request (cross-filtering). */
export const overridesQuery = z.object({
  filters: z
    .string()
    .max(20_000)
    .optional()
    .transform((text, context) => {
      if (!text) return [];
      try {
        return z.array(filterOverrideSchema).max(50).parse(JSON.parse(text));
      } catch {
        context.addIssue({ code: "custom", message: "filters must be a JSON list of {id, value}" });
        return z.NEVER;
      }
    })
    .describe(
      'JSON list of `{id, value}` overriding saved filter values, e.g. `[{"id":"region","value":["Europe"]}]`.',
    ),
});

const dashboardBody = z.object({
  title: z.string().min(1).max(200),
  description: z.string().max(2_000).optional(),
  filters: z.array(dashboardFilterSchema).max(20).optional(),
  refreshSeconds: z
    .number()
    .int()
    .min(10)
    .max(86_400)
    .nullable()
    .optional()
    .describe("Reload widgets this often; null: never."),
  access: access.optional(),
});

const widgetBody = z.object({
  kind: widgetKind,
  title: z.string().max(200).optional(),
  sql: z.string().min(1).max(100_000).optional(),
  sourceId: z.uuid().optional(),
  spec: chartSpecSchema.optional(),
  markdown: z.string().max(20_000).optional(),
  layout: layoutSchema.optional(),
});

const idParams = z.object({ id: z.string() });
/** A title as a file name: letters, digits, dashes. */
const fileNameOf = (title: string) =>
  title
    .replaceAll(/[^\p{L}\p{N}]+/gu, "-")
    .replaceAll(/^-|-$/g, "")
    .slice(0, 80) || "dashboard";
const widgetParams = z.object({ id: z.string(), widgetId: z.string() });

export function registerDashboardsRoutes(
  app: FastifyInstance,
  deps: {
    dashboards: DashboardsService;
    publicUrl: (token: string) => string;
    exports: SourcesModule["exports"];
    /** The workspace's tables with their columns: what templates are made from. */
    tables: (ctx: RequestContext) => Promise<TemplateTable[]>;
  },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { dashboards } = deps;
  const read = { config: { permission: "workspace.read" as const } };
  const write = { config: { permission: "data.write" as const } };
  const full = async (request: { params: { id: string } } & Parameters<typeof contextOf>[0]) => {
    const { dashboard, widgets } = await dashboards.get(contextOf(request), request.params.id);
    return { ...dashboardOut(dashboard), widgets: widgets.map(widgetOut) };
  };
  const fullSchema = dashboardSchema.extend({ widgets: z.array(widgetSchema) });

  typed.get(
    "/dashboards",
    {
      ...read,
      schema: {
        operationId: "listDashboards",
        summary: "The dashboards you can see, newest first",
        tags: ["dashboards"],
        querystring: pageQuery,
        response: { 200: pageOf(dashboardSchema), ...errors },
      },
    },
    async (request) => {
      const page = await dashboards.list(contextOf(request), request.query);
      return { items: page.items.map(dashboardOut), nextCursor: page.nextCursor };
    },
  );

  typed.post(
    "/dashboards",
    {
      ...write,
      schema: {
        operationId: "createDashboard",
        summary: "Create a dashboard",
        tags: ["dashboards"],
        body: dashboardBody,
        response: { 201: dashboardSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(dashboardOut(await dashboards.create(contextOf(request), request.body))),
  );

  typed.get(
    "/dashboards/templates",
    {
      ...read,
      schema: {
        operationId: "listDashboardTemplates",
        summary: "Built-in dashboards made from one of your tables",
        tags: ["dashboards"],
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), title: z.string(), description: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async () => ({
      items: dashboardTemplates.map(({ id, title, description }) => ({ id, title, description })),
    }),
  );

  typed.post(
    "/dashboards/from-template",
    {
      ...write,
      schema: {
        operationId: "createDashboardFromTemplate",
        summary: "Create a dashboard from a template, for one of the workspace's tables",
        tags: ["dashboards"],
        body: z.object({
          template: z.string().min(1).max(64),
          table: z.string().min(1).max(256),
          title: z.string().min(1).max(200).optional(),
        }),
        response: { 201: dashboardSchema, 408: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const table = (await deps.tables(ctx)).find((entry) => entry.name === request.body.table);
      if (!table) throw new NotFound("Table", { name: request.body.table });
      const dashboard = await dashboards.fromTemplate(ctx, request.body.template, table, request.body.title);
      return reply.status(201).send(dashboardOut(dashboard));
    },
  );

  typed.get(
    "/dashboards/:id",
    {
      ...read,
      schema: {
        operationId: "getDashboard",
        summary: "A dashboard with its widgets",
        tags: ["dashboards"],
        params: idParams,
        response: { 200: fullSchema, ...errors },
      },
    },
    async (request) => full(request),
  );

  typed.patch(
    "/dashboards/:id",
    {
      ...write,
      schema: {
        operationId: "updateDashboard",
        summary: "Rename a dashboard, change its filters (and their values), refresh interval or who sees it",
        tags: ["dashboards"],
        params: idParams,
        body: dashboardBody.partial(),
        response: { 200: dashboardSchema, ...errors },
      },
    },
    async (request) =>
      dashboardOut(await dashboards.update(contextOf(request), request.params.id, request.body)),
  );

  typed.delete(
    "/dashboards/:id",
    {
      ...write,
      schema: {
        operationId: "deleteDashboard",
        summary: "Delete a dashboard and its widgets",
        tags: ["dashboards"],
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await dashboards.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    "/dashboards/:id/duplicate",
    {
      ...write,
      schema: {
        operationId: "duplicateDashboard",
        summary: "Copy a dashboard with its widgets",
        tags: ["dashboards"],
        params: idParams,
        body: z.object({ title: z.string().min(1).max(200).optional() }).optional(),
        response: { 201: dashboardSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          dashboardOut(
            await dashboards.duplicate(contextOf(request), request.params.id, request.body?.title),
          ),
        ),
  );

  typed.post(
    "/dashboards/:id/widgets",
    {
      ...write,
      schema: {
        operationId: "addWidget",
        summary: "Add a widget: a chart, table or KPI of a query, or markdown text",
        description:
          "A query widget's SQL runs first (the guard of `POST /sql`) and its spec must fit the result. Without `layout`, it goes below the others.",
        tags: ["dashboards"],
        params: idParams,
        body: widgetBody,
        response: { 201: widgetSchema, 408: problemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(widgetOut(await dashboards.addWidget(contextOf(request), request.params.id, request.body))),
  );

  typed.patch(
    "/dashboards/:id/widgets/:widgetId",
    {
      ...write,
      schema: {
        operationId: "updateWidget",
        summary: "Change a widget",
        tags: ["dashboards"],
        params: widgetParams,
        body: widgetBody.partial(),
        response: { 200: widgetSchema, 408: problemSchema, ...errors },
      },
    },
    async (request) =>
      widgetOut(
        await dashboards.updateWidget(
          contextOf(request),
          request.params.id,
          request.params.widgetId,
          request.body,
        ),
      ),
  );

  typed.delete(
    "/dashboards/:id/widgets/:widgetId",
    {
      ...write,
      schema: {
        operationId: "deleteWidget",
        summary: "Remove a widget",
        tags: ["dashboards"],
        params: widgetParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await dashboards.removeWidget(contextOf(request), request.params.id, request.params.widgetId);
      return reply.status(204).send(null);
    },
  );

  typed.put(
    "/dashboards/:id/layout",
    {
      ...write,
      schema: {
        operationId: "saveDashboardLayout",
        summary: "Save the positions and sizes of widgets after a drag or resize",
        tags: ["dashboards"],
        params: idParams,
        body: z.object({ items: z.array(layoutSchema.extend({ id: z.uuid() })).max(200) }),
        response: { 200: z.object({ items: z.array(widgetSchema) }), ...errors },
      },
    },
    async (request) => ({
      items: (await dashboards.layout(contextOf(request), request.params.id, request.body.items)).map(
        widgetOut,
      ),
    }),
  );

  typed.get(
    "/dashboards/:id/widgets/:widgetId/data",
    {
      ...read,
      schema: {
        operationId: "getWidgetData",
        summary: "A widget's current rows and chart, narrowed by the dashboard's filters",
        description:
          "Filters apply to widgets whose result has the filtered column; `filters` overrides saved values for this request (a click that cross-filters).",
        tags: ["dashboards"],
        params: widgetParams,
        querystring: overridesQuery,
        response: { 200: widgetDataSchema, 408: problemSchema, ...errors },
      },
    },
    async (request) =>
      dashboards.widgetData(
        contextOf(request),
        request.params.id,
        request.params.widgetId,
        request.query.filters,
      ),
  );

  typed.get(
    "/dashboards/:id/export.:format",
    {
      ...read,
      schema: {
        operationId: "exportDashboard",
        summary: "The dashboard as a PDF (every widget, tables over as many pages as they need) or one PNG",
        description:
          "Drawn on the server from current data with the dashboard's filters (and `filters` overrides); the PDF prints the filter values.",
        tags: ["dashboards"],
        params: z.object({ id: z.string(), format: z.enum(["pdf", "png"]) }),
        querystring: overridesQuery,
        response: { 200: z.unknown().describe("The PDF or PNG file."), 408: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const drawn = await dashboards.drawAll(contextOf(request), request.params.id, request.query.filters);
      const { format } = request.params;
      const body = format === "pdf" ? await dashboardPdf(drawn) : dashboardPng(drawn);
      return reply
        .type(format === "pdf" ? "application/pdf" : "image/png")
        .header(
          "content-disposition",
          `attachment; filename="${fileNameOf(drawn.dashboard.title)}.${format}"`,
        )
        .header("cache-control", "no-store")
        .send(body);
    },
  );

  typed.get(
    "/dashboards/:id/widgets/:widgetId/export.:format",
    {
      ...read,
      schema: {
        operationId: "exportWidgetData",
        summary: "A widget's whole result as CSV or XLSX, with the dashboard's filters",
        description: "The same guard as `POST /sql/export`: no row cap.",
        tags: ["dashboards"],
        params: widgetParams.extend({ format: z.enum(["csv", "xlsx"]) }),
        querystring: overridesQuery,
        response: {
          200: z.unknown().describe("The file, named in Content-Disposition."),
          408: problemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { widget, sql, sourceId } = await dashboards.widgetStatement(
        ctx,
        request.params.id,
        request.params.widgetId,
        request.query.filters,
      );
      const file = await deps.exports.export(ctx, { sql, sourceId, format: request.params.format });
      return reply
        .header("content-type", file.contentType)
        .header(
          "content-disposition",
          `attachment; filename="${fileNameOf(widget.title || "widget")}.${request.params.format}"`,
        )
        .header("cache-control", "no-store")
        .send(file.body);
    },
  );

  typed.get(
    "/dashboards/:id/widgets/:widgetId/drill",
    {
      ...read,
      schema: {
        operationId: "drillWidget",
        summary: "The rows behind one bar or slice: the widget's query for one value of a grouped column",
        description:
          "For widgets whose query groups its rows (a single SELECT … GROUP BY); the dashboard's filters still apply. At most 500 rows.",
        tags: ["dashboards"],
        params: widgetParams,
        querystring: z.object({
          column: z.string().min(1).max(256).describe("The result column clicked (a grouped one)."),
          value: z.string().max(1_000).describe("The value clicked, as text; `null` for an empty group."),
        }),
        response: {
          200: z.object({
            sql: z.string(),
            columns: z.array(z.object({ name: z.string(), type: z.string() })),
            rows: z.array(z.array(z.unknown())),
            truncated: z.boolean(),
          }),
          408: problemSchema,
          ...errors,
        },
      },
    },
    async (request) => {
      const { column, value } = request.query;
      // A quoted literal: the database casts it to the column's type.
      const parsed = value === "null" ? null : value;
      return dashboards.drill(contextOf(request), request.params.id, request.params.widgetId, column, parsed);
    },
  );

  typed.post(
    "/dashboards/:id/share",
    {
      ...write,
      schema: {
        operationId: "shareDashboard",
        summary: "Turn on (or renew) the public read-only link",
        description:
          "The link is a signed token; renewing it or `DELETE /dashboards/{id}/share` revokes the old one.",
        tags: ["dashboards"],
        params: idParams,
        response: { 200: z.object({ token: z.string(), url: z.string() }), ...errors },
      },
    },
    async (request) => {
      const { token } = await dashboards.share(contextOf(request), request.params.id);
      return { token, url: deps.publicUrl(token) };
    },
  );

  typed.delete(
    "/dashboards/:id/share",
    {
      ...write,
      schema: {
        operationId: "unshareDashboard",
        summary: "Revoke the public link",
        tags: ["dashboards"],
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await dashboards.unshare(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  const tokenParams = z.object({ token: z.string().min(10).max(100) });
  const publicConfig = { config: { auth: "public" as const } };

  typed.get(
    "/public/dashboards/:token",
    {
      ...publicConfig,
      schema: {
        operationId: "getPublicDashboard",
        summary: "A dashboard through its public link (read-only, no sign-in)",
        description: "Widgets come without their SQL. A revoked or altered token is a 404.",
        tags: ["dashboards"],
        params: tokenParams,
        response: {
          200: z.object({
            title: z.string(),
            description: z.string(),
            filters: z.array(dashboardFilterSchema),
            refreshSeconds: z.number().int().nullable(),
            widgets: z.array(widgetSchema.omit({ sql: true, sourceId: true })),
          }),
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const { dashboard, widgets } = await dashboards.publicView(request.params.token);
      return {
        title: dashboard.title,
        description: dashboard.description,
        filters: dashboard.filters,
        refreshSeconds: dashboard.refreshSeconds,
        widgets: widgets.map((widget) => {
          const { sql: _sql, sourceId: _source, ...rest } = widgetOut(widget);
          return rest;
        }),
      };
    },
  );

  typed.get(
    "/public/dashboards/:token/widgets/:widgetId/data",
    {
      ...publicConfig,
      schema: {
        operationId: "getPublicWidgetData",
        summary: "A widget's data through a dashboard's public link",
        tags: ["dashboards"],
        params: tokenParams.extend({ widgetId: z.string() }),
        querystring: overridesQuery,
        response: { 200: widgetDataSchema, 400: problemSchema, 404: problemSchema, 408: problemSchema },
      },
    },
    async (request) =>
      dashboards.publicWidgetData(request.params.token, request.params.widgetId, request.query.filters),
  );
}
