import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import type { InsightsService } from "./insights.service.js";

const insightSchema = z
  .object({
    kind: z.enum([
      "summary",
      "trend",
      "seasonality",
      "anomaly",
      "correlation",
      "driver",
      "forecast",
      "clusters",
    ]),
    title: z.string(),
    sentence: z.string().describe("One plain sentence, written from the numbers in `data`."),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "Insight" });

export function registerInsightsRoutes(app: FastifyInstance, deps: { insights: InsightsService }) {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/insights",
    {
      config: { permission: "workspace.read" },
      schema: {
        operationId: "insights",
        summary:
          "Insights of a query's result or a table: trend, seasonality, anomalies, correlations, drivers, forecast, groups",
        description:
          "The query runs through the guard of `POST /sql` (at most 50,000 rows are read). Give `sql` (with `sourceId` for a live source) or `table`.",
        tags: ["insights"],
        body: z
          .object({
            sql: z.string().min(1).max(100_000).optional(),
            table: z.string().min(1).max(256).optional(),
            sourceId: z.uuid().optional(),
          })
          .refine((body) => Boolean(body.sql) !== Boolean(body.table), {
            message: "give either sql or table",
          }),
        response: {
          200: z.object({ rows: z.number().int(), truncated: z.boolean(), items: z.array(insightSchema) }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          408: problemSchema,
        },
      },
    },
    async (request) => deps.insights.insights(contextOf(request), request.body),
  );
}
