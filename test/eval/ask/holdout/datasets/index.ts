import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Table, toCsv } from "../../datasets/table.js";
import { generateClinic } from "./clinic.js";
import { generateConcerts } from "./concerts.js";
import { generateLogistics } from "./logistics.js";
import { generateRetail } from "./retail.js";
import { generateSaas } from "./saas.js";
import { generateSchool } from "./school.js";

/**
 * The held-out datasets: schemas and naming conventions unlike the development set's
 * (camelCase and abbreviated columns, `id` keys in the style of the text-to-SQL benchmarks,
 * PascalCase and Spider-style `Singer_ID` columns).
 * Kept apart so that the engine is measured on data it was not tuned on.
 */
export const holdoutGenerators = {
  logistics: generateLogistics,
  school: generateSchool,
  saas: generateSaas,
  clinic: generateClinic,
  retail: generateRetail,
  concerts: generateConcerts,
} satisfies Record<string, (scale?: number) => Table[]>;

export type HoldoutDatasetName = keyof typeof holdoutGenerators;
export const holdoutDatasetNames = Object.keys(holdoutGenerators) as HoldoutDatasetName[];

export const holdoutCacheDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", ".data");

/** Bumped when a generator changes, so a stale cache is rebuilt rather than silently reused. */
const GENERATION = 2;

/** Writes a held-out dataset as a directory of CSV files unless it is already there; returns the directory. */
export function ensureHoldoutDataset(name: HoldoutDatasetName, options: { dir?: string } = {}): string {
  const target = path.join(options.dir ?? holdoutCacheDir, name);
  const stamp = JSON.stringify({ generation: GENERATION, scale: 1 });
  const stampFile = path.join(target, ".generated");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return target;
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const table of holdoutGenerators[name]())
    writeFileSync(path.join(staging, `${table.name}.csv`), toCsv(table));
  writeFileSync(path.join(staging, ".generated"), stamp);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}
