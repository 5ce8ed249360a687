/**
 * Exponential smoothing (ETS) forecasts: simple (A,N,N), Holt's linear trend (A,A,N), its damped
 * form (A,Ad,N) and Holt-Winters with additive or multiplicative seasons (A,A,A / A,A,M). The
 * smoothing parameters minimise the one-step squared error (a coarse grid, then a finer one around
 * the best); the model is chosen by a backtest on the last points; intervals come from the
 * one-step residuals and each model's h-step variance.
 */

export type EtsModel = "simple" | "holt" | "damped" | "additive" | "multiplicative";

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface Fit {
  model: EtsModel;
  params: EtsParams;
  period: number;
  sse: number;
  /** One-step residuals. */
  residuals: number[];
  level: number;
  trend: number;
  season: number[];
}

export interface Forecast {
  model: EtsModel;
  params: EtsParams;
  period: number | null;
  points: { step: number; value: number; lower: number; upper: number }[];
  /** Mean absolute percentage error of the chosen model on the held-out last points, in percent. */
  backtestMape: number | null;
}

const seasonal = (model: EtsModel) => model === "additive" || model === "multiplicative";
const trended = (model: EtsModel) => model !== "simple";

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

/** Runs a model over the series with given parameters: its state at the end and its one-step errors. */
function run(values: number[], model: EtsModel, params: EtsParams, period: number): Fit | undefined {
  const { alpha, beta, gamma, phi } = params;
  const m = seasonal(model) ? period : 1;
  if (seasonal(model) && values.length < 2 * m + 1) return undefined;
  const first = values.slice(0, m);
  let level = seasonal(model) ? mean(first) : (values[0] ?? 0);
  let trend = trended(model)
    ? seasonal(model)
      ? (mean(values.slice(m, 2 * m)) - mean(first)) / m
      : (values[1] ?? 0) - (values[0] ?? 0)
    : 0;
  if (model === "multiplicative" && values.some((value) => value <= 0)) return undefined;
  const season = seasonal(model)
    ? first.map((value) => (model === "multiplicative" ? value / level : value - level))
    : [];
  const residuals: number[] = [];
  let sse = 0;
  const start = seasonal(model) ? m : 1;
  for (let t = start; t < values.length; t++) {
    const y = values[t] ?? 0;
    const damped = model === "damped" ? phi * trend : trend;
    const s = season[t % m] ?? (model === "multiplicative" ? 1 : 0);
    const predicted =
      model === "multiplicative"
        ? (level + damped) * s
        : model === "additive"
          ? level + damped + s
          : level + damped;
    const error = y - predicted;
    residuals.push(error);
    sse += error * error;
    const previous = level;
    if (model === "multiplicative") {
      level = alpha * (y / s) + (1 - alpha) * (previous + damped);
      trend = beta * (level - previous) + (1 - beta) * damped;
      season[t % m] = gamma * (y / level) + (1 - gamma) * s;
    } else if (model === "additive") {
      level = alpha * (y - s) + (1 - alpha) * (previous + damped);
      trend = beta * (level - previous) + (1 - beta) * damped;
      season[t % m] = gamma * (y - level) + (1 - gamma) * s;
    } else {
      level = alpha * y + (1 - alpha) * (previous + damped);
      if (trended(model)) trend = beta * (level - previous) + (1 - beta) * damped;
    }
  }
  if (!Number.isFinite(sse)) return undefined;
  return { model, params, period: m, sse, residuals, level, trend, season };
}

function grid(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let value = from; value <= to + 1e-9; value += step) out.push(Math.round(value * 1000) / 1000);
  return out;
}

/** The parameters that minimise the one-step squared error: a grid of 0.1, then of 0.02 around the best. */
export function fitModel(values: number[], model: EtsModel, period: number): Fit | undefined {
  const search = (alphas: number[], betas: number[], gammas: number[], phis: number[]) => {
    let best: Fit | undefined;
    for (const alpha of alphas)
      for (const beta of trended(model) ? betas.filter((value) => value <= alpha) : [0])
        for (const gamma of seasonal(model) ? gammas.filter((value) => value <= 1 - alpha) : [0])
          for (const phi of model === "damped" ? phis : [1]) {
            const result = run(values, model, { alpha, beta, gamma, phi }, period);
            if (result && (!best || result.sse < best.sse)) best = result;
          }
    return best;
  };
  const coarse = search(
    grid(0.05, 0.95, 0.1),
    grid(0.01, 0.51, 0.1),
    grid(0.01, 0.91, 0.1),
    [0.8, 0.9, 0.98],
  );
  if (!coarse) return undefined;
  const around = (value: number, low: number, high: number) =>
    grid(Math.max(low, value - 0.08), Math.min(high, value + 0.08), 0.02);
  const { alpha, beta, gamma, phi } = coarse.params;
  return (
    search(
      around(alpha, 0.01, 0.99),
      around(beta, 0.001, 0.99),
      around(gamma, 0.001, 0.99),
      model === "damped" ? around(phi, 0.8, 0.98) : [1],
    ) ?? coarse
  );
}

