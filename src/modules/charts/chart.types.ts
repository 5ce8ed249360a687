import { z } from "zod";
import type { ColumnType, JsonValue } from "../warehouse/duckdb-engine.js";

/** Every chart Sightline draws; each is an Apache ECharts option in the end. */
export const chartTypes = [
  "bar",
  "grouped_bar",
  "stacked_bar",
  "horizontal_bar",
  "line",
  "area",
  "combo",
  "pie",
  "donut",
  "scatter",
  "bubble",
  "histogram",
  "boxplot",
  "heatmap",
  "treemap",
  "sunburst",
  "sankey",
  "funnel",
  "gauge",
  "kpi",
  "table",
  "pivot",
  "calendar",
  "radar",
  "waterfall",
] as const;
export type ChartType = (typeof chartTypes)[number];

const columnName = z.string().min(1).max(256);

/** How a result is drawn: the type, which columns go where, and how it looks. */
export const chartSpecSchema = z
  .object({
    type: z.enum(chartTypes),
    title: z.string().max(200).optional(),
    x: columnName
      .optional()
      .describe("The category, time or first dimension (a source for sankey, a date for calendar)."),
    y: z.array(columnName).max(8).optional().describe("The measures plotted as values."),
    series: columnName
      .optional()
      .describe(
        "A second dimension: one series per value (grouped, stacked, heatmap rows, a pivot's columns, a sankey target, a hierarchy's children).",
      ),
    size: columnName.optional().describe("Bubble size."),
    line: z
      .array(columnName)
      .max(4)
      .optional()
      .describe("Combo: the measures drawn as lines on a second axis."),
    sort: z.enum(["none", "asc", "desc"]).optional().describe("Order of categories by the first measure."),
    colors: z
      .array(z.string().regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i))
      .max(12)
      .optional(),
    labels: z.boolean().optional().describe("Print values on the marks."),
    min: z.number().optional().describe("Gauge minimum."),
    max: z.number().optional().describe("Gauge maximum."),
    bins: z.number().int().min(2).max(100).optional().describe("Histogram bins (default: Sturges' rule)."),
  })
  .meta({ id: "ChartSpec" });
export type ChartSpec = z.infer<typeof chartSpecSchema>;

/** A result to draw: the columns and rows of a query. */
export interface ChartData {
  columns: { name: string; type: ColumnType | string }[];
  rows: JsonValue[][];
}

export interface ChartTypeInfo {
  type: ChartType;
  label: string;
  description: string;
  /** The data shape it needs: how many dimension (text, date) and measure (number) columns. */
  needs: { dimensions: [number, number]; measures: [number, number]; time?: boolean };
  /** The spec fields it reads. */
  fields: (keyof ChartSpec)[];
}

const info = (
  type: ChartType,
  label: string,
  description: string,
  dimensions: [number, number],
  measures: [number, number],
  fields: (keyof ChartSpec)[],
  time?: boolean,
): ChartTypeInfo => ({
  type,
  label,
  description,
  needs: { dimensions, measures, ...(time ? { time } : {}) },
  fields,
});

/** The catalogue `GET /charts/types` lists, with the data shape each type needs. */
export const chartCatalogue: ChartTypeInfo[] = [
  info(
    "bar",
    "Bar",
    "One bar per category, a series per measure.",
    [1, 1],
    [1, 8],
    ["x", "y", "sort", "labels"],
  ),
  info(
    "grouped_bar",
    "Grouped bar",
    "Bars side by side for each value of a second dimension.",
    [2, 2],
    [1, 1],
    ["x", "series", "y", "sort"],
  ),
  info(
    "stacked_bar",
    "Stacked bar",
    "Bars stacked by a second dimension.",
    [2, 2],
    [1, 1],
    ["x", "series", "y", "sort"],
  ),
  info(
    "horizontal_bar",
    "Horizontal bar",
    "Bars along the vertical axis: long category names, rankings.",
    [1, 1],
    [1, 8],
    ["x", "y", "sort", "labels"],
  ),
  info(
    "line",
    "Line",
    "A measure over time or an ordered dimension.",
    [1, 2],
    [1, 8],
    ["x", "y", "series"],
    true,
  ),
  info(
    "area",
    "Area",
    "A line with its area filled; stacked by a second dimension.",
    [1, 2],
    [1, 8],
    ["x", "y", "series"],
    true,
  ),
  info(
    "combo",
    "Bar and line",
    "Some measures as bars, others as lines on a second axis.",
    [1, 1],
    [2, 8],
    ["x", "y", "line"],
  ),
  info("pie", "Pie", "Shares of a whole, for a handful of parts.", [1, 1], [1, 1], ["x", "y", "labels"]),
  info("donut", "Donut", "A pie with a hole: shares of a whole.", [1, 1], [1, 1], ["x", "y", "labels"]),
  info(
    "scatter",
    "Scatter",
    "Two measures against each other, one point per row.",
    [0, 1],
    [2, 2],
    ["y", "series"],
  ),
  info(
    "bubble",
    "Bubble",
    "A scatter whose point size is a third measure.",
    [0, 1],
    [3, 3],
    ["y", "size", "series"],
  ),
  info(
    "histogram",
    "Histogram",
    "How one measure's values are distributed, in bins.",
    [0, 0],
    [1, 1],
    ["y", "bins"],
  ),
  info(
    "boxplot",
    "Box plot",
    "The spread of a measure (quartiles) per category.",
    [0, 1],
    [1, 1],
    ["x", "y"],
  ),
  info("heatmap", "Heatmap", "A measure on a grid of two dimensions.", [2, 2], [1, 1], ["x", "series", "y"]),
  info(
    "treemap",
    "Treemap",
    "Nested rectangles sized by a measure: a category and its parts.",
    [1, 2],
    [1, 1],
    ["x", "series", "y"],
  ),
  info(
    "sunburst",
    "Sunburst",
    "Rings of a hierarchy sized by a measure.",
    [1, 2],
    [1, 1],
    ["x", "series", "y"],
  ),
  info(
    "sankey",
    "Sankey",
    "Flows from a source to a target, as wide as their measure.",
    [2, 2],
    [1, 1],
    ["x", "series", "y"],
  ),
  info(
    "funnel",
    "Funnel",
    "Stages that narrow: a measure per stage, largest first.",
    [1, 1],
    [1, 1],
    ["x", "y", "labels"],
  ),
  info(
    "gauge",
    "Gauge",
    "One value on a dial between a minimum and a maximum.",
    [0, 0],
    [1, 1],
    ["y", "min", "max"],
  ),
  info(
    "kpi",
    "KPI card",
    "One figure, with its change against the previous period when the result has one.",
    [0, 1],
    [1, 2],
    ["x", "y"],
  ),
  info("table", "Table", "The rows as they are.", [0, 99], [0, 99], []),
  info(
    "pivot",
    "Pivot table",
    "A measure with one dimension down and another across.",
    [2, 2],
    [1, 1],
    ["x", "series", "y"],
  ),
  info("calendar", "Calendar heatmap", "A measure per day on a calendar.", [1, 1], [1, 1], ["x", "y"], true),
  info(
    "radar",
    "Radar",
    "Several measures per category on spokes, or categories as spokes.",
    [1, 1],
    [1, 8],
    ["x", "y"],
  ),
  info(
    "waterfall",
    "Waterfall",
    "How steps add up to a total: each bar starts where the last ended.",
    [1, 1],
    [1, 1],
    ["x", "y"],
  ),
];

export const numericType = (type: string) => type === "integer" || type === "decimal";
export const temporalType = (type: string) => type === "date" || type === "timestamp";
