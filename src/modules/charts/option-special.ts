import type { JsonValue } from "../warehouse/duckdb-engine.js";
import type { ChartData, ChartType } from "./chart.types.js";
import {
  columnIndex,
  distinctLabels,
  labelOf,
  numberOf,
  pivotOf,
  quantile,
  type ResolvedSpec,
  sortedRows,
} from "./data.js";

type Option = Record<string, unknown>;
type Builder = (spec: ResolvedSpec, data: ChartData) => Option;

const grid = (spec: ResolvedSpec, bottom = 16) => ({
  containLabel: true,
  left: 12,
  right: 16,
  top: spec.title ? 48 : 24,
  bottom,
});

const valuesOf = (data: ChartData, name: string): number[] => {
  const index = columnIndex(data, name);
  return data.rows.map((row) => numberOf(row[index])).filter((value): value is number => value !== null);
};

/** A number written for people: 1234567.891 → "1,234,567.89". */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 2;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const histogram: Builder = (spec, data) => {
  const values = valuesOf(data, spec.y[0] ?? "");
  const bins = spec.bins ?? Math.max(2, Math.min(50, Math.ceil(Math.log2(Math.max(1, values.length)) + 1)));
  const low = Math.min(...values);
  const high = Math.max(...values);
  const width = high > low ? (high - low) / bins : 1;
  const counts = Array.from({ length: bins }, () => 0);
  for (const value of values) {
    const at = Math.min(bins - 1, Math.floor((value - low) / width));
    counts[at] = (counts[at] ?? 0) + 1;
  }
  const edges = counts.map(
    (_, at) => `${formatNumber(low + at * width)}–${formatNumber(low + (at + 1) * width)}`,
  );
  return {
    tooltip: { trigger: "axis" },
    grid: grid(spec),
    xAxis: { type: "category", data: edges, name: spec.y[0], nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: "rows" },
    series: [{ type: "bar", name: "rows", barCategoryGap: "2%", data: counts }],
  };
};

const boxplot: Builder = (spec, data) => {
  const mi = columnIndex(data, spec.y[0] ?? "");
  const xi = spec.x ? columnIndex(data, spec.x) : -1;
  const groups = xi >= 0 ? distinctLabels(data, xi) : [spec.y[0] ?? "all"];
  const boxes = groups.map((group) => {
    const sorted = data.rows
      .filter((row) => xi < 0 || labelOf(row[xi]) === group)
      .map((row) => numberOf(row[mi]))
      .filter((value): value is number => value !== null)
      .sort((a, b) => a - b);
    return [0, 0.25, 0.5, 0.75, 1].map((q) => quantile(sorted, q));
  });
  return {
    tooltip: { trigger: "item" },
    grid: grid(spec),
    xAxis: { type: "category", data: groups },
    yAxis: { type: "value", name: spec.y[0], scale: true },
    series: [{ type: "boxplot", name: spec.y[0], data: boxes }],
  };
};

const heatmap: Builder = (spec, data) => {
  const { rowLabels, columnLabels, cells } = pivotOf(data, spec.x ?? "", spec.series ?? "", spec.y[0] ?? "");
  const points = cells.flatMap((line, x) => line.map((value, y) => [x, y, value]));
  const values = points
    .map((point) => point[2])
    .filter((value): value is number => typeof value === "number");
  return {
    tooltip: { position: "top" },
    grid: grid(spec, 56),
    xAxis: { type: "category", data: rowLabels, splitArea: { show: true } },
    yAxis: { type: "category", data: columnLabels, splitArea: { show: true } },
    visualMap: {
      min: Math.min(0, ...values),
      max: Math.max(1, ...values),
      calculable: true,
      orient: "horizontal",
      left: "center",
      bottom: 0,
    },
    series: [
      {
        type: "heatmap",
        name: spec.y[0],
        data: points,
        label: { show: spec.labels ?? cells.length * columnLabels.length <= 60 },
      },
    ],
  };
};

