import { describe, expect, it } from "vitest";
import { questionPrompt } from "./llm-engine/prompt.js";
import { retrieveSchema } from "./retrieval.js";
import type { IndexedColumn, IndexedTable, SchemaIndex } from "./types.js";

const column = (table: string, name: string, extra: Partial<IndexedColumn> = {}): IndexedColumn => ({
  table,
  name,
  type: "text",
  role: "dimension",
  words: name.split("_"),
  distinct: 10,
  nulls: 0,
  unique: false,
  ...extra,
});

/** 200 tables of 12 columns each, three of which a sales question needs. */
function largeSchema(): SchemaIndex {
  const filler = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
  ];
  const tables: IndexedTable[] = Array.from({ length: 197 }, (_, i) => {
    const name = `${filler[i % filler.length]}_${filler[(i * 7) % filler.length]}_${i}`;
    return {
      name,
      rows: 1000,
      words: name.split("_"),
      columns: [
        column(name, "id", { type: "integer", role: "key", unique: true }),
        ...Array.from({ length: 11 }, (_, c) =>
          column(name, `attribute_${c}`, { values: [{ value: `v${c}`, count: 3 }] }),
        ),
      ],
    };
  });
  tables.push(
    {
      name: "invoices",
      rows: 5000,
      words: ["invoice", "invoices", "bill"],
      columns: [
        column("invoices", "id", { type: "integer", role: "key", unique: true }),
        column("invoices", "customer_id", { type: "integer", role: "key" }),
        column("invoices", "total_amount", { type: "decimal", role: "measure" }),
        column("invoices", "issued_on", { type: "date", role: "time" }),
      ],
    },
    {
      name: "customers",
      rows: 300,
      words: ["customer", "customers", "client"],
      columns: [
        column("customers", "id", { type: "integer", role: "key", unique: true }),
        column("customers", "name"),
        column("customers", "region_id", { type: "integer", role: "key" }),
      ],
    },
    {
      name: "regions",
      rows: 5,
      words: ["region", "regions"],
      columns: [
        column("regions", "id", { type: "integer", role: "key", unique: true }),
        column("regions", "label", {
          values: [
            { value: "Northern Europe", count: 1 },
            { value: "Southern Europe", count: 1 },
          ],
        }),
      ],
    },
  );
  return {
    dialect: "duckdb",
    tables,
    joins: [
      { fromTable: "invoices", fromColumn: "customer_id", toTable: "customers", toColumn: "id" },
      { fromTable: "customers", fromColumn: "region_id", toTable: "regions", toColumn: "id" },
    ],
  };
}

describe("schema retrieval", () => {
  const schema = largeSchema();

  it("keeps the tables a question names, by name, synonym and value, out of 200", () => {
    const retrieved = retrieveSchema("Total invoice amount per customer in Northern Europe", schema);
    const names = retrieved.tables.map((table) => table.name);
    expect(names).toEqual(expect.arrayContaining(["invoices", "customers", "regions"]));
    expect(names.length).toBeLessThanOrEqual(12);
    expect(retrieved.joins).toHaveLength(2);
    // "client" is a synonym the index gave customers; value hits find regions without its name.
    expect(retrieveSchema("bills by client", schema).tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(["invoices", "customers"]),
    );
  });

  it("keeps the prompt small however large the schema", () => {
    const prompt = questionPrompt(
      "Total invoice amount per customer in Northern Europe",
      retrieveSchema("Total invoice amount per customer in Northern Europe", schema),
      { today: new Date("2024-06-01T00:00:00Z") },
    );
    expect(prompt).toContain("table invoices");
    expect(prompt).toContain("customer_id integer key → customers.id");
    expect(prompt).toContain('"Northern Europe"');
    expect(prompt).not.toContain("alpha_alpha_0");
    expect(prompt.length).toBeLessThan(8_000);
  });

  it("keeps a small schema whole", () => {
    const small: SchemaIndex = { ...schema, tables: schema.tables.slice(-3) };
    expect(retrieveSchema("anything at all", small).tables).toHaveLength(3);
  });
});
