import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { signUp, type TestSession } from "../../../test/helpers/auth.js";
import {
  createRemoteMysql,
  createRemotePostgres,
  hasMysql,
  manyRows,
  type RemoteDatabase,
} from "../../../test/helpers/remote-databases.js";
import { hasPostgres } from "../../../test/helpers/services.js";

/** Exports of live database sources, run in PostgreSQL and MariaDB themselves. */
const servers = [
  { engine: "postgres", available: hasPostgres, create: createRemotePostgres },
  { engine: "mysql", available: hasMysql, create: createRemoteMysql },
] as const;

for (const server of servers) {
  describe(`exports of a live ${server.engine} source`, async () => {
    const available = await server.available();
    let app: TestApp;
    let ann: TestSession;
    let ben: TestSession;
    let remote: RemoteDatabase;
    let sourceId: string;

    beforeAll(async () => {
      if (!available) return;
      remote = await server.create();
      await remote.admin("create table numbers (n integer primary key, label varchar(40))");
      await remote.admin(`insert into numbers select n, concat('item ', n) from (${manyRows}) t`);
      await remote.admin("insert into customers values (4, 'Smith, \"Jo\"', null, null)");
      app = await createTestApp({ env: { SQL_MAX_ROWS: "50", SQL_EXPORT_TIMEOUT_MS: "30000" } });
      ann = await signUp(app, "ann@example.com");
      ben = await signUp(app, "ben@example.com");
      const created = await app.http.inject({
        method: "POST",
        url: "/api/v1/sources/connections",
        headers: ann.headers,
        payload: { name: "Shop", mode: "live", settings: remote.settings },
      });
      expect(created.statusCode, created.body).toBe(201);
      sourceId = created.json().id;
    });
    afterAll(async () => {
      await app?.dispose();
      await remote?.drop();
    });

    const exportSql = (as: TestSession, payload: Record<string, unknown>) =>
      app.http.inject({
        method: "POST",
        url: "/api/v1/sql/export",
        headers: as.headers,
        payload: { sourceId, ...payload },
      });

    it.skipIf(!available)("streams CSV from the database with every value exactly", async () => {
      const response = await exportSql(ann, {
        sql: "select o.id, c.name, o.amount, o.ordered_at, c.region from orders o join customers c on c.id = o.customer_id order by o.id",
        format: "csv",
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="query-.*\.csv"$/);
      expect(response.body).toBe(
        "id,name,amount,ordered_at,region\n" +
          "1,Acme,120.50,2024-03-01 10:00:00,EU\n" +
          "2,Globex,80.00,2024-03-05 11:30:00,US\n" +
          "3,Acme,19.99,2024-04-11 09:15:00,EU\n" +
          "4,Umbrella,55.00,2024-04-20 16:45:00,US\n",
      );
      const quoted = await exportSql(ann, {
        sql: "select name, region from customers where id = 4",
        format: "csv",
      });
      expect(quoted.body).toBe('name,region\n"Smith, ""Jo""",\n');
    });

    it.skipIf(!available)("exports every row of a result larger than SQL_MAX_ROWS", async () => {
      const capped = await app.http.inject({
        method: "POST",
        url: "/api/v1/sql",
        headers: ann.headers,
        payload: { sourceId, sql: "select n, label from numbers order by n" },
      });
      expect(capped.json()).toMatchObject({ truncated: true });
      expect(capped.json().rows).toHaveLength(50);
      const response = await exportSql(ann, {
        sql: "select n, label from numbers order by n",
        format: "csv",
      });
      expect(response.statusCode, response.body).toBe(200);
      const lines = response.body.trimEnd().split("\n");
      expect(lines).toHaveLength(12_346);
      expect(lines[1]).toBe("1,item 1");
      expect(lines[12_345]).toBe("12345,item 12345");
    });

    it.skipIf(!available)(
      "writes XLSX that Excel readers open, with numbers and timestamps typed",
      async () => {
        const response = await exportSql(ann, {
          sql: "select id, status, amount, ordered_at from orders order by id",
          format: "xlsx",
        });
        expect(response.statusCode, response.body).toBe(200);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
        const sheet = workbook.getWorksheet("Result");
        expect(sheet?.getRow(1).values).toEqual([undefined, "id", "status", "amount", "ordered_at"]);
        expect(sheet?.getRow(2).values).toEqual([
          undefined,
          1,
          "paid",
          120.5,
          new Date("2024-03-01T10:00:00Z"),
        ]);
        expect(sheet?.rowCount).toBe(5);
      },
    );

    it.skipIf(!available)("writes Parquet that DuckDB reads back, and leaves no file behind", async () => {
      const response = await exportSql(ann, {
        sql: "select n.n, n.label, o.amount, o.ordered_at from numbers n left join orders o on o.id = n.n order by n.n",
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
          `select count(*)::int, sum(n)::bigint, max(label), round(sum(amount), 2)::double, max(ordered_at)::varchar from read_parquet('${file}')`,
        );
        expect(read.getRowsJson()).toEqual([
          [12_345, "76205685", "item 9999", 275.49, "2024-04-20 16:45:00"],
        ]);
        const types = await duck.runAndReadAll(`select column_type from (describe select * from '${file}')`);
        expect(types.getRowsJson().flat()).toEqual(["BIGINT", "VARCHAR", "DOUBLE", "TIMESTAMP"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readdirSync(path.join(app.dataDir, "exports", ann.workspaceId))).toEqual([]);
    });

    it.skipIf(!available)("answers a refused statement with a problem before any byte", async () => {
      const before = await remote.checksum();
      for (const [sql, reason] of [
        ["delete from orders", "not_select"],
        ["select * from customers; select 1", "multiple_statements"],
        ["select * from secret_stuff", "unknown_table"],
      ]) {
        for (const format of ["csv", "parquet"]) {
          const response = await exportSql(ann, { sql, format });
          expect(response.statusCode, `${sql} ${format}`).toBe(400);
          expect(response.headers["content-type"]).toContain("application/problem+json");
          expect(response.headers["content-disposition"]).toBeUndefined();
          expect(response.json()).toMatchObject({ code: "sql_refused", reason });
        }
      }
      expect(await remote.checksum()).toBe(before);
    });

    it.skipIf(!available)("keeps other workspaces' sources out of reach", async () => {
      const response = await exportSql(ben, { sql: "select * from orders", format: "csv" });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("not_found");
      expect(
        (await exportSql(ann, { sql: "select 1", format: "csv", sourceId: randomUUID() })).statusCode,
      ).toBe(404);
    });

    it.skipIf(!available)("cancels a live export by its queryId", async () => {
      const queryId = randomUUID();
      const running = exportSql(ann, {
        sql: "select count(*) as n from numbers a, numbers b, numbers c",
        format: "csv",
        queryId,
      });
      let cancelled = 404;
      const started = Date.now();
      while (cancelled === 404 && Date.now() - started < 5_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        cancelled = (
          await app.http.inject({ method: "DELETE", url: `/api/v1/sql/${queryId}`, headers: ann.headers })
        ).statusCode;
      }
      expect(cancelled).toBe(204);
      const response = await running;
      expect(response.statusCode).toBe(499);
      expect(response.json().code).toBe("query_cancelled");
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
}
