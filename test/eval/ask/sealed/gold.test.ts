import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalSource } from "../../../../src/modules/warehouse/local-source.js";
import { isOrdered, normalizeCell } from "../compare.js";
import { datasetNames, generators } from "../datasets/index.js";
import { toCsv } from "../datasets/table.js";
import { expectMeaningful } from "../gold-checks.js";
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

/** Where the top-level (outside parentheses and quotes) keywords of a query are. */
function topLevel(sql: string): { at: number; word: string }[] {
  const found: { at: number; word: string }[] = [];
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i]!;
    if (char === "'" || char === '"') {
      const end = sql.indexOf(char, i + 1);
      i = end < 0 ? sql.length : end;
    } else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (depth === 0 && !/\w/.test(sql[i - 1] ?? " ")) {
      const word = /^(select|from|order\s+by|limit)\b/i.exec(sql.slice(i));
      if (word) found.push({ at: i, word: word[1]!.toLowerCase().replace(/\s+/, " ") });
    }
  }
  return found;
}

/** Splits on commas outside parentheses and quotes. */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      i = end < 0 ? text.length : end;
    } else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (char === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/**
 * The gold query with its ORDER BY keys added as trailing columns (and one row past its LIMIT),
 * so that ties in the ordering can be seen whatever the gold projects. Aliases and positions
 * are probed as their expressions; keywords inside subqueries and CTEs are not mistaken for
 * the outer query's.
 */
function tieProbe(sql: string): { sql: string; keys: number } | undefined {
  const marks = topLevel(sql);
  const order = marks.findLast((mark) => mark.word === "order by");
  if (!order) return undefined;
  const select = marks.findLast((mark) => mark.word === "select" && mark.at < order.at);
  const from = marks.find((mark) => mark.word === "from" && select !== undefined && mark.at > select.at);
  const limit = marks.find((mark) => mark.word === "limit" && mark.at > order.at);
  if (!select || !from) return undefined;
  const items = splitList(sql.slice(select.at + "select".length, from.at).replace(/^\s*distinct\s/i, ""));
  const expressionOf = (key: string): string => {
    if (/^\d+$/.test(key)) return items[Number(key) - 1]!.replace(/\s+as\s+"?\w+"?$/i, "");
    if (!/^\w+$/.test(key)) return key;
    const aliased = items.find((item) => new RegExp(`\\s+as\\s+"?${key}"?$`, "i").test(item));
    return aliased ? aliased.replace(/\s+as\s+"?\w+"?$/i, "") : key;
  };
  const keys = splitList(sql.slice(order.at + "order by".length, limit?.at ?? sql.length)).map((key) =>
    expressionOf(key.replace(/\s+(asc|desc)(\s+nulls\s+(first|last))?$/i, "").trim()),
  );
  const count = limit ? Number(/limit\s+(\d+)/i.exec(sql.slice(limit.at))![1]) : undefined;
  const extra = keys.map((key, n) => `${key} as tie_key_${n}`).join(", ");
  return {
    sql: `${sql.slice(0, from.at).trimEnd()}, ${extra} ${sql.slice(from.at, limit?.at ?? sql.length).trimEnd()}${count === undefined ? "" : ` limit ${count + 1}`}`,
    keys: keys.length,
  };
}

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
      async (_id, q) => {
        const sql = q.gold_sql!;
        const result = await source.query(sql);
        expectMeaningful(result, q.id);
        // A grouped answer where one group holds everything is no test of grouping.
        if (q.category === "grouping" || q.category === "having")
          expect(result.rows.length).toBeGreaterThan(1);
        if (isOrdered(q)) {
          // Ties in the ordering make the gold order (and which rows make a top-N cut) arbitrary.
          const probe = tieProbe(sql);
          expect(probe, `${q.id}: an ordered gold needs an ORDER BY`).toBeDefined();
          const wider = await source.query(probe!.sql);
          const keys = wider.rows.map((row) => JSON.stringify(row.slice(-probe!.keys).map(normalizeCell)));
          for (let n = 1; n < keys.length; n++)
            expect(keys[n], `${q.id}: tie between rows ${n} and ${n + 1}`).not.toBe(keys[n - 1]);
        }
      },
    );
  });
});
