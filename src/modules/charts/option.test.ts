import { describe, expect, it } from "vitest";
import { type ChartData, type ChartType, chartCatalogue, chartTypes } from "./chart.types.js";
import { buildOption } from "./option.js";
import { renderSvg, svgToPng } from "./render.js";

const sales: ChartData = {
  columns: [
    { name: "region", type: "text" },
    { name: "channel", type: "text" },
    { name: "revenue", type: "decimal" },
    { name: "orders", type: "integer" },
    { name: "margin", type: "decimal" },
  ],
  rows: [
    ["North", "Online", 120.5, 10, 0.2],
    ["North", "Partner", 80, 4, 0.3],
    ["South", "Online", 200, 12, 0.25],
    ["South", "Partner", 40, 2, 0.1],
    ["East", "Online", 90, 7, 0.15],
    ["East", "Direct", 60, 3, 0.35],
  ],
};
const monthly: ChartData = {
  columns: [
    { name: "month", type: "date" },
    { name: "revenue", type: "decimal" },
  ],
  rows: Array.from({ length: 40 }, (_, at) => [
    `2024-${String(1 + (at % 12)).padStart(2, "0")}-${String(1 + Math.floor(at / 12)).padStart(2, "0")}`,
    100 + at * 3,
  ]),
};

/** A result that fits each type. */
const fitting: Record<ChartType, ChartData> = {
  bar: sales,
  grouped_bar: sales,
  stacked_bar: sales,
  horizontal_bar: sales,
  line: monthly,
  area: monthly,
  combo: sales,
  pie: sales,
  donut: sales,
  scatter: sales,
  bubble: sales,
  histogram: {
    columns: [{ name: "amount", type: "decimal" }],
    rows: Array.from({ length: 50 }, (_, at) => [at * 1.5]),
  },
  boxplot: sales,
  heatmap: sales,
  treemap: sales,
  sunburst: sales,
  sankey: sales,
  funnel: sales,
  gauge: { columns: [{ name: "score", type: "decimal" }], rows: [[73]] },
  kpi: monthly,
  table: sales,
  pivot: sales,
  calendar: monthly,
  radar: sales,
  waterfall: sales,
};

describe("chart options", () => {
  it("has at least 20 types, each described with the data shape it needs", () => {
    expect(chartTypes.length).toBeGreaterThanOrEqual(20);
    expect(chartCatalogue.map((entry) => entry.type).sort()).toEqual([...chartTypes].sort());
  });

  it.each(chartTypes)("builds and renders a %s chart to SVG and PNG", (type) => {
    const option = buildOption({ type, title: `A ${type} chart` }, fitting[type]);
    expect(JSON.parse(JSON.stringify(option))).toEqual(option);
    const svg = renderSvg(option, { width: 640, height: 360 });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(`A ${type} chart`);
    const png = svgToPng(svg, 1);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.length).toBeGreaterThan(1_000);
  });

  it("sorts bars by the first measure when asked", () => {
    const option = buildOption({ type: "bar", x: "channel", y: ["revenue"], sort: "desc" }, sales);
    const series = option.series as { data: number[] }[];
    expect(series[0]?.data).toEqual([200, 120.5, 90, 80, 60, 40]);
  });

  it("fills in the columns a spec leaves out and refuses ones the result lacks", () => {
    const option = buildOption({ type: "grouped_bar" }, sales);
    expect((option.xAxis as { data: string[] }).data).toEqual(["North", "South", "East"]);
    expect(
      (option.series as { name: string; data: (number | null)[] }[]).map((entry) => [entry.name, entry.data]),
    ).toEqual([
      ["Online", [120.5, 200, 90]],
      ["Partner", [80, 40, null]],
      ["Direct", [null, null, 60]],
    ]);
    expect(() => buildOption({ type: "bar", x: "country" }, sales)).toThrow(/no column "country"/);
    expect(() => buildOption({ type: "scatter" }, monthly)).toThrow(/needs 2 numeric columns/);
  });

  it("sums a pivot's cells and keeps its matrix for the web app", () => {
    const option = buildOption({ type: "pivot", x: "region", series: "channel", y: ["orders"] }, sales);
    expect(option.pivot).toEqual({
      rows: ["North", "South", "East"],
      columns: ["Online", "Partner", "Direct"],
      cells: [
        [10, 4, null],
        [12, 2, null],
        [7, null, 3],
      ],
      measure: "orders",
    });
  });

  it("bins a histogram so that every row is counted once", () => {
    const option = buildOption({ type: "histogram", bins: 5 }, fitting.histogram);
    const counts = (option.series as { data: number[] }[])[0]?.data ?? [];
    expect(counts).toHaveLength(5);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(50);
  });

  it("gives a box plot the quartiles of each category", () => {
    const option = buildOption({ type: "boxplot", x: "region", y: ["revenue"] }, sales);
    expect((option.series as { data: number[][] }[])[0]?.data[0]).toEqual([
      80, 90.125, 100.25, 110.375, 120.5,
    ]);
  });

  it("shows a KPI's change against the previous period", () => {
    const option = buildOption(
      { type: "kpi", x: "month", y: ["revenue"] },
      {
        columns: monthly.columns,
        rows: [
          ["2024-01-01", 100],
          ["2024-02-01", 125],
        ],
      },
    );
    expect(option.kpi).toEqual({ value: 125, previous: 100, deltaPercent: 25 });
    expect(JSON.stringify(option.graphic)).toContain("▲ 25.0% vs previous");
  });

  it("ends a waterfall with the total of its steps", () => {
    const option = buildOption(
      { type: "waterfall", x: "channel", y: ["revenue"] },
      {
        columns: sales.columns,
        rows: [
          ["x", "Start", 100, 0, 0],
          ["x", "Refunds", -30, 0, 0],
          ["x", "Upsell", 50, 0, 0],
        ],
      },
    );
    const [base, rise, fall] = option.series as { data: (number | null)[] }[];
    expect(base?.data).toEqual([0, 70, 70, 0]);
    expect(rise?.data).toEqual([100, null, 50, 120]);
    expect(fall?.data).toEqual([null, 30, null, null]);
  });
});
