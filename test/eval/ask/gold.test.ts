import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalSource } from "../../../src/modules/warehouse/local-source.js";
import { isOrdered, normalizeCell } from "./compare.js";
import { datasetNames, ensureDataset, generators } from "./datasets/index.js";
import { toCsv } from "./datasets/table.js";
import { expectMeaningful } from "./gold-checks.js";
import { categories, loadQuestions } from "./questions.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-eval-ask-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("ask evaluation data", () => {
  it("is the same on every run (seeded, no Math.random or clock)", () => {
    const digest = () => createHash("sha256").update(generators.hr().map(toCsv).join("\n")).digest("hex");
    expect(digest()).toBe(digest());
  });

  it.each(datasetNames)("%s has 5–10 tables and thousands of rows", (name) => {
    const tables = generators[name]();
    expect(tables.length).toBeGreaterThanOrEqual(5);
    expect(tables.length).toBeLessThanOrEqual(10);
    const rows = tables.reduce((sum, table) => sum + table.rows.length, 0);
    expect(rows).toBeGreaterThan(3_000);
    expect(rows).toBeLessThan(60_000);
  });
});

describe("ask evaluation questions", () => {
  it("number at least 150 over the datasets, at least 50 each, with unique ids and every category", () => {
    const all = datasetNames.flatMap((name) => loadQuestions(name));
    for (const name of datasetNames) expect(loadQuestions(name).length).toBeGreaterThanOrEqual(50);
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
    expect(new Set(all.map((q) => q.question.toLowerCase())).size).toBe(all.length);
    for (const category of categories) expect(all.some((q) => q.category === category)).toBe(true);
  });

  describe.each(datasetNames)("%s gold SQL", (name) => {
    let source: Awaited<ReturnType<typeof openLocalSource>>;
    beforeAll(async () => {
      source = await openLocalSource(ensureDataset(name, { dir: root }));
    });
    afterAll(() => source?.close());

    const answerable = loadQuestions(name).filter((q) => q.gold_sql !== null);
    it.each(answerable.map((q) => [q.id, q] as const))(
      "%s runs and returns a meaningful answer",
      async (_id, q) => {
        const sql = q.gold_sql!;
        const result = await source.query(sql);
        expectMeaningful(result, q.question);
        if (isOrdered(q)) {
          // Ties in a top N make the gold order (and which rows make the cut) arbitrary.
          const limit = Number(/\blimit\s+(\d+)\s*$/i.exec(sql)?.[1]);
          const wider = Number.isFinite(limit)
            ? await source.query(sql.replace(/\blimit\s+\d+\s*$/i, `limit ${limit + 1}`))
            : result;
          const keys = wider.rows.map((row) =>
            JSON.stringify(
              row.filter((cell) => typeof normalizeCell(cell) !== "string" || /^\d{4}-/.test(String(cell))),
            ),
          );
          for (let n = 1; n < keys.length; n++)
            expect(keys[n], `${q.id}: tie between rows ${n} and ${n + 1}`).not.toBe(keys[n - 1]);
        }
      },
    );
  });
});
