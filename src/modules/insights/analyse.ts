import * as ss from "simple-statistics";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";
import { forecast } from "./forecast.js";
import { correlate, mannKendall, robustAnomalies, seasonality, summarize } from "./stats.js";

export type InsightKind =
  | "summary"
  | "trend"
  | "seasonality"
  | "anomaly"
  | "correlation"
  | "driver"
  | "forecast"
  | "clusters";

/** One finding: a structured object and one plain sentence written from its numbers. */
export interface Insight {
  kind: InsightKind;
  title: string;
  sentence: string;
  data: Record<string, unknown>;
}

type Unit = "day" | "week" | "month" | "quarter" | "year";
const seasonsOf: Record<Unit, number[]> = { day: [7], week: [52, 4], month: [12, 3], quarter: [4], year: [] };

const numeric = (column: ResultColumn) => column.type === "integer" || column.type === "decimal";
const temporal = (column: ResultColumn) => column.type === "date" || column.type === "timestamp";
const idLike = (name: string) => /(^|_)id$|Id$|ID$/.test(name);

/** A number for a sentence: 1234567.8 → "1,234,568"; 0.1234 → "0.12". */
export function fmt(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 1 : 3;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}
const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);
const asNumber = (value: JsonValue | undefined) =>
  typeof value === "number"
    ? value
    : typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))
      ? Number(value)
      : null;
const dayOf = (value: JsonValue | undefined) => (typeof value === "string" ? value.slice(0, 10) : null);

/** The unit of a series of dates, from the median gap between them. */
function unitOf(days: string[]): Unit {
  const gaps = days.slice(1).map((day, at) => (Date.parse(day) - Date.parse(days[at] ?? day)) / 86_400_000);
  const gap = gaps.length ? ss.median(gaps) : 1;
  return gap >= 300 ? "year" : gap >= 80 ? "quarter" : gap >= 26 ? "month" : gap >= 6 ? "week" : "day";
}

/** The rows summed per date: one point per distinct date, in order. */
function seriesOf(rows: JsonValue[][], time: number, measure: number) {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const day = dayOf(row[time]);
    const value = asNumber(row[measure]);
    if (day && value !== null) totals.set(day, (totals.get(day) ?? 0) + value);
  }
  const days = [...totals.keys()].sort();
  return { days, values: days.map((day) => totals.get(day) ?? 0) };
}

function timeInsights(name: string, days: string[], values: number[]): Insight[] {
  const found: Insight[] = [];
  const unit = unitOf(days);
  const trend = mannKendall(values);
  if (trend) {
    const moving = trend.direction === "none" ? "shows no significant trend" : `is ${trend.direction}`;
    found.push({
      kind: "trend",
      title: `Trend of ${name}`,
      sentence: `${name} ${moving} over ${values.length} ${unit}s (Mann-Kendall ${pText(trend.p)}; Sen's slope ${trend.slope >= 0 ? "+" : ""}${fmt(trend.slope)} per ${unit}).`,
      data: { ...trend, unit, points: values.length },
    });
  }
  const season = seasonality(values, seasonsOf[unit], trend?.slope ?? 0);
  if (season)
    found.push({
      kind: "seasonality",
      title: `Seasonality of ${name}`,
      sentence: `${name} repeats every ${season.period} ${unit}s (autocorrelation ${season.strength.toFixed(2)} at that lag).`,
      data: { ...season, unit },
    });
  const anomalies = robustAnomalies(values, {
    slope: trend?.slope ?? 0,
    ...(season ? { period: season.period } : {}),
  });
  if (anomalies.length) {
    const listed = anomalies
      .slice(0, 5)
      .map((anomaly) => ({ date: days[anomaly.index], value: values[anomaly.index], score: anomaly.score }));
    found.push({
      kind: "anomaly",
      title: `Unusual ${unit}s of ${name}`,
      sentence: `${anomalies.length} ${unit}${anomalies.length === 1 ? "" : "s"} of ${name} ${anomalies.length === 1 ? "stands" : "stand"} out from the trend${season ? " and season" : ""}: ${listed
        .map((point) => `${point.date} (${fmt(point.value ?? 0)}, ${point.score > 0 ? "high" : "low"})`)
        .join(", ")}.`,
      data: { points: listed, count: anomalies.length, method: "robust z-score > 3.5 on residuals" },
    });
  }
  const horizon = season?.period ?? Math.max(1, Math.min(6, Math.floor(values.length / 4)));
  const predicted = forecast(values, horizon, season?.period);
  if (predicted) {
    const first = predicted.points[0];
    const last = predicted.points.at(-1);
    found.push({
      kind: "forecast",
      title: `Forecast of ${name}`,
      sentence: `The next ${horizon} ${unit}${horizon === 1 ? "" : "s"} of ${name} are forecast from ${fmt(first?.value ?? 0)} to ${fmt(last?.value ?? 0)} (95% interval at the end ${fmt(last?.lower ?? 0)}–${fmt(last?.upper ?? 0)}; ${predicted.model} exponential smoothing${predicted.backtestMape !== null ? `, ${predicted.backtestMape.toFixed(1)}% error on the last points` : ""}).`,
      data: { ...predicted, unit, lastDate: days.at(-1) },
    });
  }
  return found;
}

