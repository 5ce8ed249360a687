import { describe, expect, it } from "vitest";
import { contractProblems } from "./cli-contract.js";
import { asksForClarification, compareResults, isOrdered, normalizeCell } from "./compare.js";
import { evaluateQuestion } from "./evaluate.js";
import type { EvalQuestion } from "./questions.js";

const rows = (...values: (string | number | boolean | null)[][]) => ({ rows: values });

describe("compareResults", () => {
  it("accepts the same rows in another order", () => {
    const gold = rows(["Europe", 10], ["Asia Pacific", 7], ["North America", 12]);
    const answer = rows(["North America", 12], ["Europe", 10], ["Asia Pacific", 7]);
    expect(compareResults(gold, answer)).toEqual({ match: true });
  });

  it("treats rows as a multiset: a duplicated row must appear as often", () => {
    const gold = rows(["a", 1], ["a", 1], ["b", 2]);
    expect(compareResults(gold, rows(["a", 1], ["b", 2], ["b", 2])).match).toBe(false);
    expect(compareResults(gold, rows(["b", 2], ["a", 1], ["a", 1])).match).toBe(true);
  });

  it("compares numbers with a relative tolerance of 1e-6", () => {
    expect(compareResults(rows([9418055.96000001]), rows([9418055.96])).match).toBe(true);
    expect(compareResults(rows([1_000_000]), rows([1_000_000.5])).match).toBe(true);
    expect(compareResults(rows([1_000_000]), rows([1_000_002])).match).toBe(false);
    expect(compareResults(rows([0.1 + 0.2]), rows([0.3])).match).toBe(true);
  });

  it("accepts a value rounded for display, but not a different value", () => {
    expect(compareResults(rows([41.666666667]), rows([41.67])).match).toBe(true);
    expect(compareResults(rows([41.666666667]), rows([41.7])).match).toBe(true);
    expect(compareResults(rows([41.666666667]), rows([41.66])).match).toBe(false);
    expect(compareResults(rows([41.666666667]), rows([42])).match).toBe(false);
  });

  it("normalises integers, floats and decimal strings", () => {
    expect(compareResults(rows([12, "1500.50"]), rows(["12", 1500.5])).match).toBe(true);
    expect(compareResults(rows(["9007199254740993"]), rows([9007199254740992])).match).toBe(true);
  });

  it("normalises dates and timestamps to ISO, and a month or a year to its bucket", () => {
    expect(normalizeCell("2024-03-01 00:00:00")).toBe("2024-03-01");
    expect(normalizeCell("2024-03-01T14:05:00.000")).toBe("2024-03-01T14:05:00");
    expect(
      compareResults(
        rows(["2024-03-01T00:00:00"], ["2024-04-01"]),
        rows(["2024-03"], ["2024-04-01 00:00:00"]),
      ).match,
    ).toBe(true);
    expect(
      compareResults(rows([2023, 410], [2024, 512]), rows(["2024-01-01", 512], ["2023-01-01", 410])).match,
    ).toBe(true);
    expect(compareResults(rows(["2024-03-02"]), rows(["2024-03-01"])).match).toBe(false);
  });

  it("ignores column names and, for the same width, column order", () => {
    const gold = {
      columns: [{ name: "region" }, { name: "revenue" }],
      rows: [
        ["Europe", 10.5],
        ["Asia", 3],
      ],
    };
    const answer = {
      columns: [{ name: "total" }, { name: "region_name" }],
      rows: [
        [3, "Asia"],
        [10.5, "Europe"],
      ],
    };
    expect(compareResults(gold, answer)).toEqual({ match: true });
  });

  it("finds the column order by values even when two columns hold the same kind of value", () => {
    const gold = rows([1, 10, 100], [2, 20, 200], [3, 30, 300]);
    const answer = rows([300, 3, 30], [100, 1, 10], [200, 2, 20]);
    expect(compareResults(gold, answer).match).toBe(true);
    // The same column values, but paired differently in rows: not the same answer.
    expect(compareResults(rows(["a", 1], ["b", 2]), rows([2, "a"], [1, "b"])).match).toBe(false);
  });

  it("requires the same order when the order is part of the answer", () => {
    const gold = rows(["Laptop", 2400], ["Monitor", 900], ["Desk", 700]);
    const shuffled = rows(["Monitor", 900], ["Laptop", 2400], ["Desk", 700]);
    expect(compareResults(gold, shuffled, { ordered: false }).match).toBe(true);
    const ordered = compareResults(gold, shuffled, { ordered: true });
    expect(ordered).toMatchObject({
      match: false,
      reason: "row 1 differs",
      expected: ["Laptop", 2400],
      actual: ["Monitor", 900],
    });
    expect(
      compareResults(gold, rows([2400, "Laptop"], [900, "Monitor"], [700, "Desk"]), { ordered: true }).match,
    ).toBe(true);
  });

  it("reports the first differing row, and row or column count differences", () => {
    const gold = rows(["Germany", 40], ["France", 31], ["Spain", 12]);
    expect(compareResults(gold, rows(["Germany", 40], ["France", 30], ["Spain", 12]))).toEqual({
      match: false,
      reason: "a gold row has no equal row in the answer",
      expected: ["France", 31],
      actual: ["France", 30],
    });
    expect(compareResults(gold, rows(["Germany", 40], ["France", 31]))).toMatchObject({
      match: false,
      reason: "expected 3 rows, got 2",
      expected: ["Spain", 12],
    });
    expect(
      compareResults(gold, rows(["Germany", 40], ["France", 31], ["Spain", 12], ["Italy", 3])),
    ).toMatchObject({
      reason: "expected 3 rows, got 4",
      actual: ["Italy", 3],
    });
    expect(
      compareResults(gold, rows(["Germany", "DE", 40], ["France", "FR", 31], ["Spain", "ES", 12])),
    ).toMatchObject({
      match: false,
      reason: "expected 2 columns, got 3",
    });
  });

  it("accepts extra answer columns only when asked to, and only when the gold's columns are among them", () => {
    const gold = rows(["Engineering", 332], ["Sales", 214]);
    const wide = rows([1, "Engineering", "CC-100", 332], [2, "Sales", "CC-110", 214]);
    expect(compareResults(gold, wide)).toMatchObject({ match: false, reason: "expected 2 columns, got 4" });
    expect(compareResults(gold, wide, { extraColumns: true }).match).toBe(true);
    const wrong = rows([1, "Engineering", "CC-100", 330], [2, "Sales", "CC-110", 214]);
    expect(compareResults(gold, wrong, { extraColumns: true }).match).toBe(false);
    expect(compareResults(gold, rows(["Engineering"], ["Sales"]), { extraColumns: true }).match).toBe(false);
  });

  it("treats null as a value of its own", () => {
    expect(compareResults(rows([null, 3]), rows([null, 3])).match).toBe(true);
    expect(compareResults(rows([null]), rows([0])).match).toBe(false);
  });
});

