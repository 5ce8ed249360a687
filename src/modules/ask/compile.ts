import type { JsonValue } from "../warehouse/duckdb-engine.js";
import { derivedSql } from "./derived.js";
import { splitName } from "./schema-index.js";
import type {
  AskDialect,
  ColumnRef,
  DerivedColumn,
  Dimension,
  Filter,
  Having,
  Measure,
  QueryPlan,
  SchemaIndex,
  TimeBucket,
} from "./types.js";

export function quoteName(name: string, dialect: AskDialect): string {
  return dialect === "mysql" ? `\`${name.replaceAll("`", "``")}\`` : `"${name.replaceAll('"', '""')}"`;
}

/** Where a plan is compiled for: the dialect, and the columns of the schema that are computed, by `table.column`. */
export interface CompileTarget {
  dialect: AskDialect;
  derived?: ReadonlyMap<string, DerivedColumn>;
}

/** The derived columns of a schema, keyed as compilePlan looks them up. */
export function derivedOf(schema: SchemaIndex): Map<string, DerivedColumn> {
  const found = new Map<string, DerivedColumn>();
  for (const table of schema.tables)
    for (const column of table.columns)
      if (column.derived) found.set(`${table.name}.${column.name}`, column.derived);
  return found;
}

function column(ref: ColumnRef, t: CompileTarget): string {
  const derived = t.derived?.get(`${ref.table}.${ref.column}`);
  const q = (name: string) => `${quoteName(ref.table, t.dialect)}.${quoteName(name, t.dialect)}`;
  return derived ? derivedSql(derived, q) : q(ref.column);
}

function literal(value: JsonValue, dialect: AskDialect): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return dialect === "mysql" ? (value ? "1" : "0") : value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  const text = `'${value.replaceAll("'", "''")}'`;
  return dialect === "mysql" ? text.replaceAll("\\", "\\\\") : text;
}

/** The expression that truncates a time column to its bucket, per dialect (a date or timestamp). */
export function bucketExpression(expression: string, bucket: TimeBucket, dialect: AskDialect): string {
  if (dialect !== "mysql") {
    const truncated = `date_trunc('${bucket}', ${expression})`;
    return `cast(${truncated} as date)`;
  }
  switch (bucket) {
    case "day":
      return `date(${expression})`;
    case "week":
      return `date_sub(date(${expression}), interval weekday(${expression}) day)`;
    case "month":
      return `cast(date_format(${expression}, '%Y-%m-01') as date)`;
    case "quarter":
      return `makedate(year(${expression}), 1) + interval (quarter(${expression}) - 1) quarter`;
    case "year":
      return `makedate(year(${expression}), 1)`;
  }
}

function aggregate(agg: Measure["agg"], target: string): string {
  if (agg === "count") return `count(${target})`;
  if (agg === "count_distinct") return `count(distinct ${target})`;
  return `${agg}(${target})`;
}

function measureExpression(measure: Measure, t: CompileTarget): string {
  if (measure.change) {
    const { change, ...base } = measure;
    if (change.kind === "previous") {
      const current = measureExpression(base, t);
      const previous = `lag(${current}) over (order by ${dimensionExpression(change.along, t)})`;
      return change.percent
        ? `100.0 * (${current} - ${previous}) / nullif(${previous}, 0)`
        : `${current} - ${previous}`;
    }
    const within = (where: Filter[]) =>
      measureExpression({ ...base, where: [...(base.where ?? []), ...where] }, t);
    const before = within(change.from);
    const after = within(change.to);
    return change.percent ? `100.0 * (${after} - ${before}) / nullif(${before}, 0)` : `${after} - ${before}`;
  }
  const target = measure.column ? column(measure.column, t) : "*";
  // Only the rows that pass count: `case when` keeps it one pass and portable across dialects.
  const kept = measure.where?.length
    ? `case when ${measure.where.map((filter) => filterCondition(filter, t)).join(" and ")} then ${measure.column ? target : "1"} end`
    : target;
  const expression = aggregate(measure.agg, kept);
  if (measure.per) {
    const where = measure.per.where?.length
      ? ` where ${measure.per.where.map((filter) => filterCondition(filter, t)).join(" and ")}`
      : "";
    return `1.0 * ${expression} / nullif((select count(*) from ${quoteName(measure.per.table, t.dialect)}${where}), 0)`;
  }
  if (!measure.percentOf) return expression;
  const whole = aggregate(measure.agg, target);
  const denominator = measure.percentOf === "all" ? `sum(${whole}) over ()` : whole;
  return `100.0 * ${expression} / nullif(${denominator}, 0)`;
}

