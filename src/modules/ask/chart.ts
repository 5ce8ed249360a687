import type { ResultColumn } from "../warehouse/duckdb-engine.js";
import { explainPlan } from "./compile.js";
import type { ChartSpec, QueryPlan } from "./types.js";

const numeric = (column: Pick<ResultColumn, "type">) =>
  column.type === "integer" || column.type === "decimal";
const temporal = (column: Pick<ResultColumn, "type">) =>
  column.type === "date" || column.type === "timestamp";

/**
 * The chart for an answer: one number → number; a time dimension → line; one category and a
 * measure → bar (pie for at most 6 parts of a whole: counts or totals); two dimensions →
 * grouped bar with the second as series; anything else → table. A chart the question asked
 * for wins when the result can be drawn that way.
 */
export function chooseChart(
  plan: QueryPlan | undefined,
  columns: Pick<ResultColumn, "name" | "type">[],
  rows: unknown[][],
): ChartSpec {
  const title = plan ? explainPlan(plan).replace(/\.$/, "") : "Result";
  const measures = plan
    ? plan.measures.map((measure) => measure.alias)
    : columns.filter(numeric).map((column) => column.name);
  const dimensions = plan ? plan.dimensions : [];
  const values = columns
    .filter((column) => measures.includes(column.name) && numeric(column))
    .map((column) => column.name);
  if (columns.length === 1 && rows.length === 1 && columns[0] && numeric(columns[0]))
    return { kind: "number", y: [columns[0].name], title };
  if (!plan || values.length === 0 || dimensions.length === 0) {
    if (rows.length === 1 && values.length === 1 && columns.length === 1)
      return { kind: "number", y: values, title };
    return { kind: "table", title };
  }
  const time = dimensions.find(
    (dimension) =>
      dimension.bucket ||
      temporal(columns.find((column) => column.name === dimension.alias) ?? { type: "text" }),
  );
  const requested = plan.chart;
  if (dimensions.length === 1) {
    const x = dimensions[0]?.alias;
    if (!x) return { kind: "table", title };
    if (requested && requested !== "number") return { kind: requested, x, y: values, title };
    if (time) return { kind: "line", x, y: values, title };
    const additive = plan.measures[0]?.agg === "count" || plan.measures[0]?.agg === "sum";
    if (additive && values.length === 1 && rows.length > 1 && rows.length <= 6 && plan.limit === undefined)
      return { kind: "pie", x, y: values, title };
    return { kind: "bar", x, y: values, title };
  }
  if (dimensions.length === 2) {
    const [first, second] = time ? [time, dimensions.find((dimension) => dimension !== time)] : dimensions;
    if (!first || !second) return { kind: "table", title };
    return {
      kind: requested && requested !== "pie" && requested !== "number" ? requested : time ? "line" : "bar",
      x: first.alias,
      y: values.slice(0, 1),
      series: second.alias,
      title,
    };
  }
  return { kind: "table", title };
}

/** Follow-up questions that make sense after this plan. */
export function suggestFollowups(
  plan: QueryPlan | undefined,
  schema?: { tables: { name: string; columns: { name: string; role: string; table: string }[] }[] },
): string[] {
  if (!plan) return [];
  const followups: string[] = [];
  const timed = plan.filters.some(
    (filter) => typeof filter.values[0] === "string" && /^\d{4}-\d\d-\d\d/.test(filter.values[0]),
  );
  const bucketed = plan.dimensions.some((dimension) => dimension.bucket);
  if (plan.measures.length && !bucketed) followups.push("show it by month");
  if (bucketed) followups.push("break it down by quarter");
  if (!timed) followups.push(`and in ${new Date().getUTCFullYear() - 1}?`);
  if (plan.dimensions.length === 1 && plan.limit === undefined) followups.push("top 5 instead");
  const used = new Set(
    plan.dimensions.map((dimension) => `${dimension.column.table}.${dimension.column.column}`),
  );
  const tables = new Set([plan.from, ...plan.joins.flatMap((join) => [join.fromTable, join.toTable])]);
  const dimension = schema?.tables
    .filter((table) => tables.has(table.name))
    .flatMap((table) => table.columns)
    .find((column) => column.role === "dimension" && !used.has(`${column.table}.${column.name}`));
  if (dimension && plan.measures.length)
    followups.push(`break it down by ${dimension.name.replaceAll("_", " ")}`);
  if (plan.dimensions.length && !bucketed) followups.push("show it as a pie chart");
  return followups.slice(0, 4);
}
