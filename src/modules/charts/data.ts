import { Invalid } from "../../platform/errors.js";
import type { JsonValue } from "../warehouse/duckdb-engine.js";
import { type ChartData, type ChartSpec, chartCatalogue, numericType } from "./chart.types.js";

/** A spec with every field its type reads filled in from the result's shape. */
export interface ResolvedSpec extends ChartSpec {
  y: string[];
}

/** The index of a column of the result, or a 400 naming the columns there are. */
export function columnIndex(data: ChartData, name: string): number {
  const index = data.columns.findIndex((column) => column.name === name);
  if (index < 0)
    throw new Invalid(
      `The result has no column "${name}" (it has ${data.columns.map((column) => column.name).join(", ") || "none"})`,
    );
  return index;
}

/** A cell as a number: numbers, numeric text (large decimals), booleans as 0/1; anything else null. */
export function numberOf(value: JsonValue | undefined): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/** A cell as a label: dates without a midnight time, empty cells as "(empty)". */
export function labelOf(value: JsonValue | undefined): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT00:00:00(\.000)?Z?$/.test(value))
    return value.slice(0, 10);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Fills in what a spec leaves out from the result's shape: `x` is the first non-numeric column,
 * `series` the second (for the types that take one), `y` the numeric columns that are neither.
 * Names that are not columns of the result are a 400.
 */
export function resolveSpec(spec: ChartSpec, data: ChartData): ResolvedSpec {
  const info = chartCatalogue.find((entry) => entry.type === spec.type);
  const reads = new Set(info?.fields ?? []);
  const dimensions = data.columns.filter((column) => !numericType(column.type)).map((column) => column.name);
  const measures = data.columns.filter((column) => numericType(column.type)).map((column) => column.name);
  for (const name of [spec.x, spec.series, spec.size, ...(spec.y ?? []), ...(spec.line ?? [])])
    if (name !== undefined) columnIndex(data, name);
  const resolved: ResolvedSpec = { ...spec, y: spec.y ?? [] };
  const [minDimensions] = info?.needs.dimensions ?? [0, 0];
  if (reads.has("x") && resolved.x === undefined && (minDimensions > 0 || dimensions.length > 0)) {
    const x = dimensions[0] ?? (minDimensions > 0 ? data.columns[0]?.name : undefined);
    if (x !== undefined) resolved.x = x;
  }
  if (reads.has("series") && resolved.series === undefined && minDimensions >= 2) {
    const series = dimensions.find((name) => name !== resolved.x);
    if (series !== undefined) resolved.series = series;
  }
  if (resolved.y.length === 0) {
    const taken = new Set([resolved.x, resolved.series, resolved.size]);
    resolved.y = measures.filter((name) => !taken.has(name));
    if (resolved.type === "combo" && spec.line)
      resolved.y = resolved.y.filter((name) => !spec.line?.includes(name));
  }
  if (resolved.type === "bubble" && resolved.size === undefined && resolved.y.length >= 3) {
    resolved.size = resolved.y[2];
    resolved.y = resolved.y.slice(0, 2);
  }
  const [minMeasures] = info?.needs.measures ?? [0, 0];
  if (resolved.y.length + (resolved.size ? 1 : 0) + (resolved.line?.length ?? 0) < minMeasures)
    throw new Invalid(
      `A ${info?.label ?? spec.type} chart needs ${minMeasures} numeric column${minMeasures === 1 ? "" : "s"}; the result has ${measures.length}`,
    );
  if (minDimensions > 0 && resolved.x === undefined)
    throw new Invalid(`A ${info?.label ?? spec.type} chart needs a category or date column`);
  if (minDimensions > 1 && resolved.series === undefined)
    throw new Invalid(`A ${info?.label ?? spec.type} chart needs two category columns`);
  return resolved;
}

/** The distinct labels of a column, in the order they first appear. */
export function distinctLabels(data: ChartData, index: number): string[] {
  return [...new Set(data.rows.map((row) => labelOf(row[index])))];
}

/** Rows in the order of their first measure, when the spec asks for it. */
export function sortedRows(data: ChartData, spec: ResolvedSpec): JsonValue[][] {
  const first = spec.y[0];
  if (!spec.sort || spec.sort === "none" || first === undefined) return data.rows;
  const index = columnIndex(data, first);
  const sign = spec.sort === "asc" ? 1 : -1;
  return [...data.rows].sort((a, b) => sign * ((numberOf(a[index]) ?? 0) - (numberOf(b[index]) ?? 0)));
}

/** A matrix of one measure by two dimensions: rows × columns, summed where rows repeat a pair. */
export function pivotOf(
  data: ChartData,
  x: string,
  series: string,
  measure: string,
): { rowLabels: string[]; columnLabels: string[]; cells: (number | null)[][] } {
  const xi = columnIndex(data, x);
  const si = columnIndex(data, series);
  const mi = columnIndex(data, measure);
  const rowLabels = distinctLabels(data, xi);
  const columnLabels = distinctLabels(data, si);
  const cells = rowLabels.map(() => columnLabels.map((): number | null => null));
  for (const row of data.rows) {
    const r = rowLabels.indexOf(labelOf(row[xi]));
    const c = columnLabels.indexOf(labelOf(row[si]));
    const value = numberOf(row[mi]);
    const line = cells[r];
    if (!line || value === null) continue;
    line[c] = (line[c] ?? 0) + value;
  }
  return { rowLabels, columnLabels, cells };
}

/** Quartiles by linear interpolation (the method spreadsheets and numpy use by default). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const a = sorted[low] ?? 0;
  const b = sorted[high] ?? a;
  return a + (b - a) * (at - low);
}
