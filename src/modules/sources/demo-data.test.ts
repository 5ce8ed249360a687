import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { logIn, type TestSession } from "../../../test/helpers/auth.js";
import type { Platform } from "../../platform/index.js";
import { demoAccount } from "../auth/first-run.js";
import { createModules } from "../index.js";
import { seedDemoData } from "./demo-data.js";
import { createWarehouses } from "./warehouses.js";

describe("the demo workspace's sample data", () => {
  let app: TestApp;
  let demo: TestSession;
  let platform: Platform | undefined;

  beforeAll(async () => {
    app = await createTestApp({
      env: { DEMO: "true" },
      modules: (created) => {
        platform = created;
        return createModules(created);
      },
    });
    await app.startWorkers();
    demo = await logIn(app, demoAccount.email, demoAccount.password);
  });
  afterAll(async () => app?.dispose());

  const list = async () =>
    (await app.http.inject({ url: "/api/v1/sources", headers: demo.headers })).json().items as {
      name: string;
      status: string;
      tables: { name: string; rows: number }[];
    }[];

  it("loads customers, products and orders that join, like any upload", async () => {
    let items = await list();
    for (let i = 0; i < 400 && items.some((source) => source.status !== "ready"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      items = await list();
    }
    expect(items.map((source) => [source.name, source.status, source.tables[0]?.rows]).sort()).toEqual([
      ["customers.csv", "ready", 250],
      ["orders.csv", "ready", 6000],
      ["products.csv", "ready", 40],
    ]);
    const revenue = await app.http.inject({
      method: "POST",
      url: "/api/v1/sql",
      headers: demo.headers,
      payload: {
        sql:
          "select c.segment, count(*) as orders, round(sum(o.amount), 2) as revenue " +
          "from orders o join customers c on c.customer_id = o.customer_id group by c.segment order by c.segment",
      },
    });
    expect(revenue.statusCode, revenue.body).toBe(200);
    const rows = revenue.json().rows as [string, number, number][];
    expect(rows.map((row) => row[0])).toEqual(["Enterprise", "Mid-market", "Small business"]);
    expect(rows.reduce((sum, row) => sum + row[1], 0)).toBe(6000);
  });

  it("relates orders to their customers and products", async () => {
    const pairs = async () =>
      (
        (await app.http.inject({ url: "/api/v1/relationships", headers: demo.headers })).json().items as {
          fromTable: string;
          fromColumn: string;
          toTable: string;
        }[]
      )
        .map((pair) => `${pair.fromTable}.${pair.fromColumn} → ${pair.toTable}`)
        .sort();
    let found = await pairs();
    for (let i = 0; i < 400 && found.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      found = await pairs();
    }
    expect(found).toEqual(["orders.customer_id → customers", "orders.product_id → products"]);
  });

  it("does not load them again while the workspace has sources", async () => {
    if (!platform) throw new Error("no platform");
    const seeded = await seedDemoData({
      db: platform.database.db,
      sources: {
        createFromUpload: () => {
          throw new Error("seeded twice");
        },
      },
      warehouses: createWarehouses(app.dataDir),
    });
    expect(seeded).toBe(0);
    expect(await list()).toHaveLength(3);
  });
});
