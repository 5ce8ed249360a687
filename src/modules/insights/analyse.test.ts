import { describe, expect, it } from "vitest";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";
import { analyse } from "./analyse.js";
import { forecast } from "./forecast.js";
import { correlate, mannKendall, robustAnomalies, seasonality } from "./stats.js";

const month = (at: number) => `${2020 + Math.floor(at / 12)}-${String(1 + (at % 12)).padStart(2, "0")}-01`;

describe("insight statistics", () => {
  it("finds a rising trend, its slope, and no trend in noise", () => {
    const rising = Array.from({ length: 30 }, (_, t) => 10 + 2 * t + (t % 3));
    expect(mannKendall(rising)).toMatchObject({ direction: "increasing", slope: 2 });
    expect(mannKendall(rising)?.p).toBeLessThan(0.001);
    const flat = [5, 7, 4, 6, 5, 7, 4, 6, 5, 7, 4, 6];
    expect(mannKendall(flat)?.direction).toBe("none");
    expect(mannKendall([1, 2, 3])).toBeUndefined();
  });

  it("finds a yearly season and a planted spike, and nothing else", () => {
    // Noise that repeats no pattern: a fixed sequence of small offsets.
    const noise = [1.3, -0.8, 0.4, -1.6, 0.9, -0.2, 1.7, -1.1, 0.6, -0.5, 1.1, -1.4, 0.2];
    const values = Array.from(
      { length: 60 },
      (_, t) => 100 + t + 20 * Math.sin((2 * Math.PI * t) / 12) + (noise[t % 13] ?? 0),
    );
    values[40] = (values[40] ?? 0) + 60;
    const trend = mannKendall(values);
    const season = seasonality(values, [12, 3], trend?.slope ?? 0);
    expect(season?.period).toBe(12);
    expect(
      robustAnomalies(values, { slope: trend?.slope ?? 0, period: 12 }).map((anomaly) => anomaly.index),
    ).toEqual([40]);
  });

  it("correlates with p-values, never under 10 points", () => {
    const x = Array.from({ length: 20 }, (_, t) => t);
    const y = x.map((value) => 3 * value + (value % 2));
    const found = correlate(x, y);
    expect(found?.pearson).toBeGreaterThan(0.99);
    expect(found?.spearman).toBe(1);
    expect(found?.pearsonP).toBeLessThan(1e-10);
    expect(correlate(x.slice(0, 9), y.slice(0, 9))).toBeUndefined();
  });

  it("forecasts a seasonal series with Holt-Winters, the interval around the point", () => {
    const values = Array.from({ length: 72 }, (_, t) => 200 + 2 * t + 30 * Math.sin((2 * Math.PI * t) / 12));
    const result = forecast(values, 12, 12);
    expect(["additive", "multiplicative"]).toContain(result?.model);
    const truth = Array.from(
      { length: 12 },
      (_, h) => 200 + 2 * (72 + h) + 30 * Math.sin((2 * Math.PI * (72 + h)) / 12),
    );
    for (const [at, point] of (result?.points ?? []).entries()) {
      expect(Math.abs(point.value - (truth[at] ?? 0)) / (truth[at] ?? 1)).toBeLessThan(0.03);
      expect(point.lower).toBeLessThanOrEqual(point.value);
      expect(point.upper).toBeGreaterThanOrEqual(point.value);
    }
  });
});

describe("insights of a result", () => {
  const columns: ResultColumn[] = [
    { name: "month", type: "date", sourceType: "DATE" },
    { name: "region", type: "text", sourceType: "VARCHAR" },
    { name: "revenue", type: "decimal", sourceType: "DOUBLE" },
    { name: "orders", type: "integer", sourceType: "BIGINT" },
  ];
  const rows: JsonValue[][] = [];
  for (let at = 0; at < 36; at++)
    for (const [index, region] of ["Europe", "Asia"].entries()) {
      // Europe drops in the last month; orders follow revenue.
      const revenue = 1_000 + 20 * at + 100 * index + (at === 35 && region === "Europe" ? -600 : 0);
      rows.push([month(at), region, revenue, Math.round(revenue / 10)]);
    }

  it("writes each finding as a sentence from its numbers", () => {
    const insights = analyse(columns, rows);
    const kinds = insights.map((insight) => insight.kind);
    expect(kinds).toEqual(expect.arrayContaining(["summary", "trend", "forecast", "correlation", "driver"]));
    const trend = insights.find((insight) => insight.kind === "trend");
    expect(trend?.sentence).toMatch(/^revenue is increasing over 36 months/);
    const driver = insights.find(
      (insight) => insight.kind === "driver" && insight.title === "What moved revenue",
    );
    expect(driver?.sentence).toBe(
      "revenue fell by 560 from 2022-11-01 to 2022-12-01, mostly in region Europe (−580, 104% of the change).",
    );
    const correlation = insights.find((insight) => insight.kind === "correlation");
    expect(correlation?.data).toMatchObject({ a: "revenue", b: "orders" });
    expect(insights.every((insight) => insight.sentence.length > 0)).toBe(true);
  });
});
