import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalSource } from "../../../../src/modules/warehouse/local-source.js";
import { datasetNames, generators } from "../datasets/index.js";
import { toCsv } from "../datasets/table.js";
import { expectSoundGold } from "../gold-checks.js";
import { categories, loadQuestions } from "../questions.js";
import { ensureHoldoutDataset, holdoutDatasetNames, holdoutGenerators } from "./datasets/index.js";
import { loadHoldoutQuestions } from "./questions.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-eval-ask-holdout-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("held-out evaluation data", () => {
  it("is the same on every run (seeded, no Math.random or clock)", () => {
    for (const name of holdoutDatasetNames) {
      const digest = () =>
        createHash("sha256").update(holdoutGenerators[name]().map(toCsv).join("\n")).digest("hex");
      expect(digest()).toBe(digest());
    }
  });

  it.each(holdoutDatasetNames)("%s has 5–10 tables and thousands of rows", (name) => {
    const tables = holdoutGenerators[name]();
    expect(tables.length).toBeGreaterThanOrEqual(5);
    expect(tables.length).toBeLessThanOrEqual(10);
    const rows = tables.reduce((sum, table) => sum + table.rows.length, 0);
    expect(rows).toBeGreaterThan(3_000);
    expect(rows).toBeLessThan(60_000);
  });

  it("shares no table layout with the development datasets", () => {
    const layouts = new Set(
      datasetNames.flatMap((name) => generators[name]().map((table) => table.columns.join(","))),
    );
    for (const name of holdoutDatasetNames)
      for (const table of holdoutGenerators[name]()) expect(layouts.has(table.columns.join(","))).toBe(false);
  });
});

describe("held-out questions", () => {
  it("number at least 90, at least 30 each, unique, in every category and not in the development set", () => {
    const all = holdoutDatasetNames.flatMap((name) => loadHoldoutQuestions(name));
    for (const name of holdoutDatasetNames)
      expect(loadHoldoutQuestions(name).length).toBeGreaterThanOrEqual(30);
    expect(all.length).toBeGreaterThanOrEqual(90);
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
    expect(new Set(all.map((q) => q.question.toLowerCase())).size).toBe(all.length);
    for (const category of categories) expect(all.some((q) => q.category === category)).toBe(true);
    const development = new Set(
      datasetNames.flatMap((name) => loadQuestions(name).map((q) => q.question.toLowerCase())),
    );
    for (const q of all) expect(development.has(q.question.toLowerCase()), q.question).toBe(false);
  });

  describe.each(holdoutDatasetNames)("%s gold SQL", (name) => {
    let source: Awaited<ReturnType<typeof openLocalSource>>;
    beforeAll(async () => {
      source = await openLocalSource(ensureHoldoutDataset(name, { dir: root }));
    });
    afterAll(() => source?.close());

    const answerable = loadHoldoutQuestions(name).filter((q) => q.gold_sql !== null);
    it.each(answerable.map((q) => [q.id, q] as const))(
      "%s runs and returns a meaningful answer",
      async (_id, q) => expectSoundGold(source, q, q.question),
    );
  });
});