/** A category and its parts as a tree: `x` the parents, `series` (optional) the children. */
function tree(spec: ResolvedSpec, data: ChartData) {
  const xi = columnIndex(data, spec.x ?? "");
  const mi = columnIndex(data, spec.y[0] ?? "");
  const si = spec.series ? columnIndex(data, spec.series) : -1;
  const parents = new Map<string, { name: string; value: number; children: Map<string, number> }>();
  for (const row of data.rows) {
    const name = labelOf(row[xi]);
    const value = numberOf(row[mi]) ?? 0;
    const parent = parents.get(name) ?? { name, value: 0, children: new Map<string, number>() };
    parent.value += value;
    if (si >= 0) {
      const child = labelOf(row[si]);
      parent.children.set(child, (parent.children.get(child) ?? 0) + value);
    }
    parents.set(name, parent);
  }
  return [...parents.values()].map((parent) => ({
    name: parent.name,
    value: parent.value,
    ...(parent.children.size
      ? { children: [...parent.children].map(([name, value]) => ({ name, value })) }
      : {}),
  }));
}

const treemap: Builder = (spec, data) => ({
  tooltip: { trigger: "item" },
  series: [
    {
      type: "treemap",
      name: spec.y[0],
      top: spec.title ? 40 : 8,
      roam: false,
      breadcrumb: { show: false },
      data: tree(spec, data),
      levels: [{ itemStyle: { borderWidth: 2, gapWidth: 2 } }, { itemStyle: { gapWidth: 1 } }],
    },
  ],
});

const sunburst: Builder = (spec, data) => ({
  tooltip: { trigger: "item" },
  series: [{ type: "sunburst", radius: ["12%", "80%"], data: tree(spec, data), label: { rotate: "radial" } }],
});

const sankey: Builder = (spec, data) => {
  const si = columnIndex(data, spec.x ?? "");
  const ti = columnIndex(data, spec.series ?? "");
  const mi = columnIndex(data, spec.y[0] ?? "");
  const links = new Map<string, { source: string; target: string; value: number }>();
  for (const row of data.rows) {
    const source = labelOf(row[si]);
    // A target with the name of a source would make a cycle, which a sankey cannot draw.
    const target = labelOf(row[ti]);
    const name = source === target ? `${target} ` : target;
    const key = `${source}\u0000${name}`;
    const link = links.get(key) ?? { source, target: name, value: 0 };
    link.value += numberOf(row[mi]) ?? 0;
    links.set(key, link);
  }
  const nodes = [...new Set([...links.values()].flatMap((link) => [link.source, link.target]))];
  return {
    tooltip: { trigger: "item" },
    series: [
      {
        type: "sankey",
        top: spec.title ? 48 : 16,
        emphasis: { focus: "adjacency" },
        data: nodes.map((name) => ({ name })),
        links: [...links.values()],
      },
    ],
  };
};

const funnel: Builder = (spec, data) => {
  const xi = columnIndex(data, spec.x ?? "");
  const yi = columnIndex(data, spec.y[0] ?? "");
  return {
    tooltip: { trigger: "item" },
    legend: { type: "scroll", bottom: 0 },
    series: [
      {
        type: "funnel",
        top: spec.title ? 48 : 16,
        bottom: 40,
        sort: "descending",
        label: { show: spec.labels ?? true, position: "inside" },
        data: data.rows.map((row) => ({ name: labelOf(row[xi]), value: numberOf(row[yi]) })),
      },
    ],
  };
};

