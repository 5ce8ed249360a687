import { describe, expect, it } from "vitest";
import type { AskEngine, SchemaIndex } from "./types.js";
import { verifiedMatch, withVerifiedAnswers } from "./verified.js";

const verified = [
  { question: "What was our revenue by region last quarter?", sql: "select 1" },
  { question: "Top 5 customers by revenue", sql: "select 5" },
];

describe("verified answers", () => {
  it.each([
    ["what was our revenue by region last quarter", "select 1"],
    ["What was our revenue by regions last quarter?", "select 1"],
    ["top 5 customers by revenue!", "select 5"],
  ])("answers %s with the verified SQL", (question, sql) => {
    expect(verifiedMatch(question, verified)?.sql).toBe(sql);
  });

  it.each([
    "Top 3 customers by revenue",
    "What was our revenue by product last quarter?",
    "How many orders are there?",
  ])("leaves %s to the engine", (question) => {
    expect(verifiedMatch(question, verified)).toBeUndefined();
  });

  it("drafts from the verified pair, except for follow-ups", async () => {
    const inner: AskEngine = {
      name: "offline",
      draft: async () => ({ engine: "offline", sql: "select 'engine'", explanation: "", confidence: 0.5 }),
    };
    const engine = withVerifiedAnswers(inner);
    const schema: SchemaIndex = { dialect: "duckdb", tables: [], joins: [], verified };
    const today = new Date("2025-06-15");
    expect(await engine.draft("top 5 customers by revenue", schema, { today })).toMatchObject({
      sql: "select 5",
      confidence: 1,
    });
    expect(
      (
        await engine.draft("top 5 customers by revenue", schema, {
          today,
          previous: { question: "revenue", sql: "select 2" },
        })
      ).sql,
    ).toBe("select 'engine'");
    expect((await engine.draft("how many orders?", schema, { today })).sql).toBe("select 'engine'");
  });
});