/** How each category moved between the last two periods: the one that moved the total most. */
function driverInsight(
  rows: JsonValue[][],
  time: number,
  dimension: ResultColumn,
  dimensionAt: number,
  name: string,
  measure: number,
): Insight | undefined {
  const days = [
    ...new Set(rows.map((row) => dayOf(row[time])).filter((day): day is string => day !== null)),
  ].sort();
  const [previous, last] = days.slice(-2);
  if (!previous || !last) return undefined;
  const totals = new Map<string, [number, number]>();
  for (const row of rows) {
    const day = dayOf(row[time]);
    if (day !== previous && day !== last) continue;
    const key = String(row[dimensionAt] ?? "(empty)");
    const pair = totals.get(key) ?? [0, 0];
    pair[day === last ? 1 : 0] += asNumber(row[measure]) ?? 0;
    totals.set(key, pair);
  }
  const changes = [...totals].map(([key, [before, after]]) => ({ key, change: after - before }));
  const total = changes.reduce((sum, entry) => sum + entry.change, 0);
  if (changes.length < 2 || total === 0) return undefined;
  const same = changes
    .filter((entry) => Math.sign(entry.change) === Math.sign(total))
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  const top = same[0];
  if (!top) return undefined;
  return {
    kind: "driver",
    title: `What moved ${name}`,
    sentence: `${name} ${total > 0 ? "rose" : "fell"} by ${fmt(Math.abs(total))} from ${previous} to ${last}, mostly in ${dimension.name} ${top.key} (${top.change > 0 ? "+" : "−"}${fmt(Math.abs(top.change))}, ${Math.round((100 * top.change) / total)}% of the change).`,
    data: {
      from: previous,
      to: last,
      total,
      dimension: dimension.name,
      changes: changes.sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, 10),
    },
  };
}

