// Insights correctness. Forecasts: mean absolute percentage error on the last 12 points of a few
// series, Sightline's ETS vs statsmodels' ExponentialSmoothing (Debian's python3-statsmodels,
// trend and season chosen by its AICc) fitted on the same points. Target: no worse than 1.05×.
// Anomalies: precision and recall on a labelled synthetic set (seasonal series with spikes).
// statsmodels: `apt-get install python3-statsmodels`; without it the forecast peer is skipped.
import { spawnSync } from "node:child_process";
import { forecast } from "../src/modules/insights/forecast.js";
import { mannKendall, robustAnomalies, seasonality } from "../src/modules/insights/stats.js";
import { report, reportTarget } from "./lib/report.js";

/** Box & Jenkins' monthly international airline passengers, 1949–1960 (thousands). */
const airPassengers = [
  112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158,
  133, 114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218,
  230, 242, 209, 191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201, 204, 188, 235,
  227, 234, 264, 302, 293, 259, 229, 203, 229, 242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278,
  284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306, 315, 301, 356, 348, 355, 422, 465, 467, 404,
  347, 305, 336, 340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337, 360, 342, 406, 396, 420, 472,
  548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
];

/** A seeded generator, so every run draws the same series. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const noise = random(42);
/** A retail-like monthly series: trend, a yearly season, noise. */
const retail = Array.from(
  { length: 96 },
  (_, t) => 200 + 1.5 * t + 40 * Math.sin((2 * Math.PI * t) / 12) + 10 * (noise() - 0.5),
);
/** A weekly-season daily series. */
const daily = Array.from(
  { length: 140 },
  (_, t) => 80 + 0.2 * t + [0, 5, 8, 6, 10, 25, 30][t % 7]! + 6 * (noise() - 0.5),
);

const series: { name: string; values: number[]; period: number; horizon: number }[] = [
  { name: "air_passengers", values: airPassengers, period: 12, horizon: 12 },
  { name: "retail_monthly", values: retail, period: 12, horizon: 12 },
  { name: "daily_weekly_season", values: daily, period: 7, horizon: 14 },
];

const mape = (actual: number[], predicted: number[]) =>
  (100 * actual.reduce((sum, value, at) => sum + Math.abs((value - (predicted[at] ?? 0)) / value), 0)) /
  actual.length;

const peerScript = `
import json, sys, warnings
warnings.filterwarnings("ignore")
from statsmodels.tsa.holtwinters import ExponentialSmoothing
out = {}
for case in json.load(sys.stdin):
    best = None
    for trend in (None, "add"):
        for damped in ((False, True) if trend else (False,)):
            for seasonal in (None, "add", "mul"):
                try:
                    model = ExponentialSmoothing(case["train"], trend=trend, damped_trend=damped, seasonal=seasonal,
                                                 seasonal_periods=case["period"] if seasonal else None,
                                                 initialization_method="estimated").fit()
                except Exception:
                    continue
                if best is None or model.aicc < best.aicc:
                    best = model
    out[case["name"]] = list(best.forecast(case["horizon"]))
print(json.dumps(out))
`;

const peer = spawnSync("/usr/bin/python3", ["-c", peerScript], {
  input: JSON.stringify(
    series.map((entry) => ({
      name: entry.name,
      train: entry.values.slice(0, -entry.horizon),
      period: entry.period,
      horizon: entry.horizon,
    })),
  ),
  encoding: "utf8",
});
const peerForecasts: Record<string, number[]> | undefined =
  peer.status === 0 ? JSON.parse(peer.stdout) : undefined;
if (!peerForecasts)
  console.log(
    `statsmodels is not available (${(peer.stderr || peer.error?.message || "").trim().split("\n").at(-1)}): forecasts are reported without their peer`,
  );

let ratioSum = 0;
for (const entry of series) {
  const train = entry.values.slice(0, -entry.horizon);
  const test = entry.values.slice(-entry.horizon);
  const ours = forecast(train, entry.horizon, entry.period);
  if (!ours) throw new Error(`no forecast for ${entry.name}`);
  const ourMape = mape(
    test,
    ours.points.map((point) => point.value),
  );
  const theirs = peerForecasts?.[entry.name];
  if (theirs) {
    const theirMape = mape(test, theirs);
    ratioSum += ourMape / theirMape;
    report(`insights.forecast.${entry.name}.mape_pct`, ourMape, `% (${ours.model})`, {
      name: "statsmodels ExponentialSmoothing",
      value: theirMape,
      higherIsBetter: false,
    });
  } else report(`insights.forecast.${entry.name}.mape_pct`, ourMape, `% (${ours.model})`);
}
if (peerForecasts) {
  const mean = ratioSum / series.length;
  console.log(`  mean MAPE ratio: ${mean.toFixed(2)}×`);
  reportTarget("no worse than 1.05× statsmodels on average", mean <= 1.05);
}

// Anomalies: 40 seasonal series with 3 spikes each at known places.
let truePositives = 0;
let falsePositives = 0;
let planted = 0;
const draw = random(7);
for (let run = 0; run < 40; run++) {
  const values = Array.from(
    { length: 120 },
    (_, t) => 100 + 0.3 * t + 20 * Math.sin((2 * Math.PI * t) / 12) + 4 * (draw() - 0.5) * 2,
  );
  const spikes = new Set<number>();
  while (spikes.size < 3) spikes.add(12 + Math.floor(draw() * 100));
  for (const at of spikes) values[at] = (values[at] ?? 0) + (draw() > 0.5 ? 1 : -1) * (25 + 15 * draw());
  planted += spikes.size;
  const trend = mannKendall(values);
  const season = seasonality(values, [12], trend?.slope ?? 0);
  for (const anomaly of robustAnomalies(values, {
    slope: trend?.slope ?? 0,
    ...(season ? { period: season.period } : {}),
  }))
    if (spikes.has(anomaly.index)) truePositives++;
    else falsePositives++;
}
const precision = truePositives / Math.max(1, truePositives + falsePositives);
const recall = truePositives / planted;
report("insights.anomalies.precision", precision, "");
report("insights.anomalies.recall", recall, "");
reportTarget("precision and recall ≥ 0.9 on the labelled set", precision >= 0.9 && recall >= 0.9);
