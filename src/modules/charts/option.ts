import type { ChartData, ChartSpec, ChartType } from "./chart.types.js";
import {
  columnIndex,
  distinctLabels,
  labelOf,
  numberOf,
  pivotOf,
  type ResolvedSpec,
  resolveSpec,
  sortedRows,
} from "./data.js";
import { specialOptions } from "./option-special.js";

/** An Apache ECharts option: plain JSON that the browser, the SVG renderer and e-mails all draw. */
export type EChartsOption = Record<string, unknown>;

export const PALETTE = [
  "#4f6bed",
  "#17a589",
  "#f39c12",
  "#c0392b",
  "#8e44ad",
  "#2e86c1",
  "#d35400",
  "#7f8c8d",
  "#27ae60",
  "#e84393",
];

type Builder = (spec: ResolvedSpec, data: ChartData) => EChartsOption;

const axisLabel = { hideOverlap: true };

function categorySeries(spec: ResolvedSpec, data: ChartData, kind: "bar" | "line", extra: object = {}) {
  const rows = sortedRows(data, spec);
  const xi = columnIndex(data, spec.x ?? "");
  const categories = rows.map((row) => labelOf(row[xi]));
  const series = spec.y.map((name) => {
    const index = columnIndex(data, name);
    return {
      name,
      type: kind,
      data: rows.map((row) => numberOf(row[index])),
      ...(spec.labels ? { label: { show: true, position: kind === "bar" ? "top" : "top" } } : {}),
      ...extra,
    };
  });
  return { categories, series };
}

/** One series per value of `series`: the pivot of the first measure. */
function splitSeries(spec: ResolvedSpec, data: ChartData, kind: "bar" | "line", extra: object = {}) {
  const measure = spec.y[0] ?? "";
  const { rowLabels, columnLabels, cells } = pivotOf(data, spec.x ?? "", spec.series ?? "", measure);
  let order = rowLabels.map((_, index) => index);
  if (spec.sort && spec.sort !== "none") {
    const total = (index: number) =>
      (cells[index] ?? []).reduce<number>((sum, value) => sum + (value ?? 0), 0);
    order = order.sort((a, b) => (spec.sort === "asc" ? total(a) - total(b) : total(b) - total(a)));
  }
  return {
    categories: order.map((index) => rowLabels[index] ?? ""),
    series: columnLabels.map((name, column) => ({
      name,
      type: kind,
      data: order.map((row) => cells[row]?.[column] ?? null),
      ...extra,
    })),
  };
}

const cartesian =
  (kind: "bar" | "line", options: { stack?: boolean; area?: boolean; horizontal?: boolean } = {}): Builder =>
  (spec, data) => {
    const extra = {
      ...(options.stack ? { stack: "total" } : {}),
      ...(options.area ? { areaStyle: { opacity: 0.35 } } : {}),
      ...(kind === "line" ? { showSymbol: data.rows.length <= 60 } : {}),
    };
    const { categories, series } = spec.series
      ? splitSeries(spec, data, kind, extra)
      : categorySeries(spec, data, kind, extra);
    const category = { type: "category", data: categories, axisLabel };
    const value = { type: "value" };
    return {
      tooltip: { trigger: "axis" },
      ...(series.length > 1 ? { legend: { type: "scroll", bottom: 0 } } : {}),
      grid: {
        containLabel: true,
        left: 12,
        right: 16,
        top: spec.title ? 48 : 24,
        bottom: series.length > 1 ? 40 : 16,
      },
      xAxis: options.horizontal ? value : category,
      yAxis: options.horizontal ? { ...category, inverse: true } : value,
      series,
    };
  };

const combo: Builder = (spec, data) => {
  const xi = columnIndex(data, spec.x ?? "");
  const lines = spec.line?.length ? spec.line : spec.y.slice(-1);
  const bars = spec.y.filter((name) => !lines.includes(name));
  const values = (name: string) => {
    const index = columnIndex(data, name);
    return data.rows.map((row) => numberOf(row[index]));
  };
  return {
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", bottom: 0 },
    grid: { containLabel: true, left: 12, right: 16, top: spec.title ? 48 : 24, bottom: 40 },
    xAxis: { type: "category", data: data.rows.map((row) => labelOf(row[xi])), axisLabel },
    yAxis: [{ type: "value" }, { type: "value", splitLine: { show: false } }],
    series: [
      ...bars.map((name) => ({ name, type: "bar", data: values(name) })),
      ...lines.map((name) => ({ name, type: "line", yAxisIndex: 1, data: values(name) })),
    ],
  };
};