function dimensionExpression(dimension: Dimension, t: CompileTarget): string {
  const expression = column(dimension.column, t);
  return dimension.bucket ? bucketExpression(expression, dimension.bucket, t.dialect) : expression;
}

function condition(target: string, op: Filter["op"], values: JsonValue[], t: CompileTarget): string {
  switch (op) {
    case "is null":
    case "is not null":
      return `${target} ${op}`;
    case "between":
      return `${target} between ${literal(values[0] ?? null, t.dialect)} and ${literal(values[1] ?? null, t.dialect)}`;
    case "in":
    case "not in":
      return `${target} ${op} (${values.map((value) => literal(value, t.dialect)).join(", ")})`;
    case "like":
      return `lower(${target}) like ${literal(String(values[0] ?? "").toLowerCase(), t.dialect)}`;
    default:
      return `${target} ${op} ${literal(values[0] ?? null, t.dialect)}`;
  }
}

function filterCondition(filter: Filter, t: CompileTarget): string {
  const target = column(filter.column, t);
  if (filter.subquery) return `${target} ${filter.op} (${subqueryText(filter.subquery, t)})`;
  if (filter.op === "in ranges") {
    const ranges: string[] = [];
    for (let at = 0; at < filter.values.length; at += 2) {
      const bounds = [
        filter.values[at] != null ? `${target} >= ${literal(filter.values[at] ?? null, t.dialect)}` : "",
        filter.values[at + 1] != null
          ? `${target} < ${literal(filter.values[at + 1] ?? null, t.dialect)}`
          : "",
      ].filter(Boolean);
      if (bounds.length) ranges.push(`(${bounds.join(" and ")})`);
    }
    return ranges.length ? `(${ranges.join(" or ")})` : "true";
  }
  // A date bound given as text compares as a date in every dialect.
  return condition(target, filter.op, filter.values, t);
}

/** A nested select; a list (for `not in`) leaves nulls out, or `not in` would match nothing. */
function subqueryText(subquery: NonNullable<Filter["subquery"]>, t: CompileTarget): string {
  const ref = { table: subquery.table, column: subquery.column };
  const filters = [...(subquery.filters ?? [])];
  if (!subquery.agg) filters.push({ column: ref, op: "is not null", values: [] });
  const where = filters.length
    ? ` where ${filters.map((filter) => filterCondition(filter, t)).join(" and ")}`
    : "";
  const selected = subquery.agg ? aggregate(subquery.agg, column(ref, t)) : column(ref, t);
  return `select ${selected} from ${quoteName(subquery.table, t.dialect)}${where}`;
}

function havingCondition(having: Having, plan: QueryPlan, t: CompileTarget): string {
  const figure = measureExpression(having.measure, t);
  if (!having.versusAverage) return condition(figure, having.op, having.values, t);
  // The same figure for every group, averaged: "more than the average customer".
  const groups = [
    `select ${figure} as ${quoteName("figure", t.dialect)}`,
    ...sourceLines(plan, t),
    groupBy(plan, t),
  ]
    .filter(Boolean)
    .join(" ");
  return `${figure} ${having.op} (select avg(${quoteName("figure", t.dialect)}) from (${groups}) as ${quoteName("groups", t.dialect)})`;
}

/** `from`, the joins and `where` of a plan. */
function sourceLines(plan: QueryPlan, t: CompileTarget): string[] {
  const q = (name: string) => quoteName(name, t.dialect);
  const lines = [`from ${q(plan.from)}`];
  const present = new Set([plan.from]);
  for (const join of plan.joins) {
    // A join is written from whichever of its tables is already in the query.
    const added = present.has(join.fromTable) ? join.toTable : join.fromTable;
    present.add(added);
    lines.push(
      `join ${q(added)} on ${column({ table: join.fromTable, column: join.fromColumn }, t)} = ${column({ table: join.toTable, column: join.toColumn }, t)}`,
    );
  }
  if (plan.filters.length)
    lines.push(`where ${plan.filters.map((filter) => filterCondition(filter, t)).join(" and ")}`);
  return lines;
}

