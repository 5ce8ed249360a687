import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateHr } from "./hr.js";
import { generateSales } from "./sales.js";
import { generateService } from "./service.js";
import { type Table, toCsv } from "./table.js";

export type { Table } from "./table.js";

/** The evaluation's datasets, each generated from its own seed. */
export const generators = { sales: generateSales, service: generateService, hr: generateHr } satisfies Record<
  string,
  (scale?: number) => Table[]
>;

export type DatasetName = keyof typeof generators;
export const datasetNames = Object.keys(generators) as DatasetName[];

/** The "today" every relative date in the questions ("last month", "year to date") is read against. */
export const EVAL_TODAY = "2025-06-15";

export const defaultCacheDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", ".data");

/** Bumped when a generator changes, so a stale cache is rebuilt rather than silently reused. */
const GENERATION = 4;

/**
 * Writes a dataset as a directory of CSV files (one per table) unless the same generation at
 * the same scale is already there; returns the directory.
 */
export function ensureDataset(name: DatasetName, options: { dir?: string; scale?: number } = {}): string {
  const scale = options.scale ?? 1;
  const root = options.dir ?? defaultCacheDir;
  const target = path.join(root, scale === 1 ? name : `${name}-x${scale}`);
  const stamp = JSON.stringify({ generation: GENERATION, scale });
  const stampFile = path.join(target, ".generated");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return target;
  // Written beside the target and renamed, so an interrupted run never leaves half a dataset.
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const table of generators[name](scale))
    writeFileSync(path.join(staging, `${table.name}.csv`), toCsv(table));
  writeFileSync(path.join(staging, ".generated"), stamp);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}