const pie =
  (donut: boolean): Builder =>
  (spec, data) => {
    const xi = columnIndex(data, spec.x ?? "");
    const yi = columnIndex(data, spec.y[0] ?? "");
    const rows = sortedRows(data, { ...spec, sort: spec.sort ?? "desc" });
    return {
      tooltip: { trigger: "item" },
      legend: { type: "scroll", bottom: 0 },
      series: [
        {
          type: "pie",
          radius: donut ? ["45%", "70%"] : "70%",
          center: ["50%", "48%"],
          data: rows.map((row) => ({ name: labelOf(row[xi]), value: numberOf(row[yi]) })),
          label: { show: spec.labels ?? true, formatter: "{b}: {d}%" },
        },
      ],
    };
  };

const scatter =
  (bubble: boolean): Builder =>
  (spec, data) => {
    const [xName = "", yName = ""] = spec.y;
    const xi = columnIndex(data, xName);
    const yi = columnIndex(data, yName);
    const si = bubble && spec.size ? columnIndex(data, spec.size) : undefined;
    const largest = Math.max(
      1,
      ...(si === undefined ? [] : data.rows.map((row) => Math.abs(numberOf(row[si]) ?? 0))),
    );
    // Bubble sizes are written into each point (8–48 px): a size function cannot travel as JSON.
    const point = (row: (typeof data.rows)[number]) =>
      si === undefined
        ? [numberOf(row[xi]), numberOf(row[yi])]
        : {
            value: [numberOf(row[xi]), numberOf(row[yi]), numberOf(row[si])],
            symbolSize: 8 + (40 * Math.abs(numberOf(row[si]) ?? 0)) / largest,
          };
    const gi = spec.series ? columnIndex(data, spec.series) : -1;
    const groups: (string | undefined)[] = gi >= 0 ? distinctLabels(data, gi) : [undefined];
    return {
      tooltip: { trigger: "item" },
      ...(groups.length > 1 ? { legend: { type: "scroll", bottom: 0 } } : {}),
      grid: {
        containLabel: true,
        left: 12,
        right: 24,
        top: spec.title ? 48 : 24,
        bottom: groups.length > 1 ? 40 : 16,
      },
      xAxis: { type: "value", name: xName, nameLocation: "middle", nameGap: 28, scale: true },
      yAxis: { type: "value", name: yName, scale: true },
      series: groups.map((group) => ({
        type: "scatter",
        ...(group !== undefined ? { name: group } : {}),
        data: data.rows.filter((row) => group === undefined || labelOf(row[gi]) === group).map(point),
      })),
    };
  };

const builders: Record<ChartType, Builder> = {
  bar: cartesian("bar"),
  grouped_bar: cartesian("bar"),
  stacked_bar: cartesian("bar", { stack: true }),
  horizontal_bar: cartesian("bar", { horizontal: true }),
  line: cartesian("line"),
  area: (spec, data) => cartesian("line", { area: true, stack: spec.series !== undefined })(spec, data),
  combo,
  pie: pie(false),
  donut: pie(true),
  scatter: scatter(false),
  bubble: scatter(true),
  ...specialOptions,
};

/**
 * The ECharts option for a result drawn as `spec`: missing fields are filled in from the result's
 * shape; names that are not columns of the result are a 400.
 */
export function buildOption(spec: ChartSpec, data: ChartData): EChartsOption {
  const resolved = resolveSpec(spec, data);
  return {
    color: resolved.colors?.length ? resolved.colors : PALETTE,
    ...(resolved.title
      ? { title: { text: resolved.title, left: "center", textStyle: { fontSize: 14 } } }
      : {}),
    ...builders[resolved.type](resolved, data),
  };
}
