import type { ColumnRef, Dimension, Filter, QueryPlan, SchemaIndex } from "../types.js";
import { joinPath } from "./joins.js";
import { columnOf, type Lexicon } from "./lexicon.js";
import { joinedTable, labelRef } from "./plan.js";
import type { Reading } from "./read.js";
import { timeColumn } from "./schema-facts.js";

const openers = new Set([
  "and",
  "only",
  "just",
  "now",
  "but",
  "also",
  "instead",
  "same",
  "then",
  "what",
  "how",
]);
const pronouns = new Set(["it", "that", "those", "them", "this", "these", "same", "instead"]);

/** Whether a question edits the previous answer: "and in 2023?", "only Europe", "top 3 instead". */
export function looksLikeFollowUp(reading: Reading): boolean {
  const first = reading.tokens[0]?.lower ?? "";
  const second = reading.tokens[1]?.lower ?? "";
  if (first === "what" || first === "how") return second === "about" && reading.tokens.length <= 6;
  if (openers.has(first)) return true;
  if (reading.tokens.some((token) => pronouns.has(token.lower))) return true;
  // Nothing but filters, dates and groupings: it needs a question to attach to.
  return !reading.items.some(
    (item) =>
      (item.kind === "link" && item.link.candidates[0]?.target.kind !== "value") ||
      (item.kind === "cue" && (item.match.cue.kind === "agg" || item.match.cue.kind === "superlative")),
  );
}

const isTimeFilter = (filter: Filter) =>
  (filter.op === ">=" || filter.op === "<" || filter.op === "in ranges") &&
  typeof filter.values[0] === "string" &&
  /^\d{4}-\d\d-\d\d/.test(filter.values[0]);

/** The previous plan edited by a follow-up; undefined when the follow-up changes nothing it understands. */
export function applyFollowUp(
  previous: QueryPlan,
  reading: Reading,
  schema: SchemaIndex,
  lexicon: Lexicon,
): { plan: QueryPlan; confidence: number; unexplained: string[] } | undefined {
  const plan: QueryPlan = structuredClone(previous);
  let changed = false;
  const { items } = reading;
  const tables = new Set<string>([
    plan.from,
    ...plan.joins.flatMap((join) => [join.fromTable, join.toTable]),
  ]);

  const times = items.filter((item) => item.kind === "time");
  if (times.length) {
    const known =
      plan.filters.find(isTimeFilter)?.column ??
      plan.dimensions.find((dimension) => dimension.bucket)?.column;
    const fallback = [...tables].map((table) => timeColumn(schema, table)).find(Boolean);
    const column: ColumnRef | undefined =
      known ?? (fallback ? { table: fallback.table, column: fallback.name } : undefined);
    if (column) {
      plan.filters = plan.filters.filter((filter) => !isTimeFilter(filter));
      for (const item of times) {
        if (item.span.from) plan.filters.push({ column, op: ">=", values: [item.span.from] });
        if (item.span.to) plan.filters.push({ column, op: "<", values: [item.span.to] });
      }
      tables.add(column.table);
      changed = true;
    }
  }

  for (const [index, item] of items.entries()) {
    if (item.kind === "link") {
      const entry = item.link.candidates[0];
      if (entry?.target.kind !== "value") continue;
      const { table, column, value } = entry.target;
      const negated =
        items[index - 1]?.kind === "cue" &&
        (items[index - 1] as { match: { cue: { kind: string } } }).match.cue.kind === "negation";
      plan.filters = plan.filters.filter(
        (filter) => !(filter.column.table === table && filter.column.column === column),
      );
      plan.filters.push({ column: { table, column }, op: negated ? "!=" : "=", values: [value] });
      tables.add(table);
      changed = true;
    }
    if (item.kind === "cue" && item.match.cue.kind === "group") {
      const next = items[index + 1];
      if (next?.kind !== "link") continue;
      const entry =
        next.link.candidates.find((candidate) => candidate.target.kind !== "value") ??
        next.link.candidates[0];
      if (!entry) continue;
      let ref: ColumnRef;
      if (entry.target.kind === "table") ref = labelRef(schema, entry.target.table);
      else {
        const col = columnOf(lexicon, entry.target.table, entry.target.column);
        if (!col) continue;
        ref = { table: col.table, column: col.name };
        if (col.role === "key") ref = labelRef(schema, joinedTable(schema, ref) ?? col.table);
      }
      const col = columnOf(lexicon, ref.table, ref.column);
      const dimension: Dimension = {
        column: ref,
        alias: uniqueAlias(plan, ref.column),
        ...(col?.role === "time" ? { bucket: "month" as const } : {}),
      };
      plan.dimensions.push(dimension);
      if (plan.measures.length === 0) plan.measures.push({ agg: "count", alias: uniqueAlias(plan, "count") });
      tables.add(ref.table);
      changed = true;
    }
    if (item.kind === "bucket") {
      const existing = plan.dimensions.find((dimension) => dimension.bucket);
      if (existing) existing.bucket = item.bucket.bucket;
      else {
        const column =
          plan.filters.find(isTimeFilter)?.column ??
          (() => {
            const found = [...tables].map((table) => timeColumn(schema, table)).find(Boolean);
            return found ? { table: found.table, column: found.name } : undefined;
          })();
        if (!column) continue;
        plan.dimensions.push({
          column,
          bucket: item.bucket.bucket,
          alias: uniqueAlias(plan, item.bucket.bucket),
        });
        if (plan.measures.length === 0)
          plan.measures.push({ agg: "count", alias: uniqueAlias(plan, "count") });
        tables.add(column.table);
      }
      changed = true;
    }
    if (item.kind === "cue" && item.match.cue.kind === "top") {
      const number = items[index + 1];
      plan.limit = number?.kind === "number" ? number.value : 1;
      const direction = item.match.cue.direction;
      const by = plan.order[0]?.by ?? plan.measures[0]?.alias;
      if (by) plan.order = [{ by, direction }];
      changed = true;
    }
    if (item.kind === "cue" && item.match.cue.kind === "chart") {
      plan.chart = item.match.cue.chart;
      changed = true;
    }
  }
  if (!changed) return undefined;
  const path = joinPath(schema, [...tables], plan.from);
  if (!path) return undefined;
  plan.from = path.from;
  plan.joins = path.joins;
  return { plan, confidence: 0.8, unexplained: [] };
}

function uniqueAlias(plan: QueryPlan, wanted: string): string {
  const taken = new Set([...plan.dimensions, ...plan.measures].map((item) => item.alias));
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}_${n}`;
  return name;
}
