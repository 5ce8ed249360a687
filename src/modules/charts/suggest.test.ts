import { describe, expect, it } from "vitest";
import type { ChartData } from "./chart.types.js";
import { suggestCharts } from "./suggest.js";

const first = (data: ChartData) => suggestCharts(data)[0];

describe("chart suggestions from a result's shape", () => {
  it("draws a measure over time as a line", () => {
    const best = first({
      columns: [
        { name: "month", type: "date" },
        { name: "revenue", type: "decimal" },
      ],
      rows: [
        ["2024-01-01", 10],
        ["2024-02-01", 12],
      ],
    });
    expect(best?.spec).toEqual({ type: "line", x: "month", y: ["revenue"] });
    expect(best?.reason).toMatch(/over time/);
  });

  it("draws a category and a measure as bars sorted by it, and a few shares of a whole as a donut", () => {
    const rows = Array.from({ length: 9 }, (_, at) => [`Product ${at}`, 10 + at]);
    expect(
      first({
        columns: [
          { name: "product", type: "text" },
          { name: "revenue", type: "decimal" },
        ],
        rows,
      })?.spec,
    ).toEqual({
      type: "bar",
      x: "product",
      y: ["revenue"],
      sort: "desc",
    });
    expect(
      first({
        columns: [
          { name: "channel", type: "text" },
          { name: "order_count", type: "integer" },
        ],
        rows: rows.slice(0, 4),
      })?.spec.type,
    ).toBe("donut");
  });

  it("draws two measures as a scatter and one value as a KPI", () => {
    const two: ChartData = {
      columns: [
        { name: "price", type: "decimal" },
        { name: "units", type: "integer" },
      ],
      rows: [
        [1, 2],
        [3, 4],
      ],
    };
    expect(first(two)?.spec).toEqual({ type: "scatter", y: ["price", "units"] });
    expect(first({ columns: [{ name: "total", type: "decimal" }], rows: [[42]] })?.spec).toEqual({
      type: "kpi",
      y: ["total"],
    });
  });

  it("draws a hierarchy as a treemap, two broad categories as a heatmap, else stacked bars", () => {
    const hierarchy: ChartData = {
      columns: [
        { name: "country", type: "text" },
        { name: "city", type: "text" },
        { name: "customers", type: "integer" },
      ],
      rows: [
        ["France", "Paris", 3],
        ["France", "Lyon", 2],
        ["Spain", "Madrid", 4],
      ],
    };
    expect(first(hierarchy)?.spec).toEqual({
      type: "treemap",
      x: "country",
      series: "city",
      y: ["customers"],
    });
    const grid: ChartData = {
      columns: [
        { name: "weekday", type: "text" },
        { name: "hour", type: "text" },
        { name: "tickets", type: "integer" },
      ],
      rows: Array.from({ length: 35 }, (_, at) => [`d${at % 7}`, `h${at % 5}`, at]),
    };
    expect(first(grid)?.spec.type).toBe("heatmap");
    const few: ChartData = {
      ...grid,
      rows: grid.rows.filter((row) => ["d0", "d1"].includes(String(row[0]))),
    };
    expect(first(few)?.spec.type).toBe("stacked_bar");
  });

  it("always offers a table, last", () => {
    const all = suggestCharts({ columns: [{ name: "note", type: "text" }], rows: [["a"]] });
    expect(all.map((entry) => entry.spec.type)).toEqual(["table"]);
  });
});