/** A round number just above `value`: 87 → 100, 1,240 → 2,000. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

const gauge: Builder = (spec, data) => {
  const value = numberOf(data.rows[0]?.[columnIndex(data, spec.y[0] ?? "")]);
  const min = spec.min ?? 0;
  const max = spec.max ?? niceCeiling(Math.max(Math.abs(value ?? 0), min + 1));
  return {
    series: [
      {
        type: "gauge",
        min,
        max,
        progress: { show: true, width: 14 },
        axisLine: { lineStyle: { width: 14 } },
        detail: { valueAnimation: false, formatter: "{value}", fontSize: 26, offsetCenter: [0, "60%"] },
        title: { offsetCenter: [0, "85%"] },
        data: [{ value, name: spec.y[0] }],
      },
    ],
  };
};

/**
 * One figure, as big text: the last row's value, and its change against the row before when the
 * result has several (periods along `x`) or a second measure holds the previous value.
 */
const kpi: Builder = (spec, data) => {
  const mi = columnIndex(data, spec.y[0] ?? "");
  const rows = spec.x ? [...data.rows] : data.rows;
  const current = numberOf(rows.at(-1)?.[mi]);
  const previous =
    spec.y[1] !== undefined
      ? numberOf(rows.at(-1)?.[columnIndex(data, spec.y[1])])
      : rows.length > 1
        ? numberOf(rows.at(-2)?.[mi])
        : null;
  const delta =
    current !== null && previous !== null && previous !== 0
      ? (100 * (current - previous)) / Math.abs(previous)
      : null;
  const children: Option[] = [
    {
      type: "text",
      left: "center",
      top: "32%",
      style: { text: formatNumber(current), fontSize: 38, fontWeight: "bold", fill: "#1f2937" },
    },
    {
      type: "text",
      left: "center",
      top: "68%",
      style: { text: spec.y[0] ?? "", fontSize: 13, fill: "#6b7280" },
    },
  ];
  if (delta !== null)
    children.push({
      type: "text",
      left: "center",
      top: "82%",
      style: {
        text: `${delta >= 0 ? "▲" : "▼"} ${Math.abs(delta).toFixed(1)}% vs previous`,
        fontSize: 14,
        fill: delta >= 0 ? "#17a589" : "#c0392b",
      },
    });
  return { kpi: { value: current, previous, deltaPercent: delta }, graphic: children };
};

/** A grid of text for SVG and e-mail; the web app draws `dataset` as an HTML table instead. */
function textGrid(header: string[], body: string[][], spec: ResolvedSpec, limit = 20): Option {
  const shown = body.slice(0, limit);
  const width = 120;
  const top = spec.title ? 52 : 8;
  const cell = (text: string, x: number, y: number, bold = false) => ({
    type: "text",
    left: 8 + x * width,
    top: top + y * 22,
    style: {
      text: text.length > 18 ? `${text.slice(0, 17)}…` : text,
      fontSize: 12,
      fontWeight: bold ? "bold" : "normal",
      fill: "#1f2937",
    },
  });
  const children = [
    ...header.map((text, x) => cell(text, x, 0, true)),
    ...shown.flatMap((line, y) => line.map((text, x) => cell(text, x, y + 1))),
  ];
  if (body.length > limit) children.push(cell(`… ${body.length - limit} more rows`, 0, limit + 1));
  return { graphic: children };
}

const show = (value: JsonValue | undefined) =>
  typeof value === "number" ? formatNumber(value) : labelOf(value);

const table: Builder = (spec, data) => ({
  dataset: { dimensions: data.columns.map((column) => column.name), source: data.rows },
  ...textGrid(
    data.columns.map((column) => column.name),
    data.rows.map((row) => row.map(show)),
    spec,
  ),
});

const pivot: Builder = (spec, data) => {
  const { rowLabels, columnLabels, cells } = pivotOf(data, spec.x ?? "", spec.series ?? "", spec.y[0] ?? "");
  const header = [spec.x ?? "", ...columnLabels];
  const body = rowLabels.map((label, r) => [label, ...(cells[r] ?? []).map(formatNumber)]);
  return {
    pivot: { rows: rowLabels, columns: columnLabels, cells, measure: spec.y[0] },
    dataset: { dimensions: header, source: rowLabels.map((label, r) => [label, ...(cells[r] ?? [])]) },
    ...textGrid(header, body, spec),
  };
};