function groupBy(plan: QueryPlan, t: CompileTarget): string {
  const keys = (plan.groupKeys ?? []).map((ref) => column(ref, t));
  return plan.dimensions.length
    ? `group by ${[...keys, ...plan.dimensions.map((dimension) => dimensionExpression(dimension, t))].join(", ")}`
    : "";
}

/** Compiles a plan to one SELECT in the dialect: quoted names, per-dialect date buckets, aliases in ORDER BY. */
export function compilePlan(
  plan: QueryPlan,
  dialect: AskDialect,
  derived?: ReadonlyMap<string, DerivedColumn>,
): string {
  const t: CompileTarget = derived ? { dialect, derived } : { dialect };
  const q = (name: string) => quoteName(name, t.dialect);
  const items: string[] = [];
  for (const dimension of plan.dimensions)
    items.push(`${dimensionExpression(dimension, t)} as ${q(dimension.alias)}`);
  for (const measure of plan.measures) items.push(`${measureExpression(measure, t)} as ${q(measure.alias)}`);
  if (items.length === 0) {
    if (plan.select?.length) items.push(...plan.select.map((ref) => column(ref, t)));
    else items.push(`${q(plan.from)}.*`);
  }
  const lines = [`select ${plan.distinct ? "distinct " : ""}${items.join(", ")}`, ...sourceLines(plan, t)];
  const aggregated =
    plan.measures.length > 0 || plan.having.length > 0 || plan.order.some((order) => order.measure);
  if (aggregated && plan.dimensions.length) lines.push(groupBy(plan, t));
  if (plan.having.length)
    lines.push(`having ${plan.having.map((having) => havingCondition(having, plan, t)).join(" and ")}`);
  if (plan.order.length) {
    const aliases = new Set([...plan.dimensions, ...plan.measures].map((item) => item.alias));
    lines.push(
      `order by ${plan.order
        .map((order) => {
          const target = order.measure
            ? measureExpression(order.measure, t)
            : aliases.has(order.by)
              ? q(order.by)
              : order.by.includes(".")
                ? column(
                    { table: order.by.split(".")[0] ?? "", column: order.by.split(".").slice(1).join(".") },
                    t,
                  )
                : q(order.by);
          const nulls = dialect === "mysql" ? "" : order.direction === "desc" ? " nulls last" : "";
          return `${target} ${order.direction}${nulls}`;
        })
        .join(", ")}`,
    );
  }
  if (plan.limit !== undefined) lines.push(`limit ${plan.limit}`);
  return lines.join("\n");
}

const words = (name: string) => splitName(name).join(" ");

const aggWords: Record<Measure["agg"], string> = {
  count: "Number of",
  count_distinct: "Number of distinct",
  sum: "Total",
  avg: "Average",
  min: "Lowest",
  max: "Highest",
};

function describeMeasure(measure: Measure, from: string): string {
  if (measure.change) {
    const { change, ...base } = measure;
    const unchanged = { ...base, alias: base.alias.replace(/^(percent_)?change_/, "") };
    const what = `${change.percent ? "percentage change" : "change"} in ${describeMeasure(unchanged, from)}`;
    if (change.kind === "previous") return `${what} from the previous ${change.along.bucket ?? "row"}`;
    const period = (filters: Filter[]) => String(filters[0]?.values[0] ?? "");
    return `${what} from ${period(change.from)} to ${period(change.to)}`;
  }
  if (measure.percentOf) {
    const base = describeMeasure(
      {
        agg: measure.agg,
        alias: measure.alias.replace(/^percent_/, ""),
        ...(measure.column ? { column: measure.column } : {}),
      },
      from,
    );
    const where = measure.where?.length ? ` where ${measure.where.map(describeFilter).join(" and ")}` : "";
    return `percentage of ${measure.percentOf === "all" ? "all " : ""}${base}${where}`;
  }
  if (measure.per) {
    const { per, ...base } = measure;
    return `${describeMeasure(base, from)} per ${words(per.table).replace(/s$/, "")}`;
  }
  if (!measure.column)
    return `number of ${words(measure.alias.endsWith("_count") ? measure.alias.replace(/_count$/, "") : from)}`;
  const agg = aggWords[measure.agg].toLowerCase();
  if (measure.agg === "count_distinct")
    return `number of distinct ${words(measure.column.column)} of ${words(measure.column.table)}`;
  return `${agg} ${words(measure.column.column)} of ${words(measure.column.table)}`;
}

