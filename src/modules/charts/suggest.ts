import type { JsonValue } from "../warehouse/duckdb-engine.js";
import { type ChartData, type ChartSpec, numericType, temporalType } from "./chart.types.js";
import { labelOf, numberOf } from "./data.js";

export interface ChartSuggestion {
  spec: ChartSpec;
  /** Why this type fits the result, in one sentence. */
  reason: string;
}

const additive = /(count|total|sum|number|amount|revenue|sales|qty|quantity|units|hours)/i;

/** Whether every value of `child` belongs to one value of `parent`: a hierarchy (country → city). */
function nests(rows: JsonValue[][], parent: number, child: number): boolean {
  const owner = new Map<string, string>();
  for (const row of rows) {
    const key = labelOf(row[child]);
    const value = labelOf(row[parent]);
    const known = owner.get(key);
    if (known !== undefined && known !== value) return false;
    owner.set(key, value);
  }
  return new Set(owner.values()).size < owner.size;
}

const distinct = (rows: JsonValue[][], index: number) => new Set(rows.map((row) => labelOf(row[index]))).size;

/**
 * Chart types for a result, best first, each with its reason: time + measure → line; a category
 * and a measure → a bar sorted by it (a donut for at most 6 shares of a whole); two measures →
 * scatter; one value → KPI; two categories and a measure → treemap when one nests in the other,
 * a heatmap when both have many values, else stacked bars. A table always fits, last.
 */
export function suggestCharts(data: ChartData): ChartSuggestion[] {
  const { columns, rows } = data;
  const measures = columns.filter((column) => numericType(column.type)).map((column) => column.name);
  const times = columns.filter((column) => temporalType(column.type)).map((column) => column.name);
  const categories = columns
    .filter((column) => !numericType(column.type) && !temporalType(column.type))
    .map((column) => column.name);
  const found: ChartSuggestion[] = [];
  const add = (spec: ChartSpec, reason: string) => {
    if (!found.some((entry) => entry.spec.type === spec.type)) found.push({ spec, reason });
  };
  const [m1, m2, m3] = measures;
  const [c1, c2] = categories;
  const time = times[0];
  const index = (name: string) => columns.findIndex((column) => column.name === name);

  if (rows.length === 1 && measures.length >= 1 && m1 && categories.length + times.length === 0)
    add({ type: "kpi", y: [m1] }, "One value: shown as a figure.");
  if (time && m1) {
    if (c1 && distinct(rows, index(c1)) <= 12)
      add(
        { type: "line", x: time, series: c1, y: [m1] },
        "A measure over time for each category: one line each.",
      );
    add({ type: "line", x: time, y: measures.slice(0, 4) }, "A measure over time: a line.");
    if (rows.length > 1) add({ type: "kpi", x: time, y: [m1] }, "The latest period's figure and its change.");
    add({ type: "area", x: time, y: measures.slice(0, 4) }, "A measure over time, its area filled.");
    add({ type: "bar", x: time, y: [m1] }, "One bar per period.");
    if (rows.length >= 20 && !c1)
      add({ type: "calendar", x: time, y: [m1] }, "A figure per day on a calendar.");
  }
  if (c1 && c2 && m1 && !time) {
    const a = index(c1);
    const b = index(c2);
    if (nests(rows, a, b) || nests(rows, b, a)) {
      const [parent, child] = nests(rows, a, b) ? [c1, c2] : [c2, c1];
      add(
        { type: "treemap", x: parent, series: child, y: [m1] },
        `Each ${child} belongs to one ${parent}: a hierarchy.`,
      );
      add({ type: "sunburst", x: parent, series: child, y: [m1] }, "The hierarchy as rings.");
    }
    if (distinct(rows, a) >= 5 && distinct(rows, b) >= 5)
      add({ type: "heatmap", x: c1, series: c2, y: [m1] }, "Two categories with many values each: a grid.");
    add(
      { type: "stacked_bar", x: c1, series: c2, y: [m1], sort: "desc" },
      "Two categories and a measure: stacked bars.",
    );
    add({ type: "grouped_bar", x: c1, series: c2, y: [m1] }, "Bars side by side per category.");
    add({ type: "pivot", x: c1, series: c2, y: [m1] }, "One category down, the other across.");
  }
  if (c1 && m1 && !c2 && !time) {
    const positive = rows.every((row) => (numberOf(row[index(m1)]) ?? 0) >= 0);
    const whole = positive && additive.test(m1) && measures.length === 1;
    if (whole && rows.length >= 2 && rows.length <= 6)
      add({ type: "donut", x: c1, y: [m1] }, `At most 6 parts of a whole: shares.`);
    const long = rows.some((row) => labelOf(row[index(c1)]).length > 14) || rows.length > 12;
    if (measures.length >= 2 && m2) {
      const scale = (name: string) =>
        Math.max(...rows.map((row) => Math.abs(numberOf(row[index(name)]) ?? 0)));
      const ratio = scale(m1) / Math.max(1e-9, scale(m2));
      if (ratio > 20 || ratio < 0.05)
        add(
          { type: "combo", x: c1, y: [m1], line: [m2] },
          "Two measures on different scales: bars and a line.",
        );
    }
    add(
      { type: long ? "horizontal_bar" : "bar", x: c1, y: measures.slice(0, 4), sort: "desc" },
      "A category and a measure: bars sorted by the measure.",
    );
    add(
      { type: long ? "bar" : "horizontal_bar", x: c1, y: measures.slice(0, 4), sort: "desc" },
      "Bars the other way.",
    );
    if (whole && rows.length > 6)
      add({ type: "treemap", x: c1, y: [m1] }, "Many parts of a whole: sized rectangles.");
    if (positive && rows.length <= 12) add({ type: "pie", x: c1, y: [m1] }, "Shares of a whole.");
    if (measures.length >= 3 && rows.length <= 12)
      add({ type: "radar", x: c1, y: measures.slice(0, 6) }, "Several measures per category.");
  }
  if (!c1 && !time && m1 && m2 && rows.length > 1) {
    if (m3) add({ type: "bubble", y: [m1, m2], size: m3 }, "Three measures: position and size.");
    add({ type: "scatter", y: [m1, m2] }, "Two measures against each other.");
  }
  if (!c1 && !time && m1 && rows.length > 1) {
    add({ type: "histogram", y: [m1] }, "One measure over many rows: its distribution.");
    add({ type: "boxplot", y: [m1] }, "The spread of one measure.");
  }
  if (rows.length === 1 && m1) add({ type: "gauge", y: [m1] }, "One value on a dial.");
  add({ type: "table" }, "The rows as they are.");
  return found;
}
