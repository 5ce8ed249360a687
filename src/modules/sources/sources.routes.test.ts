import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { multipartFile, signUp, type TestSession } from "../../../test/helpers/auth.js";

const ordersCsv =
  "order_id,customer,amount,ordered_on\n1,Acme,120.50,2024-03-01\n2,Globex,80.00,2024-03-05\n3,Acme,19.99,2024-04-11\n";

describe("sources and SQL", () => {
  let app: TestApp;
  let ann: TestSession;
  let ben: TestSession;

  beforeAll(async () => {
    app = await createTestApp({ env: { UPLOAD_MAX_BYTES: "2000", SQL_MAX_ROWS: "50" } });
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
  });
  afterAll(async () => app?.dispose());

  async function upload(as: TestSession, fileName: string, content: string | Buffer) {
    const body = await multipartFile("file", fileName, content);
    return app.http.inject({
      method: "POST",
      url: "/api/v1/sources",
      headers: { ...as.headers, ...body.headers },
      payload: body.payload,
    });
  }

  async function settled(as: TestSession, id: string) {
    for (let i = 0; i < 200; i++) {
      const source = (await app.http.inject({ url: `/api/v1/sources/${id}`, headers: as.headers })).json();
      if (source.status !== "processing") return source;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("source never settled");
  }

  const sql = (as: TestSession, statement: string, maxRows?: number) =>
    app.http.inject({
      method: "POST",
      url: "/api/v1/sql",
      headers: as.headers,
      payload: { sql: statement, ...(maxRows ? { maxRows } : {}) },
    });

  it("uploads a CSV, loads it in the background and describes its table", async () => {
    const response = await upload(ann, "Orders.csv", ordersCsv);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ name: "Orders.csv", status: "processing", format: "csv" });
    const source = await settled(ann, response.json().id);
    expect(source).toMatchObject({ status: "ready", version: 1, error: null });
    expect(source.tables).toEqual([
      {
        name: "orders",
        rows: 3,
        columns: [
          { name: "order_id", type: "integer", sourceType: "BIGINT" },
          { name: "customer", type: "text", sourceType: "VARCHAR" },
          { name: "amount", type: "decimal", sourceType: "DOUBLE" },
          { name: "ordered_on", type: "date", sourceType: "DATE" },
        ],
      },
    ]);
    const preview = await app.http.inject({
      url: `/api/v1/sources/${source.id}/preview?limit=2`,
      headers: ann.headers,
    });
    expect(preview.json().rows).toEqual([
      [1, "Acme", 120.5, "2024-03-01"],
      [2, "Globex", 80, "2024-03-05"],
    ]);
  });

  it("runs SQL over the workspace's tables with a row cap", async () => {
    const result = await sql(
      ann,
      "select customer, sum(amount) as total from orders group by customer order by total desc",
    );
    expect(result.statusCode, result.body).toBe(200);
    expect(result.json()).toMatchObject({
      columns: [
        { name: "customer", type: "text" },
        { name: "total", type: "decimal" },
      ],
      rows: [
        ["Acme", 140.49],
        ["Globex", 80],
      ],
      truncated: false,
    });
    const capped = await sql(ann, "select * from orders", 2);
    expect(capped.json()).toMatchObject({ truncated: true });
    expect(capped.json().rows).toHaveLength(2);
  });

  it.each([
    ["delete from orders", "not_select"],
    ["select 1; drop table orders", "multiple_statements"],
    ["select * from read_csv('/etc/passwd')", "table_function"],
    ["select length(pg_read_file('/etc/passwd'))", "forbidden_function"],
    ["select * from information_schema.tables", "unknown_table"],
  ])("refuses %s and leaves the data as it was", async (statement, reason) => {
    const response = await sql(ann, statement);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: "sql_refused", reason });
    expect((await sql(ann, "select count(*) as n from orders")).json().rows).toEqual([[3]]);
  });

  it("keeps each workspace's tables to itself", async () => {
    const response = await sql(ben, "select * from orders");
    expect(response.statusCode).toBe(400);
    expect(response.json().reason).toBe("unknown_table");
    const list = await app.http.inject({ url: "/api/v1/sources", headers: ben.headers });
    expect(list.json().items).toEqual([]);
  });

  it("names a second upload of the same name apart", async () => {
    const second = await settled(ann, (await upload(ann, "orders.csv", ordersCsv)).json().id);
    expect(second.tables[0].name).toBe("orders_2");
  });

  it("refuses empty files, mislabelled content, unknown types and files over the limit", async () => {
    const empty = await upload(ann, "empty.csv", "");
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe("empty_file");
    const zip = await upload(ann, "sheet.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(zip.statusCode).toBe(415);
    const notParquet = await upload(ann, "data.parquet", "a,b\n1,2\n");
    expect(notParquet.statusCode).toBe(415);
    const notJson = await upload(ann, "data.json", "a,b\n1,2\n");
    expect(notJson.statusCode).toBe(415);
    const exe = await upload(ann, "tool.exe", "MZ");
    expect(exe.statusCode).toBe(415);
    const big = await upload(ann, "big.csv", `a\n${"1\n".repeat(2000)}`);
    expect(big.statusCode).toBe(413);
    // Nothing half-made stays behind.
    const names = (await app.http.inject({ url: "/api/v1/sources?limit=200", headers: ann.headers }))
      .json()
      .items.map((item: { name: string }) => item.name);
    expect(names).not.toEqual(expect.arrayContaining(["empty.csv", "sheet.csv", "big.csv"]));
  });

  it("marks a source failed with the reason when its data cannot load", async () => {
    const response = await upload(ann, "broken.json", '[{"a": 1}, {"a": ');
    const source = await settled(ann, response.json().id);
    expect(source.status).toBe("failed");
    expect(source.error).toMatch(/^Could not load broken\.json: .*Malformed JSON/);
    expect(source.error).not.toContain(app.dataDir);
  });

  it("marks a source failed once an unexpected error outlasts the retries", async () => {
    const cat = await signUp(app, "cat@example.com");
    // A directory where the warehouse file belongs: DuckDB cannot open it, on any attempt.
    mkdirSync(path.join(app.dataDir, "warehouse", `${cat.workspaceId}.duckdb`), { recursive: true });
    const response = await upload(cat, "orders.csv", ordersCsv);
    expect(response.statusCode, response.body).toBe(202);
    let source = response.json();
    for (let i = 0; i < 400 && source.status === "processing"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      source = (await app.http.inject({ url: `/api/v1/sources/${source.id}`, headers: cat.headers })).json();
    }
    expect(source.status).toBe("failed");
    expect(source.error).toMatch(/^Loading failed unexpectedly: /);
  });

  it("lets viewers read and query but not upload or delete", async () => {
    const { addMember } = await import("../../../test/helpers/auth.js");
    const viewer = await signUp(app, "viewer@example.com");
    await addMember(app, ann, ann.workspaceId, viewer, "viewer");
    const asViewer = { ...viewer, headers: { ...viewer.headers, "x-workspace-id": ann.workspaceId } };
    expect((await sql(asViewer, "select count(*) from orders")).statusCode).toBe(200);
    expect((await upload(asViewer, "v.csv", "a\n1\n")).statusCode).toBe(403);
    const first = (await app.http.inject({ url: "/api/v1/sources", headers: ann.headers })).json().items[0];
    const denied = await app.http.inject({
      method: "DELETE",
      url: `/api/v1/sources/${first.id}`,
      headers: asViewer.headers,
    });
    expect(denied.statusCode).toBe(403);
  });

  it("removes a deleted workspace's sources, warehouse file and uploads", async () => {
    const { existsSync, readdirSync } = await import("node:fs");
    const path = await import("node:path");
    const carl = await signUp(app, "carl@example.com");
    const source = await settled(carl, (await upload(carl, "ledger.csv", "x\n1\n")).json().id);
    expect(source.status).toBe("ready");
    const warehouse = path.join(app.dataDir, "warehouse", `${carl.workspaceId}.duckdb`);
    const uploads = path.join(app.dataDir, "uploads", carl.workspaceId);
    expect(existsSync(warehouse)).toBe(true);
    expect(readdirSync(uploads)).toHaveLength(1);
    const removed = await app.http.inject({
      method: "DELETE",
      url: `/api/v1/workspaces/${carl.workspaceId}`,
      headers: carl.headers,
    });
    expect(removed.statusCode).toBe(204);
    for (let i = 0; i < 100 && existsSync(warehouse); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(existsSync(warehouse)).toBe(false);
    expect(existsSync(uploads)).toBe(false);
    const others = await app.http.inject({ url: "/api/v1/sources", headers: ann.headers });
    expect(others.json().items.length).toBeGreaterThan(0);
  });

  it("deletes a source with its table", async () => {
    const source = await settled(ann, (await upload(ann, "temp.csv", "x\n1\n")).json().id);
    const removed = await app.http.inject({
      method: "DELETE",
      url: `/api/v1/sources/${source.id}`,
      headers: ann.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect(
      (await app.http.inject({ url: `/api/v1/sources/${source.id}`, headers: ann.headers })).statusCode,
    ).toBe(404);
    expect((await sql(ann, "select * from temp")).json().reason).toBe("unknown_table");
  });
});
