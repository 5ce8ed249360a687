import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAsk, openLocalAsk } from "./local.js";
import { writeSalesFixture } from "./offline/sales.fixture.js";
import { lemma, splitName, wordsOf } from "./schema-index.js";

let root: string;
let session: LocalAsk;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-ask-index-"));
  writeSalesFixture(path.join(root, "sales"));
  session = await openLocalAsk(path.join(root, "sales"), { env: {} });
});
afterAll(() => {
  session?.close();
  rmSync(root, { recursive: true, force: true });
});

const column = (table: string, name: string) =>
  session.schema.tables
    .find((candidate) => candidate.name === table)
    ?.columns.find((candidate) => candidate.name === name);

describe("names", () => {
  it("splits snake and camel case and singularises", () => {
    expect(splitName("orderDate")).toEqual(["order", "date"]);
    expect(splitName("unit_price")).toEqual(["unit", "price"]);
    expect(splitName("HTTPStatus2")).toEqual(["http", "status", "2"]);
    expect(lemma("categories")).toBe("category");
    expect(lemma("status")).toBe("status");
  });

  it("adds thesaurus synonyms", () => {
    expect(wordsOf("customers")).toEqual(expect.arrayContaining(["customer", "client"]));
    expect(wordsOf("total_revenue")).toEqual(
      expect.arrayContaining(["total revenue", "total sale", "revenue"]),
    );
  });
});

describe("buildSchemaIndex over a local directory", () => {
  it("detects the joins between the files with the sources' relationship detection", () => {
    expect(session.schema.joins).toEqual(
      expect.arrayContaining([
        { fromTable: "orders", fromColumn: "customer_id", toTable: "customers", toColumn: "customer_id" },
        { fromTable: "order_items", fromColumn: "product_id", toTable: "products", toColumn: "product_id" },
        { fromTable: "customers", fromColumn: "region_id", toTable: "regions", toColumn: "region_id" },
      ]),
    );
  });

  it("gives every column a role", () => {
    expect(column("orders", "amount")?.role).toBe("measure");
    expect(column("orders", "order_date")?.role).toBe("time");
    expect(column("orders", "customer_id")?.role).toBe("key");
    expect(column("orders", "status")?.role).toBe("dimension");
    expect(column("customers", "customer_id")?.unique).toBe(true);
    expect(column("orders", "customer_id")?.unique).toBe(false);
  });

  it("keeps a value dictionary for text columns, most frequent first", () => {
    const status = column("orders", "status");
    expect(status?.values?.map((value) => value.value).sort()).toEqual([
      "cancelled",
      "delivered",
      "open",
      "shipped",
    ]);
    const counts = status?.values?.map((value) => value.count) ?? [];
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(400);
    expect(column("orders", "amount")?.values).toBeUndefined();
  });

  it("counts nulls and distinct values", () => {
    const email = column("customers", "email");
    expect(email?.nulls).toBeGreaterThan(0);
    expect((email?.distinct ?? 0) + (email?.nulls ?? 0)).toBe(60);
  });
});
