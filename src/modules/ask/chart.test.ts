import { describe, expect, it } from "vitest";
import { chooseChart, suggestFollowups } from "./chart.js";
import type { QueryPlan } from "./types.js";

const base: QueryPlan = {
  from: "orders",
  joins: [],
  measures: [],
  dimensions: [],
  filters: [],
  having: [],
  order: [],
};
const total = { agg: "sum" as const, column: { table: "orders", column: "amount" }, alias: "total_amount" };
const region = { column: { table: "orders", column: "region" }, alias: "region" };
const month = { column: { table: "orders", column: "ordered_on" }, bucket: "month" as const, alias: "month" };

describe("chooseChart", () => {
  it("shows one figure as a number", () => {
    const chart = chooseChart(
      { ...base, measures: [total] },
      [{ name: "total_amount", type: "decimal" }],
      [[10]],
    );
    expect(chart.kind).toBe("number");
  });

  it("draws a time dimension as a line", () => {
    const chart = chooseChart(
      { ...base, measures: [total], dimensions: [month] },
      [
        { name: "month", type: "date" },
        { name: "total_amount", type: "decimal" },
      ],
      [
        ["2024-01-01", 1],
        ["2024-02-01", 2],
      ],
    );
    expect(chart).toMatchObject({ kind: "line", x: "month", y: ["total_amount"] });
  });

  it("uses a pie for a few parts of a whole and bars for more or for rankings", () => {
    const columns = [
      { name: "region", type: "text" as const },
      { name: "total_amount", type: "decimal" as const },
    ];
    const few = Array.from({ length: 4 }, (_, index) => [`r${index}`, index]);
    const many = Array.from({ length: 9 }, (_, index) => [`r${index}`, index]);
    expect(chooseChart({ ...base, measures: [total], dimensions: [region] }, columns, few).kind).toBe("pie");
    expect(chooseChart({ ...base, measures: [total], dimensions: [region] }, columns, many).kind).toBe("bar");
    expect(
      chooseChart({ ...base, measures: [total], dimensions: [region], limit: 3 }, columns, few).kind,
    ).toBe("bar");
  });

  it("draws two dimensions as grouped bars with a series, and honours a requested chart", () => {
    const channel = { column: { table: "orders", column: "channel" }, alias: "channel" };
    const columns = [
      { name: "region", type: "text" as const },
      { name: "channel", type: "text" as const },
      { name: "total_amount", type: "decimal" as const },
    ];
    expect(
      chooseChart({ ...base, measures: [total], dimensions: [region, channel] }, columns, [["a", "b", 1]]),
    ).toMatchObject({ kind: "bar", x: "region", series: "channel" });
    expect(
      chooseChart(
        { ...base, measures: [total], dimensions: [region], chart: "line" },
        columns.slice(0, 1).concat(columns.slice(2)),
        [["a", 1]],
      ).kind,
    ).toBe("line");
  });

  it("falls back to a table for plain rows", () => {
    expect(
      chooseChart(
        base,
        [
          { name: "order_id", type: "integer" },
          { name: "note", type: "text" },
        ],
        [[1, "x"]],
      ).kind,
    ).toBe("table");
  });
});

describe("suggestFollowups", () => {
  it("suggests a time breakdown and a ranking for a grouped total", () => {
    const followups = suggestFollowups({ ...base, measures: [total], dimensions: [region] });
    expect(followups).toEqual(expect.arrayContaining(["show it by month", "top 5 instead"]));
  });
});
