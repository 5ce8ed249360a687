import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../platform/clock.js";
import { type Database, openDatabase } from "../../platform/db/index.js";
import { createAuditLog } from "../audit/index.js";
import type { RequestContext } from "../auth/context.js";
import { type DuckEngine, openDuckEngine } from "../warehouse/duckdb-engine.js";
import { candidatePairs, namedAfter, stemOf } from "./relationships.js";
import { createRelationshipsService, type RelationshipsService } from "./relationships.service.js";
import { type SourceTable, sources } from "./sources.tables.js";

const silent = { info: () => undefined, warn: () => undefined };
const col = (name: string, type = "integer") => ({
  name,
  type,
  sourceType: type === "integer" ? "BIGINT" : "VARCHAR",
});

describe("relationship candidates by name", () => {
  it("reads keys and the tables named after them", () => {
    expect(["customer_id", "customerId", "CustomerID", "id", "paid", "order_ref"].map(stemOf)).toEqual([
      "customer",
      "customer",
      "customer",
      undefined,
      "pa",
      undefined,
    ]);
    expect(namedAfter("customers", "customer")).toBe(true);
    expect(namedAfter("categories", "category")).toBe(true);
    expect(namedAfter("boxes", "box")).toBe(true);
    expect(namedAfter("customer_notes", "customer")).toBe(false);
    // Abbreviated stems and roles named after the table's word.
    expect(namedAfter("departments", "dept")).toBe(true);
    expect(namedAfter("appointments", "appt")).toBe(true);
    expect(namedAfter("doctors", "head_doctor")).toBe(true);
    expect(namedAfter("sale_items", "sale")).toBe(false);
    expect(namedAfter("products", "pa")).toBe(false);
  });

  it("pairs X_id with X's id or X_id, and same-named columns, never a bare id", () => {
    const tables = [
      { name: "orders", rows: 10, columns: [col("id"), col("customer_id"), col("sku", "text")] },
      { name: "customers", rows: 5, columns: [col("id"), col("customer_id")] },
      { name: "products", rows: 5, columns: [col("id"), col("sku", "text")] },
      { name: "notes", rows: 5, columns: [col("id"), col("customer_id", "text")] },
    ];
    const pairs = candidatePairs(tables).map(
      (p) => `${p.fromTable}.${p.fromColumn} → ${p.toTable}.${p.toColumn}`,
    );
    expect(pairs.sort()).toEqual([
      "customers.customer_id → orders.customer_id",
      "orders.customer_id → customers.customer_id",
      "orders.customer_id → customers.id",
      "orders.sku → products.sku",
      "products.sku → orders.sku",
    ]);
  });
});

