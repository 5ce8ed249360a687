import { z } from "zod";

const columnRef = z.object({ table: z.string(), column: z.string() });
const join = z.object({
  fromTable: z.string(),
  fromColumn: z.string(),
  toTable: z.string(),
  toColumn: z.string(),
});
const aggregation = z.enum(["count", "count_distinct", "sum", "avg", "min", "max"]);
const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const plainFilter = z.object({
  column: columnRef,
  op: z.enum([
    "=",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "between",
    "in",
    "not in",
    "like",
    "is null",
    "is not null",
    "in ranges",
  ]),
  values: z.array(value),
});
const filter = plainFilter.extend({
  subquery: z
    .object({
      table: z.string(),
      column: z.string(),
      agg: aggregation.optional(),
      filters: z.array(plainFilter).optional(),
    })
    .optional()
    .describe("Compared with a query instead of values: a list for in / not in, one aggregate otherwise."),
});
const measure = z.object({
  agg: aggregation,
  column: columnRef.optional(),
  alias: z.string(),
  where: z.array(plainFilter).optional().describe("Only rows passing these are aggregated."),
  percentOf: z
    .enum(["group", "all"])
    .optional()
    .describe("A percentage of the same aggregate over every row of the group, or of all groups."),
  per: z
    .object({ table: z.string(), where: z.array(plainFilter).optional() })
    .optional()
    .describe("Divided by the number of rows of this table (an average per entity, zeros included)."),
});
const chartKind = z.enum(["number", "bar", "line", "area", "pie", "scatter", "table"]);

const planSchema = z
  .object({
    from: z.string(),
    joins: z.array(join),
    measures: z.array(measure),
    dimensions: z.array(
      z.object({
        column: columnRef,
        bucket: z.enum(["day", "week", "month", "quarter", "year"]).optional(),
        alias: z.string(),
      }),
    ),
    select: z.array(columnRef).optional(),
    filters: z.array(filter),
    having: z.array(
      z.object({
        measure,
        op: z.enum(["=", "!=", ">", ">=", "<", "<=", "between"]),
        values: z.array(z.number()),
      }),
    ),
    order: z.array(
      z.object({
        by: z.string(),
        direction: z.enum(["asc", "desc"]),
        measure: measure.optional().describe("An aggregate ordered by without being shown."),
      }),
    ),
    limit: z.number().int().optional(),
    distinct: z.boolean().optional(),
    chart: chartKind.optional().describe("A chart the question asked for; kept through follow-ups."),
  })
  .describe("The typed query plan (tables, joins, measures, dimensions, filters…) the SQL was compiled from.")
  .meta({ id: "QueryPlan" });

export const answerSchema = z
  .object({
    question: z.string(),
    sql: z.string().describe("The statement that ran; empty when the answer is a clarification only."),
    explanation: z.string(),
    confidence: z.number().min(0).max(1),
    columns: z.array(z.object({ name: z.string(), type: z.string(), sourceType: z.string() })),
    rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
    truncated: z.boolean().describe("More rows exist than the answer carries."),
    chart: z.object({
      kind: chartKind,
      x: z.string().optional(),
      y: z.array(z.string()).optional(),
      series: z.string().optional(),
      title: z.string(),
    }),
    followups: z.array(z.string()),
    clarification: z
      .object({
        question: z.string(),
        options: z.array(z.object({ label: z.string(), sql: z.string(), plan: planSchema.optional() })),
      })
      .optional()
      .describe("Two readings the engine would not choose between: ask again with the one meant."),
    plan: planSchema.optional(),
    engine: z.enum(["offline", "llm"]),
    disagreement: z
      .string()
      .optional()
      .describe("Both engines answered and their results differ: what the other reading gave."),
  })
  .meta({ id: "AskAnswer" });
