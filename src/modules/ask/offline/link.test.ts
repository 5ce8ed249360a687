import { describe, expect, it } from "vitest";
import type { IndexedColumn, SchemaIndex } from "../types.js";
import { lexiconOf } from "./lexicon.js";
import { linkSpans } from "./link.js";
import { tokenize } from "./text.js";

const col = (table: string, name: string, role: IndexedColumn["role"], values?: string[]): IndexedColumn => ({
  table,
  name,
  type: role === "measure" ? "decimal" : role === "time" ? "date" : "text",
  role,
  words: [],
  distinct: values?.length ?? 10,
  nulls: 0,
  unique: false,
  ...(values ? { values: values.map((value) => ({ value, count: 1 })) } : {}),
});

const schema: SchemaIndex = {
  dialect: "duckdb",
  joins: [],
  tables: [
    {
      name: "clients",
      rows: 10,
      words: [],
      columns: [
        col("clients", "client_id", "key"),
        col("clients", "country", "dimension", ["Germany", "United States"]),
        col("clients", "segment", "dimension", ["Enterprise"]),
      ],
    },
    {
      name: "sales_orders",
      rows: 10,
      words: [],
      columns: [col("sales_orders", "total_revenue", "measure"), col("sales_orders", "ship_date", "time")],
    },
  ],
};

function links(question: string) {
  const tokens = tokenize(question);
  return linkSpans(tokens, new Set(), lexiconOf(schema)).map((link) => ({
    text: link.text,
    best: link.candidates[0],
  }));
}

describe("linkSpans", () => {
  it("links exact names, plurals and synonyms, best match first", () => {
    const found = links("customers by country");
    expect(found[0]?.best?.target).toEqual({ kind: "table", table: "clients" });
    expect(found[0]?.best?.match).toBe("synonym");
    expect(found[1]?.best).toMatchObject({ target: { kind: "column", column: "country" }, match: "exact" });
  });

  it("links a multi-word value over its separate words", () => {
    const found = links("orders from the united states");
    expect(found.map((link) => link.text)).toContain("united states");
    expect(found.find((link) => link.text === "united states")?.best?.target).toMatchObject({
      kind: "value",
      value: "United States",
    });
  });

  it("links misspellings fuzzily, with a lower score", () => {
    const found = links("revenue in Germny");
    const value = found.find((link) => link.text === "Germny")?.best;
    expect(value).toMatchObject({ match: "fuzzy", target: { kind: "value", value: "Germany" } });
    expect(value?.score).toBeLessThan(0.8);
  });

  it("prefers the longer phrase: a column's full name over its parts", () => {
    const found = links("total revenue by ship date");
    expect(found.map((link) => link.text)).toEqual(["total revenue", "ship date"]);
  });

  it("finds a column by a stemmed verb", () => {
    expect(links("orders shipped")[1]?.best?.target).toMatchObject({ column: "ship_date" });
  });
});