describe("relationship detection", () => {
  let root: string;
  let database: Database;
  let engine: DuckEngine;
  let service: RelationshipsService;
  const workspaceId = randomUUID();
  const ctx: RequestContext = {
    workspaceId,
    userId: randomUUID(),
    role: "owner",
    actor: { type: "user", id: randomUUID(), label: "Ann" },
    meta: { ip: null, userAgent: null },
  };
  const clock = manualClock();

  async function addTable(name: string, sql: string, options: { mode?: "live"; status?: "processing" } = {}) {
    await engine.query(`create table ${name} as ${sql}`, { maxRows: 0, timeoutMs: 10_000 });
    const described = await engine.query(`select * from ${name} limit 0`, { maxRows: 0, timeoutMs: 10_000 });
    const rows = Number(
      (await engine.query(`select count(*) from ${name}`, { maxRows: 1, timeoutMs: 10_000 })).rows[0]?.[0],
    );
    const table: SourceTable = {
      name,
      rows,
      columns: described.columns.map(({ name, type, sourceType }) => ({ name, type, sourceType })),
    };
    const [row] = await database.db
      .insert(sources)
      .values({
        workspaceId,
        name: `${name}.csv`,
        kind: "file",
        format: "csv",
        status: options.status ?? "ready",
        mode: options.mode ?? null,
        tables: [table],
        createdBy: ctx.userId,
        createdAt: clock.now(),
        updatedAt: clock.now(),
      })
      .returning();
    return row?.id ?? "";
  }

  const summary = async () =>
    (await service.list(ctx, { limit: 50 })).items
      .map(
        (r) =>
          `${r.fromTable}.${r.fromColumn} → ${r.toTable}.${r.toColumn} ${r.origin} ${r.status} ${r.confidence?.toFixed(2)}`,
      )
      .sort();

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sightline-rel-"));
    database = await openDatabase({ dataDir: path.join(root, "db") });
    await database.migrate();
    engine = await openDuckEngine({ file: path.join(root, "w.duckdb"), readableDirs: [root] });
    service = createRelationshipsService({
      db: database.db,
      clock,
      audit: createAuditLog({ db: database.db, clock }),
      warehouses: { get: async () => engine },
      log: silent,
    });
    await addTable("customers", "select range + 1 as id, 'c' || range as name from range(100)");
    // 95 of the 100 customer ids orders name exist; 5 do not.
    await addTable(
      "orders",
      "select range as id, case when range % 100 < 95 then range % 100 + 1 else 1000 + range % 100 end as customer_id from range(1000)",
    );
    // Only half of the accounts' values are found: not a relationship.
    await addTable("payments", "select range as id, (range % 100) * 2 + 1 as customer_id from range(100)");
    // Same-named columns: sku is unique in products.
    await addTable("products", "select 'SKU-' || range as sku, range as price from range(20)");
    await addTable("order_lines", "select range as line, 'SKU-' || (range % 20) as sku from range(200)");
  });
  afterAll(async () => {
    engine?.close();
    await database?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("finds joins whose values overlap by at least 90%, with that share as confidence", async () => {
    const result = await service.detect(workspaceId);
    expect(result.added).toBe(2);
    expect(await summary()).toEqual([
      "order_lines.sku → products.sku detected active 1.00",
      "orders.customer_id → customers.id detected active 0.95",
    ]);
    expect(await service.joinsFor(workspaceId)).toHaveLength(2);
  });

  it("never brings back a dismissed relationship", async () => {
    const page = await service.list(ctx, { limit: 50, table: "customers" });
    expect(page.items).toHaveLength(1);
    const id = page.items[0]?.id ?? "";
    await service.remove(ctx, id);
    expect((await service.owned(ctx, id)).status).toBe("dismissed");
    const again = await service.detect(workspaceId);
    expect(again.added).toBe(0);
    expect(await summary()).toEqual([
      "order_lines.sku → products.sku detected active 1.00",
      "orders.customer_id → customers.id detected dismissed 0.95",
    ]);
    expect((await service.joinsFor(workspaceId)).map((join) => join.toTable)).toEqual(["products"]);
  });

  it("skips live sources and tables still loading", async () => {
    await addTable("suppliers", "select range + 1 as id from range(10)", { mode: "live" });
    await addTable("parts", "select range as id, range % 10 + 1 as supplier_id from range(50)");
    await addTable("categories", "select range + 1 as id from range(10)", { status: "processing" });
    await addTable("items", "select range as id, range % 10 + 1 as category_id from range(50)");
    expect((await service.detect(workspaceId)).added).toBe(0);
  });

  it("takes manual relationships between existing columns only, once", async () => {
    const manual = await service.create(ctx, {
      fromTable: "payments",
      fromColumn: "customer_id",
      toTable: "customers",
      toColumn: "id",
    });
    expect(manual).toMatchObject({ origin: "manual", status: "active", confidence: null });
    await expect(
      service.create(ctx, {
        fromTable: "payments",
        fromColumn: "customer_id",
        toTable: "customers",
        toColumn: "id",
      }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      service.create(ctx, {
        fromTable: "payments",
        fromColumn: "nope",
        toTable: "customers",
        toColumn: "id",
      }),
    ).rejects.toMatchObject({ status: 400, message: "Table payments has no column nope" });
    await expect(
      service.create(ctx, { fromTable: "payments", fromColumn: "id", toTable: "ghosts", toColumn: "id" }),
    ).rejects.toMatchObject({ status: 400 });
    // Detection leaves it alone, and deleting it really deletes it.
    await service.detect(workspaceId);
    expect(await summary()).toContain("payments.customer_id → customers.id manual active undefined");
    await service.remove(ctx, manual.id);
    await expect(service.owned(ctx, manual.id)).rejects.toMatchObject({ status: 404 });
  });

  it("drops detected relationships whose tables are gone", async () => {
    await engine.query("drop table products", { maxRows: 0, timeoutMs: 10_000 });
    await database.db.delete(sources).where(eq(sources.name, "products.csv"));
    expect(await service.prune(workspaceId)).toBe(1);
    expect(await summary()).toEqual(["orders.customer_id → customers.id detected dismissed 0.95"]);
  });
});