function describeFilter(filter: Filter): string {
  const name = words(filter.column.column);
  const values = filter.values.map((value) => String(value));
  if (filter.subquery) {
    const { subquery } = filter;
    if (!subquery.agg)
      return `${name} is ${filter.op === "not in" ? "not " : ""}among the ${words(subquery.column)} of ${words(subquery.table)}`;
    return `${name} ${filter.op} the ${aggWords[subquery.agg].toLowerCase()} ${words(subquery.column)} of ${words(subquery.table)}`;
  }
  switch (filter.op) {
    case "in ranges": {
      const ranges: string[] = [];
      for (let at = 0; at < values.length; at += 2) ranges.push(`${values[at]} to ${values[at + 1]}`);
      return `${name} is from ${ranges.join(" or from ")}`;
    }
    case "=":
      return `${name} is ${values[0]}`;
    case "!=":
      return `${name} is not ${values[0]}`;
    case "in":
      return `${name} is one of ${values.join(", ")}`;
    case "not in":
      return `${name} is none of ${values.join(", ")}`;
    case "is null":
      return `${name} is missing`;
    case "is not null":
      return `${name} is present`;
    case "between":
      return `${name} is between ${values[0]} and ${values[1]}`;
    case "like":
      return `${name} contains ${values[0]?.replaceAll("%", "")}`;
    case ">=":
      return `${name} on or after ${values[0]}`.replace(
        "on or after",
        /^\d{4}-\d\d-\d\d/.test(values[0] ?? "") ? "on or after" : "at least",
      );
    case "<":
      return /^\d{4}-\d\d-\d\d/.test(values[0] ?? "")
        ? `${name} before ${values[0]}`
        : `${name} under ${values[0]}`;
    case ">":
      return `${name} over ${values[0]}`;
    case "<=":
      return `${name} at most ${values[0]}`;
  }
}

/** One English sentence written from the plan, so it always says what the SQL does. */
export function explainPlan(plan: QueryPlan): string {
  let sentence: string;
  if (plan.measures.length) {
    const measures = plan.measures.map((measure) => describeMeasure(measure, plan.from)).join(" and ");
    sentence = measures.charAt(0).toUpperCase() + measures.slice(1);
  } else if (plan.dimensions.length) {
    sentence = `${words(plan.dimensions[0]?.column.table ?? plan.from)}`;
    sentence = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)} (${plan.dimensions.map((dimension) => words(dimension.column.column)).join(", ")})`;
  } else if (plan.select?.length) {
    sentence = `${words(plan.select.map((ref) => ref.column).join(", "))} of ${words(plan.from)}`;
    sentence = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  } else {
    sentence = `All ${words(plan.from)}`;
  }
  if (plan.dimensions.length && plan.measures.length) {
    sentence += `, by ${plan.dimensions
      .map((dimension) =>
        dimension.bucket
          ? `${dimension.bucket} of ${words(dimension.column.column)}`
          : words(dimension.column.column === "name" ? dimension.column.table : dimension.column.column),
      )
      .join(" and ")}`;
  }
  if (plan.filters.length) sentence += `, where ${plan.filters.map(describeFilter).join(" and ")}`;
  if (plan.having.length) {
    sentence += `, keeping groups whose ${plan.having
      .map(
        (having) =>
          `${describeMeasure(having.measure, plan.from)} is ${having.versusAverage ? `${having.op} the average over all groups` : having.op === "between" ? `between ${having.values[0]} and ${having.values[1]}` : `${having.op} ${having.values[0]}`}`,
      )
      .join(" and ")}`;
  }
  const order = plan.order[0];
  if (order)
    sentence += `, ${order.direction === "desc" ? "highest" : "lowest"} ${words(order.by.split(".").at(-1) ?? order.by)} first`;
  if (plan.limit !== undefined) sentence += plan.limit === 1 ? ", only the first" : `, top ${plan.limit}`;
  return `${sentence}.`;
}
