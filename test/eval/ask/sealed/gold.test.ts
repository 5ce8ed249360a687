import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalSource } from "../../../../src/modules/warehouse/local-source.js";
import { datasetNames, generators } from "../datasets/index.js";
import { toCsv } from "../datasets/table.js";
import { expectSoundGold } from "../gold-checks.js";
import { holdoutDatasetNames, holdoutGenerators } from "../holdout/datasets/index.js";
import { loadHoldoutQuestions } from "../holdout/questions.js";
import { categories, loadQuestions } from "../questions.js";
import { ensureSealedDataset, sealedDatasetNames, sealedGenerators } from "./datasets/index.js";
import { loadSealedQuestions } from "./questions.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-eval-ask-sealed-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("sealed evaluation data", () => {
  it("is the same on every run (seeded, no Math.random or clock)", () => {
    for (const name of sealedDatasetNames) {
      const digest = () =>
        createHash("sha256").update(sealedGenerators[name]().map(toCsv).join("\n")).digest("hex");
      expect(digest()).toBe(digest());
    }
  });

  it.each(sealedDatasetNames)("%s has 5–10 tables, a thousand to twenty thousand rows", (name) => {
    const tables = sealedGenerators[name]();
    expect(tables.length).toBeGreaterThanOrEqual(5);
    expect(tables.length).toBeLessThanOrEqual(10);
    const rows = tables.reduce((sum, table) => sum + table.rows.length, 0);
    expect(rows).toBeGreaterThan(1_000);
    expect(rows).toBeLessThan(20_000);
  });

  it("shares no table layout with the development or held-out datasets", () => {
    const layouts = new Set(
      [
        ...datasetNames.flatMap((name) => generators[name]()),
        ...holdoutDatasetNames.flatMap((name) => holdoutGenerators[name]()),
      ].map((table) => table.columns.join(",")),
    );
    for (const name of sealedDatasetNames)
      for (const table of sealedGenerators[name]()) expect(layouts.has(table.columns.join(","))).toBe(false);
  });
});

describe("sealed questions", () => {
  it("number 40–45 a dataset, unique, in every category and in neither other set", () => {
    const all = sealedDatasetNames.flatMap((name) => loadSealedQuestions(name));
    for (const name of sealedDatasetNames) {
      const questions = loadSealedQuestions(name);
      expect(questions.length).toBeGreaterThanOrEqual(40);
      expect(questions.length).toBeLessThanOrEqual(45);
      // Every category but time, which a dataset without dates cannot ask about.
      for (const category of categories.filter((category) => category !== "time"))
        expect(questions.some((q) => q.category === category)).toBe(true);
    }
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
    expect(new Set(all.map((q) => q.question.toLowerCase())).size).toBe(all.length);
    for (const category of categories) expect(all.some((q) => q.category === category)).toBe(true);
    const elsewhere = new Set(
      [
        ...datasetNames.flatMap((name) => loadQuestions(name)),
        ...holdoutDatasetNames.flatMap((name) => loadHoldoutQuestions(name)),
      ].map((q) => q.question.toLowerCase()),
    );
    for (const q of all) expect(elsewhere.has(q.question.toLowerCase()), q.id).toBe(false);
  });

  describe.each(sealedDatasetNames)("%s gold SQL", (name) => {
    let source: Awaited<ReturnType<typeof openLocalSource>>;
    beforeAll(async () => {
      source = await openLocalSource(ensureSealedDataset(name, { dir: root }));
    });
    afterAll(() => source?.close());

    const answerable = loadSealedQuestions(name).filter((q) => q.gold_sql !== null);
    it.each(answerable.map((q) => [q.id, q] as const))(
      "%s runs and returns a meaningful answer",
      async (_id, q) => expectSoundGold(source, q, q.id),
    );
  });
});
