import type { Cell, ResultColumn } from "../../api/sources.ts";

/** One line, one set of bars or one pie: a value per category (null where the result has none). */
export interface ChartSeries {
  name: string;
  values: (number | null)[];
}

export interface ChartData {
  categories: string[];
  series: ChartSeries[];
  xLabel: string;
  yLabel: string;
}

/** What a chart is asked to draw: the x column, the value columns, a column whose values are series. */
export interface ChartAxes {
  x?: string | undefined;
  y?: string[] | undefined;
  series?: string | undefined;
}

/** More series than this would be unreadable: the table beside the chart has them all. */
const MAX_SERIES = 8;

export const toNumber = (value: Cell | undefined): number | null => {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return null;
};

/** A category as a label; midnight timestamps (month and year buckets) lose their clock. */
export const labelOf = (value: Cell | undefined): string => {
  if (value === null || value === undefined) return "(none)";
  const text = String(value);
  return /^\d{4}-\d{2}-\d{2}[T ]00:00:00(\.0+)?Z?$/.test(text) ? text.slice(0, 10) : text;
};

/**
 * The result's rows as categories and series: one series per value column, or, with a series
 * column, one per value of it (pivoted). Undefined when the columns the chart names are missing.
 */
export function chartData(axes: ChartAxes, columns: ResultColumn[], rows: Cell[][]): ChartData | undefined {
  const at = (name: string | undefined) => (name ? columns.findIndex((column) => column.name === name) : -1);
  const xi = at(axes.x);
  const ys = (axes.y ?? []).map(at).filter((index) => index >= 0);
  const first = ys[0];
  if (xi < 0 || first === undefined) return undefined;
  const yLabel = ys.map((index) => columns[index]?.name).join(", ");
  const xLabel = columns[xi]?.name ?? "";
  const si = at(axes.series);

  if (si < 0) {
    return {
      categories: rows.map((row) => labelOf(row[xi])),
      series: ys.map((index) => ({
        name: columns[index]?.name ?? "",
        values: rows.map((row) => toNumber(row[index])),
      })),
      xLabel,
      yLabel,
    };
  }
  const categories: string[] = [];
  const names: string[] = [];
  const cells = new Map<string, number | null>();
  for (const row of rows) {
    const category = labelOf(row[xi]);
    const name = labelOf(row[si]);
    if (!categories.includes(category)) categories.push(category);
    if (!names.includes(name)) names.push(name);
    cells.set(`${category}\u0000${name}`, toNumber(row[first]));
  }
  return {
    categories,
    series: names.slice(0, MAX_SERIES).map((name) => ({
      name,
      values: categories.map((category) => cells.get(`${category}\u0000${name}`) ?? null),
    })),
    xLabel,
    yLabel: columns[first]?.name ?? "",
  };
}

/** Round tick values covering [min, max], about `count` steps apart. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  const low = Math.min(min, 0);
  const high = max === low ? low + 1 : max;
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  const ticks: number[] = [];
  for (let tick = Math.floor(low / step) * step; tick < high + step / 2; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}

export const palette = Array.from({ length: MAX_SERIES }, (_, index) => `var(--chart-${index + 1})`);

export const colorOf = (index: number) => palette[index % palette.length] ?? "currentColor";

export const shorten = (label: string, max = 14) =>
  label.length > max ? `${label.slice(0, max - 1)}…` : label;
