import { expect } from "vitest";
import type { QueryResult } from "../../../src/modules/warehouse/duckdb-engine.js";

/**
 * What every gold answer must be, in both evaluation sets: complete (not cut at the row cap),
 * not empty, and not a lone row of nulls or zeros (a sum over nothing, a count of nothing),
 * which would mean the gold's filter missed.
 */
export function expectMeaningful(result: QueryResult, question: string): void {
  expect(result.truncated).toBe(false);
  expect(result.rows.length, question).toBeGreaterThan(0);
  if (result.rows.length === 1) {
    for (const cell of result.rows[0] ?? [])
      expect(cell === null || cell === 0, `${question}: ${cell}`).toBe(false);
  }
}
