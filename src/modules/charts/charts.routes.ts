import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import { chartSpecSchema, chartTypes } from "./chart.types.js";
import type { ChartRecord, ChartsService } from "./charts.service.js";

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const option = z.record(z.string(), z.unknown()).describe("An Apache ECharts option (JSON).");
const resultColumn = z.object({ name: z.string(), type: z.string() });
const cell = z.unknown();

const chartSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    spec: chartSpecSchema,
    sql: z.string(),
    sourceId: z.uuid().nullable().describe("The live source the SQL runs in; null for the warehouse."),
    answerId: z.uuid().nullable().describe("The ask answer it was made from."),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Chart" });

const suggestionSchema = z
  .object({ spec: chartSpecSchema, reason: z.string() })
  .meta({ id: "ChartSuggestion" });

const chartOut = (row: ChartRecord) => ({
  id: row.id,
  title: row.title,
  spec: row.spec,
  sql: row.sql,
  sourceId: row.sourceId,
  answerId: row.answerId,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const drawnSchema = z.object({
  columns: z.array(resultColumn),
  rows: z.array(z.array(cell)),
  truncated: z
    .boolean()
    .describe("More rows than a chart draws (5,000) were returned; the rest were left out."),
  option,
});

const idParams = z.object({ id: z.string() });
const sizeQuery = z.object({
  width: z.coerce.number().int().min(120).max(4_000).default(800),
  height: z.coerce.number().int().min(90).max(4_000).default(450),
});

export function registerChartsRoutes(app: FastifyInstance, deps: { charts: ChartsService }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { charts } = deps;
  const read = { config: { permission: "workspace.read" as const } };

  typed.get(
    "/charts/types",
    {
      ...read,
      schema: {
        operationId: "listChartTypes",
        summary: "The chart types, with the data shape each needs",
        tags: ["charts"],
        response: {
          200: z.object({
            items: z.array(
              z.object({
                type: z.enum(chartTypes),
                label: z.string(),
                description: z.string(),
                needs: z.object({
                  dimensions: z.tuple([z.number(), z.number()]),
                  measures: z.tuple([z.number(), z.number()]),
                  time: z.boolean().optional(),
                }),
                fields: z.array(z.string()),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async () => ({ items: charts.types() }),
  );

  typed.post(
    "/charts/suggest",
    {
      ...read,
      schema: {
        operationId: "suggestCharts",
        summary: "Chart types for a result's shape, best first, each with its reason",
        tags: ["charts"],
        body: z.object({ columns: z.array(resultColumn).max(200), rows: z.array(z.array(cell)).max(10_000) }),
        response: { 200: z.object({ items: z.array(suggestionSchema) }), ...errors },
      },
    },
    async (request) => ({
      items: charts.suggest(request.body as { columns: { name: string; type: string }[]; rows: never[][] }),
    }),
  );

  typed.post(
    "/charts/preview",
    {
      ...read,
      schema: {
        operationId: "previewChart",
        summary: "Run a query and draw it, as a spec or as the best suggestion for its shape",
        description:
          "The SQL runs through the same guard and executor as `POST /sql` (read-only, the workspace's tables, " +
          "timeout) and at most 5,000 rows are drawn. Without `spec`, the first of `suggestions` is drawn.",
        tags: ["charts"],
        body: z.object({
          sql: z.string().min(1).max(100_000),
          sourceId: z.uuid().optional(),
          spec: chartSpecSchema.optional(),
        }),
        response: {
          200: drawnSchema.extend({ spec: chartSpecSchema, suggestions: z.array(suggestionSchema) }),
          408: problemSchema,
          ...errors,
        },
      },
    },
    async (request) => charts.preview(contextOf(request), request.body),
  );

  typed.get(
    "/charts",
    {
      ...read,
      schema: {
        operationId: "listCharts",
        summary: "The workspace's saved charts, newest first",
        tags: ["charts"],
        querystring: pageQuery,
        response: { 200: pageOf(chartSchema), ...errors },
      },
    },
    async (request) => {
      const page = await charts.list(contextOf(request), request.query);
      return { items: page.items.map(chartOut), nextCursor: page.nextCursor };
    },
  );

  typed.post(
    "/charts",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "createChart",
        summary: "Save a chart: a query and how to draw it",
        description: "The query runs first; a spec that does not fit its result is a 400.",
        tags: ["charts"],
        body: z.object({
          title: z.string().min(1).max(200),
          spec: chartSpecSchema,
          sql: z.string().min(1).max(100_000),
          sourceId: z.uuid().optional(),
          answerId: z.uuid().optional(),
        }),
        response: { 201: chartSchema, 408: problemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(chartOut(await charts.create(contextOf(request), request.body))),
  );

  typed.get(
    "/charts/:id",
    {
      ...read,
      schema: {
        operationId: "getChart",
        summary: "A saved chart",
        tags: ["charts"],
        params: idParams,
        response: { 200: chartSchema, ...errors },
      },
    },
    async (request) => chartOut(await charts.get(contextOf(request), request.params.id)),
  );

  typed.patch(
    "/charts/:id",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "updateChart",
        summary: "Rename a chart, change how it is drawn or its query",
        tags: ["charts"],
        params: idParams,
        body: z.object({
          title: z.string().min(1).max(200).optional(),
          spec: chartSpecSchema.optional(),
          sql: z.string().min(1).max(100_000).optional(),
        }),
        response: { 200: chartSchema, 408: problemSchema, ...errors },
      },
    },
    async (request) => chartOut(await charts.update(contextOf(request), request.params.id, request.body)),
  );

  typed.delete(
    "/charts/:id",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "deleteChart",
        summary: "Delete a chart",
        tags: ["charts"],
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await charts.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    "/charts/:id/data",
    {
      ...read,
      schema: {
        operationId: "getChartData",
        summary: "A saved chart's current rows and ECharts option",
        tags: ["charts"],
        params: idParams,
        response: { 200: drawnSchema.extend({ chart: chartSchema }), 408: problemSchema, ...errors },
      },
    },
    async (request) => {
      const drawn = await charts.data(contextOf(request), request.params.id);
      return { ...drawn, chart: chartOut(drawn.chart) };
    },
  );

  for (const format of ["svg", "png"] as const)
    typed.get(
      `/charts/:id.${format}`,
      {
        ...read,
        schema: {
          operationId: format === "svg" ? "getChartSvg" : "getChartPng",
          summary: `A saved chart drawn on the server as ${format.toUpperCase()}, from its current data`,
          description: "For e-mails and documents. PNG is drawn at twice the size asked for, for sharp text.",
          tags: ["charts"],
          params: idParams,
          querystring: sizeQuery,
          response: {
            200: z.unknown().describe(`The ${format.toUpperCase()} image.`),
            408: problemSchema,
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const image = await charts.image(contextOf(request), request.params.id, format, request.query);
        return reply
          .type(format === "svg" ? "image/svg+xml; charset=utf-8" : "image/png")
          .header("cache-control", "private, no-store")
          .send(image);
      },
    );
}
