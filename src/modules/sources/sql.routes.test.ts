import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import {
  addMember,
  inWorkspace,
  multipartFile,
  signUp,
  type TestSession,
} from "../../../test/helpers/auth.js";

const peopleCsv =
  'id,name,amount,joined,active\n1,"Smith, Jo",12.50,2024-03-01,true\n2,"Say ""hi""",,2024-03-02,false\n';
/** Cross joins of range(): long enough to be cancelled, whatever the machine. */
const slowSql = "select sum(a.range * b.range) as s from range(1000000000) a, range(1000000000) b";

describe("SQL: result cache, cancelling and exports", () => {
  let app: TestApp;
  let ann: TestSession;
  let ben: TestSession;
  let vic: TestSession;

  beforeAll(async () => {
    app = await createTestApp({ env: { SQL_MAX_ROWS: "50", SQL_TIMEOUT_MS: "30000" } });
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
    vic = inWorkspace(await signUp(app, "vic@example.com"), ann.workspaceId);
    await addMember(app, ann, ann.workspaceId, vic, "viewer");
    await load(ann, "people.csv", peopleCsv);
    const rows = Array.from({ length: 300 }, (_, i) => `${i + 1},item ${i + 1},${(i * 1.25).toFixed(2)}`);
    await load(ann, "items.csv", `id,label,price\n${rows.join("\n")}\n`);
  });
  afterAll(async () => app?.dispose());

  async function load(as: TestSession, fileName: string, content: string) {
    const body = await multipartFile("file", fileName, content);
    const created = await app.http.inject({
      method: "POST",
      url: "/api/v1/sources",
      headers: { ...as.headers, ...body.headers },
      payload: body.payload,
    });
    for (let i = 0; i < 200; i++) {
      const source = (
        await app.http.inject({ url: `/api/v1/sources/${created.json().id}`, headers: as.headers })
      ).json();
      if (source.status === "ready") return source;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${fileName} never loaded`);
  }

  const sql = (as: TestSession, payload: Record<string, unknown>) =>
    app.http.inject({ method: "POST", url: "/api/v1/sql", headers: as.headers, payload });
  const cancel = (as: TestSession, queryId: string) =>
    app.http.inject({ method: "DELETE", url: `/api/v1/sql/${queryId}`, headers: as.headers });
  const exportSql = (as: TestSession, payload: Record<string, unknown>) =>
    app.http.inject({ method: "POST", url: "/api/v1/sql/export", headers: as.headers, payload });

  /** Cancels a query as soon as it is running; answers the cancel request. */
  async function cancelWhenRunning(as: TestSession, queryId: string) {
    for (let i = 0; i < 500; i++) {
      const response = await cancel(as, queryId);
      if (response.statusCode !== 404) return response;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("the query never started");
  }

  /**
   * Waits until a query runs under its id: a twin under the same id is then refused. The twin
   * waits a moment first, or it could take the id before the query does.
   */
  async function untilRunning(as: TestSession, queryId: string) {
    for (let i = 0; i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if ((await sql(as, { sql: "select 1 as one", queryId })).statusCode === 409) return;
    }
    throw new Error("the query never started");
  }

  describe("result cache", () => {
    it("answers a repeated query from the cache, and a changed one from the warehouse", async () => {
      const statement = "select name, amount from people order by id";
      const first = await sql(ann, { sql: statement });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({
        cached: false,
        rows: [
          ["Smith, Jo", 12.5],
          ['Say "hi"', null],
        ],
      });
      // Case, spacing and comments do not make a different query.
      const again = await sql(ann, { sql: "SELECT name,   amount FROM people -- again\n ORDER BY id" });
      expect(again.json()).toMatchObject({
        cached: true,
        rows: first.json().rows,
        columns: first.json().columns,
      });
      expect((await sql(ann, { sql: statement, maxRows: 1 })).json()).toMatchObject({
        cached: false,
        truncated: true,
      });
      // Another workspace never sees it, even for the same text.
      expect((await sql(ben, { sql: "select 42 as n" })).json().cached).toBe(false);
      expect((await sql(ann, { sql: "select 42 as n" })).json().cached).toBe(false);
      expect((await sql(ann, { sql: "select 42 as n" })).json().cached).toBe(true);
    });

    it("never answers with a deleted source's data", async () => {
      const source = await load(ann, "stock.csv", "qty\n1\n2\n");
      expect((await sql(ann, { sql: "select sum(qty) as n from stock" })).json().rows).toEqual([[3]]);
      expect((await sql(ann, { sql: "select sum(qty) as n from stock" })).json().cached).toBe(true);
      const removed = await app.http.inject({
        method: "DELETE",
        url: `/api/v1/sources/${source.id}`,
        headers: ann.headers,
      });
      expect(removed.statusCode).toBe(204);
      await load(ann, "stock.csv", "qty\n10\n");
      const fresh = await sql(ann, { sql: "select sum(qty) as n from stock" });
      expect(fresh.json()).toMatchObject({ cached: false, rows: [[10]] });
    });
  });

  describe("cancelling", () => {
    it("stops a running query: it answers query_cancelled, and its id is free again", async () => {
      const queryId = randomUUID();
      const running = sql(ann, { sql: slowSql, queryId });
      // Nobody else can stop it: not another member of the workspace, not another workspace.
      expect((await cancel(vic, queryId)).statusCode).toBe(404);
      expect((await cancel(ben, queryId)).statusCode).toBe(404);
      const started = Date.now();
      const cancelled = await cancelWhenRunning(ann, queryId);
      expect(cancelled.statusCode).toBe(204);
      const response = await running;
      expect(response.statusCode).toBe(499);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(response.json()).toMatchObject({ code: "query_cancelled" });
      expect(Date.now() - started).toBeLessThan(10_000);
      const gone = await cancel(ann, queryId);
      expect(gone.statusCode).toBe(404);
      expect(gone.json().code).toBe("not_found");
    });

    it("answers 404 for an unknown, malformed or finished query id", async () => {
      expect((await cancel(ann, randomUUID())).json()).toMatchObject({ status: 404, code: "not_found" });
      expect((await cancel(ann, "not-an-id")).statusCode).toBe(404);
      const queryId = randomUUID();
      expect((await sql(ann, { sql: "select 1 as one", queryId })).statusCode).toBe(200);
      expect((await cancel(ann, queryId)).statusCode).toBe(404);
    });

    it("refuses a second query under an id that is running", async () => {
      const queryId = randomUUID();
      const running = sql(ann, { sql: slowSql, queryId });
      await untilRunning(ann, queryId);
      expect((await sql(ann, { sql: "select 1 as one", queryId })).json().code).toBe("conflict");
      // The same id is anyone else's to use.
      expect((await sql(vic, { sql: "select 1 as one", queryId })).statusCode).toBe(200);
      expect((await cancel(ann, queryId)).statusCode).toBe(204);
      expect((await running).json().code).toBe("query_cancelled");
    });

    it("stops the query when the client disconnects", async () => {
      const address = await app.http.listen({ port: 0, host: "127.0.0.1" });
      const queryId = randomUUID();
      const client = new AbortController();
      const request = fetch(`${address}/api/v1/sql`, {
        method: "POST",
        headers: { ...ann.headers, "content-type": "application/json" },
        body: JSON.stringify({ sql: slowSql, queryId }),
        signal: client.signal,
      }).catch((error: unknown) => error);
      await untilRunning(ann, queryId);
      client.abort();
      expect(await request).toBeInstanceOf(Error);
      let answer = 409;
      for (let i = 0; i < 500 && answer === 409; i++) {
        answer = (await sql(ann, { sql: "select 1 as one", queryId })).statusCode;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(answer).toBe(200);
    });
  });

  describe("exports", () => {
    it("streams CSV with a header and every value exactly", async () => {
      const response = await exportSql(ann, { sql: "select * from people order by id", format: "csv" });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="query-.*\.csv"$/);
      expect(response.body).toBe(
        'id,name,amount,joined,active\n1,"Smith, Jo",12.5,2024-03-01,true\n2,"Say ""hi""",,2024-03-02,false\n',
      );
    });

    it("exports every row of a result larger than SQL_MAX_ROWS", async () => {
      const response = await exportSql(ann, {
        sql: "select id, label from items order by id",
        format: "csv",
      });
      const lines = response.body.trimEnd().split("\n");
      expect(lines).toHaveLength(301);
      expect(lines[300]).toBe("300,item 300");
    });

    it("writes XLSX that Excel readers open, with numbers and dates typed", async () => {
      const response = await exportSql(ann, {
        sql: "select p.id, p.name, p.amount, p.joined, p.active from people p order by id",
        format: "xlsx",
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers["content-type"]).toBe(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet("Result");
      expect(sheet?.getRow(1).values).toEqual([undefined, "id", "name", "amount", "joined", "active"]);
      expect(sheet?.getRow(2).values).toEqual([
        undefined,
        1,
        "Smith, Jo",
        12.5,
        new Date("2024-03-01T00:00:00Z"),
        true,
      ]);
      expect(sheet?.getRow(3).getCell(2).value).toBe('Say "hi"');
      expect(sheet?.rowCount).toBe(3);
    });

    it("writes Parquet that DuckDB reads back, and leaves no file behind", async () => {
      const response = await exportSql(ann, {
        sql: "select id, price from items order by id",
        format: "parquet",
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers["content-type"]).toBe("application/vnd.apache.parquet");
      const dir = mkdtempSync(path.join(tmpdir(), "sightline-parquet-"));
      try {
        const file = path.join(dir, "out.parquet");
        writeFileSync(file, response.rawPayload);
        const duck = await (await DuckDBInstance.create(":memory:")).connect();
        const read = await duck.runAndReadAll(
          `select count(*)::int, sum(price)::double, max(id)::int from read_parquet('${file}')`,
        );
        expect(read.getRowsJson()).toEqual([[300, 56_062.5, 300]]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readdirSync(path.join(app.dataDir, "exports", ann.workspaceId))).toEqual([]);
    });

    it("answers a refused or failing query with a problem before any byte of the file", async () => {
      for (const statement of [
        "delete from people",
        "select * from nowhere",
        "select cast(name as integer) as x from people",
      ]) {
        const response = await exportSql(ann, { sql: statement, format: "csv" });
        expect(response.headers["content-type"], statement).toContain("application/problem+json");
        expect(response.headers["content-disposition"]).toBeUndefined();
      }
      const refused = await exportSql(ann, { sql: "delete from people", format: "parquet" });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: "sql_refused", reason: "not_select" });
      expect((await exportSql(ben, { sql: "select * from people", format: "xlsx" })).json().reason).toBe(
        "unknown_table",
      );
    });

    it("keeps the exports directory out of reach of user SQL", async () => {
      await exportSql(ann, { sql: "select * from items", format: "parquet" });
      const dir = path.join(app.dataDir, "exports", ann.workspaceId);
      for (const statement of [
        `copy (select * from people) to '${dir}/stolen.parquet' (format parquet)`,
        `select * from read_parquet('${dir}/*.parquet')`,
        `select * from '${dir}/x.parquet'`,
      ]) {
        for (const response of [
          await sql(ann, { sql: statement }),
          await exportSql(ann, { sql: statement, format: "csv" }),
        ]) {
          expect(response.statusCode, statement).toBe(400);
          expect(response.json().code).toBe("sql_refused");
        }
      }
      expect(readdirSync(dir)).toEqual([]);
    });

    it("cancels an export before its first byte", async () => {
      const queryId = randomUUID();
      const running = exportSql(ann, {
        sql: `select max(s) from (${slowSql}) t`,
        format: "parquet",
        queryId,
      });
      expect((await cancelWhenRunning(ann, queryId)).statusCode).toBe(204);
      const response = await running;
      expect(response.statusCode).toBe(499);
      expect(response.json().code).toBe("query_cancelled");
    });
  });
});
