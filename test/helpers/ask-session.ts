/** A local ask session over CSV files a test writes, with the gold side read by DuckDB beside it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type LocalAsk, openLocalAsk } from "../../src/modules/ask/local.js";
import type { JsonValue } from "../../src/modules/warehouse/duckdb-engine.js";
import { openLocalSource } from "../../src/modules/warehouse/local-source.js";

export type Cell = string | number | boolean | null;

/** Writes `<name>.csv` into `dir` (empty cells for null). */
export function csvWriter(dir: string) {
  mkdirSync(dir, { recursive: true });
  return (name: string, rows: Cell[][]) =>
    writeFileSync(
      path.join(dir, `${name}.csv`),
      `${rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))).join(",")).join("\n")}\n`,
    );
}

/**
 * Opens `openLocalAsk` over the files `write` puts in a fresh directory before the file's tests,
 * and closes everything after: `session` asks, `gold` runs a statement on the same data.
 */
export function askOverFiles(name: string, write: (dir: string) => void, today: Date) {
  const state = {} as { session: LocalAsk; gold: (sql: string) => Promise<JsonValue[][]> };
  let root = "";
  let close = () => {};
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), `sightline-ask-${name}-`));
    const dir = path.join(root, name);
    write(dir);
    state.session = await openLocalAsk(dir, { today, env: {} });
    const source = await openLocalSource(dir);
    state.gold = async (sql) => (await source.query(sql)).rows;
    close = () => source.close();
  });
  afterAll(() => {
    close();
    state.session?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });
  return state;
}

/** Rows as comparable text: numbers to 2 decimals, midnight timestamps as dates, sorted unless `ordered`. */
export function canonicalRows(rows: JsonValue[][], ordered = false): string[] {
  const text = rows.map((row) =>
    JSON.stringify(
      row.map((cell) =>
        typeof cell === "number"
          ? Math.round(cell * 100) / 100
          : typeof cell === "string" && /^\d{4}-\d\d-\d\dT00:00:00/.test(cell)
            ? cell.slice(0, 10)
            : cell,
      ),
    ),
  );
  return ordered ? text : text.sort();
}
