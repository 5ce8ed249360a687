import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columnTypeOf, type DuckEngine, openDuckEngine, tableNameOf } from "./duckdb-engine.js";

describe("DuckDB engine", () => {
  let root: string;
  let uploads: string;
  let engine: DuckEngine;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sightline-duck-"));
    uploads = path.join(root, "uploads");
    mkdirSync(uploads);
    mkdirSync(path.join(root, "other"));
    writeFileSync(
      path.join(uploads, "orders.csv"),
      "order_id,customer,amount,paid,ordered_on,shipped_at\n" +
        "1,Acme,120.50,true,2024-03-01,2024-03-02 10:00:00\n" +
        "2,Globex,80.00,false,2024-03-05,\n" +
        "3,Acme,19.99,true,2024-04-11,2024-04-12 08:30:00\n",
    );
    writeFileSync(
      path.join(uploads, "more-orders.csv"),
      "order_id,customer,amount,paid,ordered_on,shipped_at\n4,Initech,5.00,true,2024-05-01,\n",
    );
    // Its order_id is not a number, so it cannot join the integer column of orders.
    writeFileSync(path.join(uploads, "bad-orders.csv"), "order_id,customer\n6,Zed\nnot-a-number,Zed\n");
    writeFileSync(path.join(uploads, "people.tsv"), "name\tage\nAda\t36\nGrace\t45\n");
    writeFileSync(path.join(uploads, "events.ndjson"), '{"kind":"login","n":1}\n{"kind":"logout","n":2}\n');
    writeFileSync(path.join(uploads, "items.json"), '[{"sku":"A1","price":2.5},{"sku":"B2","price":4}]');
    writeFileSync(path.join(root, "other", "secret.csv"), "secret\n42\n");
    // Parquet written by an unrestricted DuckDB, as another tool would.
    const writer = await (await DuckDBInstance.create(":memory:")).connect();
    await writer.run(
      `copy (select range as id, range * 2 as doubled from range(4)) to '${path.join(uploads, "numbers.parquet")}' (format parquet)`,
    );
    engine = await openDuckEngine({ file: path.join(root, "warehouse.duckdb"), readableDirs: [uploads] });
  });
  afterAll(() => {
    engine?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("names tables after files", () => {
    expect(tableNameOf("/x/Sales 2024.csv")).toBe("sales_2024");
    expect(tableNameOf("2024-orders.parquet")).toBe("t_2024_orders");
    expect(tableNameOf("Café.csv")).toBe("cafe");
  });

  it("loads CSV with inferred integer, decimal, boolean, date, timestamp and text columns", async () => {
    expect(await engine.ingest({ file: path.join(uploads, "orders.csv"), table: "orders" })).toEqual({
      table: "orders",
      rows: 3,
    });
    const result = await engine.query("select * from orders order by order_id", {
      maxRows: 10,
      timeoutMs: 5_000,
    });
    expect(result.columns.map((column) => [column.name, column.type])).toEqual([
      ["order_id", "integer"],
      ["customer", "text"],
      ["amount", "decimal"],
      ["paid", "boolean"],
      ["ordered_on", "date"],
      ["shipped_at", "timestamp"],
    ]);
    expect(result.rows[0]).toEqual([1, "Acme", 120.5, true, "2024-03-01", "2024-03-02T10:00:00"]);
    expect(result.rows[1]?.[5]).toBeNull();
    expect(result.truncated).toBe(false);
  });

  it("loads TSV, NDJSON, JSON and Parquet", async () => {
    for (const [file, table, rows] of [
      ["people.tsv", "people", 2],
      ["events.ndjson", "events", 2],
      ["items.json", "items", 2],
      ["numbers.parquet", "numbers", 4],
    ] as const) {
      expect((await engine.ingest({ file: path.join(uploads, file), table })).rows).toBe(rows);
    }
    const people = await engine.query("select name, age from people order by age", {
      maxRows: 10,
      timeoutMs: 5_000,
    });
    expect(people.rows).toEqual([
      ["Ada", 36],
      ["Grace", 45],
    ]);
    const numbers = await engine.query("select sum(doubled) as s from numbers", {
      maxRows: 10,
      timeoutMs: 5_000,
    });
    expect(numbers.rows).toEqual([[12]]);
  });

  it("appends, replaces, and leaves the table as it was when a load fails", async () => {
    await engine.ingest({ file: path.join(uploads, "orders.csv"), table: "orders" });
    await engine.ingest({ file: path.join(uploads, "more-orders.csv"), table: "orders", mode: "append" });
    const count = async () =>
      (await engine.query("select count(*) from orders", { maxRows: 1, timeoutMs: 5_000 })).rows[0]?.[0];
    expect(await count()).toBe(4);
    await expect(
      engine.ingest({ file: path.join(uploads, "bad-orders.csv"), table: "orders", mode: "append" }),
    ).rejects.toMatchObject({ code: "columns_mismatch" });
    expect(await count()).toBe(4);
    await engine.ingest({ file: path.join(uploads, "orders.csv"), table: "orders" });
    expect(await count()).toBe(3);
  });

  it("cannot read files outside its readable directories, even with raw SQL", async () => {
    await expect(
      engine.query(`select * from read_csv('${path.join(root, "other", "secret.csv")}')`, {
        maxRows: 10,
        timeoutMs: 5_000,
      }),
    ).rejects.toMatchObject({ code: "query_failed", message: expect.stringContaining("Permission") });
    await expect(
      engine.query("set enable_external_access = true", { maxRows: 1, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ code: "query_failed" });
  });

  it("caps rows and says so", async () => {
    const result = await engine.query("select * from range(5)", { maxRows: 3, timeoutMs: 5_000 });
    expect(result.rows).toHaveLength(3);
    expect(result.truncated).toBe(true);
  });

  it("stops a query at its timeout", async () => {
    await expect(
      engine.query("select count(*) from range(10000000000) a, range(1000) b", {
        maxRows: 1,
        timeoutMs: 200,
      }),
    ).rejects.toMatchObject({ code: "query_timeout", status: 408 });
    // The engine still answers afterwards.
    expect((await engine.query("select 1 as one", { maxRows: 1, timeoutMs: 5_000 })).rows).toEqual([[1]]);
  });

  it("counts statements with DuckDB's own parser", async () => {
    expect(await engine.statementCount("select 1; select 2")).toBe(2);
    expect(await engine.statementCount("select 1 -- ; drop table x")).toBe(1);
  });

  it("maps engine types", () => {
    expect(columnTypeOf("DECIMAL(18,3)")).toBe("decimal");
    expect(columnTypeOf("TIMESTAMP WITH TIME ZONE")).toBe("timestamp");
    expect(columnTypeOf("HUGEINT")).toBe("integer");
    expect(columnTypeOf("BLOB")).toBe("other");
  });
});