/** Point forecasts h = 1…horizon steps after the end of a fitted series. */
function project(fitted: Fit, horizon: number, length: number): number[] {
  const { model, level, trend, season, period, params } = fitted;
  const out: number[] = [];
  let damping = 0;
  for (let h = 1; h <= horizon; h++) {
    damping += params.phi ** h;
    const growth = model === "damped" ? damping * trend : trended(model) ? h * trend : 0;
    const s = season[(length + h - 1) % period];
    if (model === "multiplicative") out.push((level + growth) * (s ?? 1));
    else if (model === "additive") out.push(level + growth + (s ?? 0));
    else out.push(level + growth);
  }
  return out;
}

/** How much wider the h-step interval is than the one-step one (class 1 ETS variance, approximated for M). */
function spread(fitted: Fit, h: number): number {
  const { alpha, beta, gamma, phi } = fitted.params;
  let sum = 1;
  for (let j = 1; j < h; j++) {
    const trendPart =
      fitted.model === "damped"
        ? alpha * beta * ((1 - phi ** j) / (1 - phi)) * phi
        : trended(fitted.model)
          ? alpha * beta * j
          : 0;
    const seasonPart = seasonal(fitted.model) && j % fitted.period === 0 ? gamma : 0;
    sum += (alpha + trendPart + seasonPart) ** 2;
  }
  return Math.sqrt(sum);
}

function mape(actual: number[], predicted: number[]): number {
  const terms = actual.flatMap((value, at) =>
    value === 0 ? [] : [Math.abs((value - (predicted[at] ?? 0)) / value)],
  );
  return terms.length
    ? (100 * terms.reduce((sum, term) => sum + term, 0)) / terms.length
    : Number.POSITIVE_INFINITY;
}

/** The candidate models for a series: seasonal ones when a period fits it at least twice with a point to spare. */
export function candidates(length: number, period: number | undefined): EtsModel[] {
  const models: EtsModel[] = ["simple", "holt", "damped"];
  if (period && period >= 2 && length >= 2 * period + 4) models.push("additive", "multiplicative");
  return models;
}

/**
 * Forecasts `horizon` steps: each candidate is fitted on all but the last points and scored by
 * their MAPE; the best is refitted on the whole series. Needs at least 8 points.
 */
export function forecast(values: number[], horizon: number, period?: number): Forecast | undefined {
  if (values.length < 8 || horizon < 1) return undefined;
  const holdout = Math.max(2, Math.min(period ?? 6, Math.floor(values.length / 5)));
  const train = values.slice(0, -holdout);
  const test = values.slice(-holdout);
  let chosen: { model: EtsModel; score: number } | undefined;
  for (const model of candidates(train.length, period)) {
    const fitted = fitModel(train, model, period ?? 1);
    if (!fitted) continue;
    const score = mape(test, project(fitted, holdout, train.length));
    if (!chosen || score < chosen.score) chosen = { model, score };
  }
  if (!chosen) return undefined;
  const fitted = fitModel(values, chosen.model, period ?? 1);
  if (!fitted) return undefined;
  const sigma = Math.sqrt(
    fitted.residuals.reduce((sum, error) => sum + error * error, 0) /
      Math.max(1, fitted.residuals.length - 1),
  );
  const points = project(fitted, horizon, values.length).map((value, at) => {
    const width = 1.96 * sigma * spread(fitted, at + 1);
    return { step: at + 1, value, lower: value - width, upper: value + width };
  });
  return {
    model: chosen.model,
    params: fitted.params,
    period: seasonal(chosen.model) ? fitted.period : null,
    points,
    backtestMape: Number.isFinite(chosen.score) ? chosen.score : null,
  };
}