/** A seeded generator for k-means' starting points, so an analysis is the same every time. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function clusterInsight(rows: JsonValue[][], measures: { name: string; at: number }[]): Insight | undefined {
  const points = rows
    .map((row) => measures.map((measure) => asNumber(row[measure.at])))
    .filter((point): point is number[] => point.every((value) => value !== null));
  if (points.length < 20 || measures.length < 2) return undefined;
  const sample = points.slice(0, 2_000);
  const means = measures.map((_, at) => ss.mean(sample.map((point) => point[at] ?? 0)));
  const stds = measures.map(
    (_, at) => ss.sampleStandardDeviation(sample.map((point) => point[at] ?? 0)) || 1,
  );
  const scaled = sample.map((point) =>
    point.map((value, at) => (value - (means[at] ?? 0)) / (stds[at] ?? 1)),
  );
  let best: { k: number; score: number; labels: number[]; centroids: number[][] } | undefined;
  for (let k = 2; k <= Math.min(6, Math.floor(sample.length / 10)); k++) {
    let result: { labels: number[]; centroids: number[][] };
    try {
      result = ss.kMeansCluster(scaled, k, seeded(k));
    } catch {
      // A starting point that ends with no rows (simple-statistics throws): this k does not fit.
      continue;
    }
    if (new Set(result.labels).size < k) continue;
    const score = ss.silhouetteMetric(scaled, result.labels);
    if (!best || score > best.score) best = { k, score, labels: result.labels, centroids: result.centroids };
  }
  if (!best || best.score < 0.25) return undefined;
  const found = best;
  const groups = Array.from({ length: found.k }, (_, group) => {
    const members = sample.filter((_, at) => found.labels[at] === group);
    return {
      size: members.length,
      means: Object.fromEntries(
        measures.map((measure, at) => [measure.name, ss.mean(members.map((point) => point[at] ?? 0))]),
      ),
    };
  }).sort((a, b) => b.size - a.size);
  return {
    kind: "clusters",
    title: "Groups of rows",
    sentence: `The rows fall into ${found.k} groups by ${measures.map((measure) => measure.name).join(", ")} (k-means, silhouette ${found.score.toFixed(2)}); the largest has ${groups[0]?.size ?? 0} of ${sample.length} rows.`,
    data: { k: found.k, silhouette: found.score, groups, rows: sample.length },
  };
}

/**
 * The insights of a result: a summary of each measure; over a date column, trend, seasonality,
 * anomalies and a forecast of each measure's total per date, and what drove its last change by each
 * category; correlations between measures; and groups of rows. Every sentence is written from the
 * numbers in `data`.
 */
export function analyse(columns: ResultColumn[], rows: JsonValue[][]): Insight[] {
  const insights: Insight[] = [];
  const measures = columns
    .map((column, at) => ({ column, at, name: column.name }))
    .filter((entry) => numeric(entry.column) && !idLike(entry.name))
    .slice(0, 6);
  const timeAt = columns.findIndex(temporal);
  const dimensions = columns
    .map((column, at) => ({ column, at }))
    .filter((entry) => entry.column.type === "text");

  for (const measure of measures.slice(0, 4)) {
    const values = rows
      .map((row) => asNumber(row[measure.at]))
      .filter((value): value is number => value !== null);
    const summary = summarize(values);
    if (!summary) continue;
    insights.push({
      kind: "summary",
      title: `Summary of ${measure.name}`,
      sentence: `${measure.name}: ${summary.count} values, mean ${fmt(summary.mean)}, median ${fmt(summary.median)}, from ${fmt(summary.min)} to ${fmt(summary.max)} (standard deviation ${fmt(summary.std)}).`,
      data: { ...summary, nulls: rows.length - values.length },
    });
  }
  if (timeAt >= 0)
    for (const measure of measures.slice(0, 2)) {
      const { days, values } = seriesOf(rows, timeAt, measure.at);
      insights.push(...timeInsights(measure.name, days, values));
      for (const dimension of dimensions.slice(0, 2)) {
        const driver = driverInsight(rows, timeAt, dimension.column, dimension.at, measure.name, measure.at);
        if (driver) insights.push(driver);
      }
    }
  for (let i = 0; i < measures.length; i++)
    for (let j = i + 1; j < measures.length; j++) {
      const a = measures[i];
      const b = measures[j];
      if (!a || !b) continue;
      const pairs = rows
        .map((row) => [asNumber(row[a.at]), asNumber(row[b.at])])
        .filter((pair): pair is [number, number] => pair[0] !== null && pair[1] !== null);
      const found = correlate(
        pairs.map((pair) => pair[0]),
        pairs.map((pair) => pair[1]),
      );
      if (!found || found.pearsonP >= 0.05 || Math.abs(found.pearson) < 0.3) continue;
      insights.push({
        kind: "correlation",
        title: `${a.name} and ${b.name}`,
        sentence: `${a.name} and ${b.name} move ${found.pearson > 0 ? "together" : "in opposite directions"} (Pearson r = ${found.pearson.toFixed(2)}, ${pText(found.pearsonP)}; Spearman ρ = ${found.spearman.toFixed(2)}; ${found.n} rows).`,
        data: { ...found, a: a.name, b: b.name },
      });
    }
  const clusters = clusterInsight(rows, measures);
  if (clusters) insights.push(clusters);
  return insights;
}