const calendar: Builder = (spec, data) => {
  const xi = columnIndex(data, spec.x ?? "");
  const yi = columnIndex(data, spec.y[0] ?? "");
  const points = data.rows
    .map((row) => [labelOf(row[xi]).slice(0, 10), numberOf(row[yi])] as const)
    .filter(([day]) => /^\d{4}-\d\d-\d\d$/.test(day));
  const days = points.map(([day]) => day).sort();
  const first = days[0] ?? new Date().toISOString().slice(0, 10);
  const last = days.at(-1) ?? first;
  const values = points.map(([, value]) => value).filter((value): value is number => value !== null);
  return {
    tooltip: { position: "top" },
    visualMap: {
      min: Math.min(0, ...values),
      max: Math.max(1, ...values),
      orient: "horizontal",
      left: "center",
      bottom: 0,
    },
    calendar: {
      top: spec.title ? 56 : 32,
      left: 32,
      right: 16,
      cellSize: ["auto", 13],
      range: [first, last],
      yearLabel: { show: true },
    },
    series: [{ type: "heatmap", coordinateSystem: "calendar", name: spec.y[0], data: points }],
  };
};

const radar: Builder = (spec, data) => {
  const xi = columnIndex(data, spec.x ?? "");
  const rows = data.rows.slice(0, 12);
  const indicator = rows.map((row) => labelOf(row[xi]));
  const series = spec.y.map((name) => {
    const index = columnIndex(data, name);
    return { name, value: rows.map((row) => numberOf(row[index]) ?? 0) };
  });
  const max = Math.max(1, ...series.flatMap((entry) => entry.value));
  return {
    tooltip: { trigger: "item" },
    ...(series.length > 1 ? { legend: { bottom: 0 } } : {}),
    radar: {
      indicator: indicator.map((name) => ({ name, max: niceCeiling(max) })),
      center: ["50%", "52%"],
      radius: "62%",
    },
    series: [{ type: "radar", data: series }],
  };
};

/** Each step from where the last ended: an invisible base under each bar, and a total at the end. */
const waterfall: Builder = (spec, data) => {
  const rows = sortedRows(data, spec);
  const xi = columnIndex(data, spec.x ?? "");
  const yi = columnIndex(data, spec.y[0] ?? "");
  const bases: number[] = [];
  const rises: (number | null)[] = [];
  const falls: (number | null)[] = [];
  let running = 0;
  for (const row of rows) {
    const step = numberOf(row[yi]) ?? 0;
    bases.push(step >= 0 ? running : running + step);
    rises.push(step >= 0 ? step : null);
    falls.push(step < 0 ? -step : null);
    running += step;
  }
  return {
    tooltip: { trigger: "axis" },
    grid: grid(spec),
    xAxis: { type: "category", data: [...rows.map((row) => labelOf(row[xi])), "Total"] },
    yAxis: { type: "value" },
    series: [
      { type: "bar", stack: "steps", silent: true, itemStyle: { color: "transparent" }, data: [...bases, 0] },
      { type: "bar", stack: "steps", name: "increase", data: [...rises, running >= 0 ? running : null] },
      {
        type: "bar",
        stack: "steps",
        name: "decrease",
        itemStyle: { color: "#c0392b" },
        data: [...falls, running < 0 ? -running : null],
      },
    ],
  };
};

export const specialOptions: Record<
  Exclude<
    ChartType,
    | "bar"
    | "grouped_bar"
    | "stacked_bar"
    | "horizontal_bar"
    | "line"
    | "area"
    | "combo"
    | "pie"
    | "donut"
    | "scatter"
    | "bubble"
  >,
  Builder
> = {
  histogram,
  boxplot,
  heatmap,
  treemap,
  sunburst,
  sankey,
  funnel,
  gauge,
  kpi,
  table,
  pivot,
  calendar,
  radar,
  waterfall,
};
