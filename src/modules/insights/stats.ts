import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import * as ss from "simple-statistics";

export interface Summary {
  count: number;
  mean: number;
  median: number;
  std: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
}

export function summarize(values: number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  return {
    count: values.length,
    mean: ss.mean(values),
    median: ss.median(values),
    std: values.length > 1 ? ss.sampleStandardDeviation(values) : 0,
    min: ss.min(values),
    max: ss.max(values),
    p25: ss.quantile(values, 0.25),
    p75: ss.quantile(values, 0.75),
  };
}

export interface Trend {
  /** Mann-Kendall S, its normal approximation Z and the two-sided p-value. */
  s: number;
  z: number;
  p: number;
  /** Sen's slope: the median of the pairwise slopes, per step. */
  slope: number;
  direction: "increasing" | "decreasing" | "none";
}

/**
 * The Mann-Kendall test for a monotonic trend (variance corrected for ties) with Sen's slope;
 * significant at α = 0.05. Needs at least 8 points.
 */
export function mannKendall(values: number[], alpha = 0.05): Trend | undefined {
  const n = values.length;
  if (n < 8) return undefined;
  let s = 0;
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i++)
    for (let j = i + 1; j < n; j++) {
      const a = values[i] ?? 0;
      const b = values[j] ?? 0;
      s += Math.sign(b - a);
      slopes.push((b - a) / (j - i));
    }
  const ties = new Map<number, number>();
  for (const value of values) ties.set(value, (ties.get(value) ?? 0) + 1);
  let tieTerm = 0;
  for (const count of ties.values()) if (count > 1) tieTerm += count * (count - 1) * (2 * count + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z =
    variance <= 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  const p = 2 * (1 - normalCdf(Math.abs(z), 0, 1));
  const slope = ss.median(slopes);
  return { s, z, p, slope, direction: p < alpha ? (z > 0 ? "increasing" : "decreasing") : "none" };
}

/** Autocorrelation at `lag`. */
export function autocorrelation(values: number[], lag: number): number {
  const n = values.length;
  if (lag >= n) return 0;
  const mean = ss.mean(values);
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] ?? 0) - mean;
    denominator += d * d;
    if (i + lag < n) numerator += d * ((values[i + lag] ?? 0) - mean);
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Values less their Sen's-slope line: what seasonality and anomalies are read from. */
export function detrend(values: number[], slope: number): number[] {
  const adjusted = values.map((value, at) => value - slope * at);
  const level = ss.median(adjusted);
  return adjusted.map((value) => value - level);
}

/**
 * The strongest seasonal period among the candidates that fit the series at least twice, when its
 * autocorrelation on the detrended values is at least 0.3.
 */
export function seasonality(
  values: number[],
  candidates: number[],
  slope = 0,
): { period: number; strength: number } | undefined {
  const detrended = detrend(values, slope);
  let best: { period: number; strength: number } | undefined;
  for (const period of candidates) {
    if (period < 2 || values.length < 2 * period + 2) continue;
    const strength = autocorrelation(detrended, period);
    if (strength >= 0.3 && (!best || strength > best.strength)) best = { period, strength };
  }
  return best;
}

/**
 * Points whose robust z-score (0.6745 × deviation from the median / MAD) of the residual after the
 * trend and the seasonal profile exceeds `threshold` (3.5, Iglewicz and Hoaglin's cut-off).
 */
export function robustAnomalies(
  values: number[],
  options: { slope?: number; period?: number; threshold?: number } = {},
) {
  const threshold = options.threshold ?? 3.5;
  let residuals = detrend(values, options.slope ?? 0);
  const period = options.period;
  if (period && values.length >= 2 * period) {
    const profile = Array.from({ length: period }, (_, phase) =>
      ss.median(residuals.filter((_, at) => at % period === phase)),
    );
    residuals = residuals.map((value, at) => value - (profile[at % period] ?? 0));
  }
  const median = ss.median(residuals);
  const mad = ss.median(residuals.map((value) => Math.abs(value - median)));
  if (mad === 0) return [];
  return residuals.flatMap((value, index) => {
    const score = (0.6745 * (value - median)) / mad;
    return Math.abs(score) > threshold ? [{ index, score }] : [];
  });
}

export interface Correlation {
  pearson: number;
  pearsonP: number;
  spearman: number;
  spearmanP: number;
  n: number;
}

/** The p-value of a correlation coefficient over n points (t-test with n − 2 degrees of freedom). */
function correlationP(r: number, n: number): number {
  if (Math.abs(r) >= 1) return 0;
  const t = (r * Math.sqrt(n - 2)) / Math.sqrt(1 - r * r);
  return 2 * (1 - tCdf(Math.abs(t), n - 2));
}

/** Average ranks (ties share the mean of their positions), for Spearman's coefficient. */
function ranks(values: number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const out = new Array<number>(values.length).fill(0);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++;
    for (let at = start; at <= end; at++) out[order[at]?.index ?? 0] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return out;
}

/** Pearson's and Spearman's coefficients with p-values; never on fewer than 10 points. */
export function correlate(x: number[], y: number[]): Correlation | undefined {
  const n = Math.min(x.length, y.length);
  if (n < 10) return undefined;
  const a = x.slice(0, n);
  const b = y.slice(0, n);
  if (ss.sampleStandardDeviation(a) === 0 || ss.sampleStandardDeviation(b) === 0) return undefined;
  const pearson = ss.sampleCorrelation(a, b);
  const spearman = ss.sampleCorrelation(ranks(a), ranks(b));
  return { pearson, pearsonP: correlationP(pearson, n), spearman, spearmanP: correlationP(spearman, n), n };
}