describe("isOrdered", () => {
  it("holds for an ORDER BY … LIMIT gold or when asked, not for a sorted full list", () => {
    expect(isOrdered({ gold_sql: "select a, b from t order by b desc limit 5" })).toBe(true);
    expect(isOrdered({ gold_sql: "select m, count(*) from t group by m order by m" })).toBe(false);
    expect(isOrdered({ gold_sql: "select m, count(*) from t group by m order by m", ordered: true })).toBe(
      true,
    );
    expect(isOrdered({ gold_sql: "select a from t order by a limit 3", ordered: false })).toBe(false);
  });
});

describe("judging clarification questions", () => {
  it("counts a clarification field or an error that says the question is ambiguous", () => {
    expect(asksForClarification({ clarification: { question: "Best by what?", options: [] } })).toBe(true);
    expect(asksForClarification({ error: "The question is ambiguous: revenue or units?" })).toBe(true);
    expect(asksForClarification({ error: "No such column: best" })).toBe(false);
    expect(asksForClarification({})).toBe(false);
  });

  const vague: EvalQuestion = {
    id: "x-clar-01",
    question: "Which product is the best?",
    gold_sql: null,
    category: "clarification",
  };
  const gold = async () => ({ rows: [] });

  it("accepts a clarification in the engine's draft when the answer itself has none", async () => {
    const ask = async () => ({ sql: "select 1", rows: [[1]] });
    const guessed = await evaluateQuestion("sales", vague, { ask, gold });
    expect(guessed).toMatchObject({ correct: false, reason: "answered without asking back" });
    const asked = await evaluateQuestion("sales", vague, {
      ask,
      gold,
      draft: async () => ({ clarification: { options: [] } }),
    });
    expect(asked.correct).toBe(true);
  });
});

describe("evaluateQuestion", () => {
  const q: EvalQuestion = {
    id: "s-grp-01",
    question: "Revenue by channel",
    gold_sql: "select channel, sum(order_total) from orders group by channel",
    category: "grouping",
  };
  const gold = async () => ({
    rows: [
      ["Online", 10.5],
      ["Retail", 4],
    ],
  });

  it("is correct when the answer's values match the gold's", async () => {
    const ask = async () => ({
      sql: "select …",
      rows: [
        [4, "Retail"],
        [10.5, "Online"],
      ],
    });
    expect(await evaluateQuestion("sales", q, { ask, gold })).toMatchObject({
      correct: true,
      id: "s-grp-01",
    });
  });

  it("records an error, or a throwing engine, as a miss with the reason", async () => {
    const failing = await evaluateQuestion("sales", q, {
      ask: async () => ({ sql: "", rows: [], error: "no table matched" }),
      gold,
    });
    expect(failing).toMatchObject({ correct: false, reason: "error: no table matched" });
    const throwing = await evaluateQuestion("sales", q, {
      ask: async () => {
        throw new Error("boom");
      },
      gold,
    });
    expect(throwing).toMatchObject({ correct: false, reason: "error: ask threw: boom" });
  });
});

describe("the CLI contract line", () => {
  it("accepts the documented shape, with or without an error", () => {
    const line = JSON.stringify({
      question: "q",
      sql: "select 1",
      columns: [{ name: "x", type: "integer" }],
      rows: [[1]],
    });
    expect(contractProblems(line, "q")).toEqual([]);
    const failed = JSON.stringify({ question: "q", sql: "", columns: [], rows: [], error: "no idea" });
    expect(contractProblems(failed, "q")).toEqual([]);
  });

  it("names what is missing or wrong", () => {
    expect(contractProblems("not json", "q")).toEqual(["not JSON"]);
    const wrong = JSON.stringify({ question: "other", columns: ["x"], rows: [{ x: 1 }], error: 3 });
    expect(contractProblems(wrong, "q")).toEqual([
      'question is "other"',
      "sql is not a string",
      'columns is not [{"name","type"}]',
      "rows is not an array of arrays of JSON values",
      "error is present but not a string",
    ]);
  });
});
