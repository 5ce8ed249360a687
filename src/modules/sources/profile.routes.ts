import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { Conflict } from "../../platform/errors.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import type { SourceRecord, SourcesService } from "./sources.service.js";

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const columnProfileSchema = z
  .object({
    name: z.string(),
    type: z.string().describe("integer, decimal, boolean, date, timestamp, text or other."),
    nulls: z.number().int(),
    blanks: z.number().int().describe("Text values that are empty or only whitespace."),
    distinct: z.number().int().describe("Distinct non-null values; an estimate when `approximateDistinct`."),
    approximateDistinct: z
      .boolean()
      .optional()
      .describe("The table has more than 2,000,000 rows: `distinct` is a HyperLogLog estimate."),
    min: scalar,
    max: scalar,
    top: z
      .array(z.object({ value: scalar, count: z.number().int() }))
      .describe("The five commonest non-null values, commonest first."),
    histogram: z
      .array(
        z.object({
          from: z.union([z.string(), z.number()]),
          to: z.union([z.string(), z.number()]),
          count: z.number().int(),
        }),
      )
      .optional()
      .describe(
        "Numbers and dates: 10 equal-width bins (one per value when fewer values fit); absent for other types.",
      ),
    typeMismatches: z
      .number()
      .int()
      .describe("Text columns whose values are at least 90% numbers or dates: how many values are not."),
    expectedType: z.enum(["number", "date"]).optional(),
    mismatchExamples: z.array(z.string()).optional().describe("The commonest mismatching values."),
  })
  .meta({ id: "ColumnProfile" });

const tableProfileSchema = z
  .object({
    table: z.string(),
    rows: z.number().int(),
    duplicateRows: z.number().int().describe("Rows that repeat an earlier row exactly."),
    columns: z.array(columnProfileSchema).describe("The first 200 columns."),
  })
  .meta({ id: "TableProfile" });

const qualityIssueSchema = z
  .object({
    table: z.string(),
    column: z.string().optional(),
    kind: z.enum(["type_mismatch", "blanks", "duplicate_rows", "malformed_rows"]),
    count: z.number().int(),
    message: z.string(),
    examples: z
      .array(z.union([z.string(), z.number()]))
      .optional()
      .describe("Offending values or line numbers."),
  })
  .meta({ id: "QualityIssue" });

const sourceProfileSchema = z
  .object({
    sourceId: z.uuid(),
    status: z.enum(["processing", "ready", "failed"]),
    version: z.number().int().describe("The source's data version the profile describes."),
    profile: z
      .array(tableProfileSchema)
      .nullable()
      .describe("Null for live database sources, and when profiling failed (the load itself stands)."),
    quality: z.array(qualityIssueSchema).nullable().describe("Empty when nothing needs a look."),
    profiling: z
      .boolean()
      .describe(
        "The profile of the current data is being computed (it follows every load); until then `profile` is " +
          "null or describes the previous data, and `quality` may list only malformed rows.",
      ),
  })
  .meta({ id: "SourceProfile" });

/** A source's profile, once it has one: while the first load runs or after it failed there is none yet. */
export function profileOf(source: SourceRecord) {
  if (source.profile === null && source.status === "processing") {
    throw new Conflict("This source is still loading: its profile is ready once loading finishes", {
      sourceStatus: source.status,
    });
  }
  if (source.profile === null && source.status === "failed") {
    throw new Conflict(
      `This source failed to load, so it has no profile: ${source.error ?? "unknown error"}`,
      {
        status: source.status,
      },
    );
  }
  return {
    sourceId: source.id,
    status: source.status,
    version: source.version,
    profile: source.profile,
    quality: source.quality,
    profiling:
      source.status === "ready" && source.mode !== "live" && source.profiledVersion !== source.version,
  };
}

export function registerProfileRoutes(
  app: FastifyInstance,
  deps: { sources: Pick<SourcesService, "owned"> },
) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/sources/:id/profile",
    {
      schema: {
        operationId: "getSourceProfile",
        summary: "Column profile and data-quality report of a source's tables",
        description:
          "Computed when the source loads: per column nulls, blanks, distinct values, min/max, top values, " +
          "histograms and type mismatches; per table duplicate rows; and the quality issues they add up to. " +
          "409 while the source's first load runs or after it failed.",
        tags: ["sources"],
        params: z.object({ id: z.string() }),
        response: {
          200: sourceProfileSchema,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request) => profileOf(await deps.sources.owned(contextOf(request), request.params.id)),
  );
}
