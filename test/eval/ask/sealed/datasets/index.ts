import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Table, toCsv } from "../../datasets/table.js";
import { generateAgency } from "./agency.js";
import { generateFlights } from "./flights.js";
import { generateHotel } from "./hotel.js";

/**
 * The sealed datasets: a hotel group (abbreviated columns such as `chk_in_dt` and `amt`), a
 * professional-services firm (a camelCase `projects` table beside snake_case ones) and airline
 * routes in the style of Spider's `flight_1` / `flight_2` (PascalCase columns, small tables).
 */
export const sealedGenerators = {
  hotel: generateHotel,
  agency: generateAgency,
  flights: generateFlights,
} satisfies Record<string, () => Table[]>;

export type SealedDatasetName = keyof typeof sealedGenerators;
export const sealedDatasetNames = Object.keys(sealedGenerators) as SealedDatasetName[];

export const sealedCacheDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", ".data");

/** Bumped when a generator changes, so a stale cache is rebuilt rather than silently reused. */
const GENERATION = 1;

/** Writes a sealed dataset as a directory of CSV files unless it is already there; returns the directory. */
export function ensureSealedDataset(name: SealedDatasetName, options: { dir?: string } = {}): string {
  const target = path.join(options.dir ?? sealedCacheDir, name);
  const stamp = JSON.stringify({ generation: GENERATION });
  const stampFile = path.join(target, ".generated");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return target;
  // Written beside the target and renamed, so an interrupted run never leaves half a dataset.
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const table of sealedGenerators[name]())
    writeFileSync(path.join(staging, `${table.name}.csv`), toCsv(table));
  writeFileSync(path.join(staging, ".generated"), stamp);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}
