import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRemoteMysql,
  createRemotePostgres,
  hasMysql,
  manyRows,
  type RemoteDatabase,
} from "../../../../test/helpers/remote-databases.js";
import { hasPostgres } from "../../../../test/helpers/services.js";
import {
  allowedSqlitePath,
  type Connector,
  connectionSettingsSchema,
  openConnector,
  type RemoteTable,
} from "./index.js";

const options = { connectTimeoutMs: 3_000, sqliteAllowedDirs: [] as string[] };

/** The same behaviour, asked of PostgreSQL and MariaDB alike. */
const servers = [
  { engine: "postgres", available: hasPostgres, create: createRemotePostgres },
  { engine: "mysql", available: hasMysql, create: createRemoteMysql },
] as const;

for (const server of servers) {
  describe(`${server.engine} connector`, async () => {
    const available = await server.available();
    let remote: RemoteDatabase;
    let connector: Connector;
    let tables: RemoteTable[];

    beforeAll(async () => {
      if (!available) return;
      remote = await server.create();
      connector = openConnector(connectionSettingsSchema.parse(remote.settings), options);
      tables = await connector.introspect();
    });
    afterAll(async () => {
      await connector?.close();
      await remote?.drop();
    });

    it.skipIf(!available)("tests the connection and names the server", async () => {
      expect((await connector.test()).serverVersion).toMatch(/^(PostgreSQL|MariaDB|MySQL) \d+/);
    });

    it.skipIf(!available)("introspects tables, columns, keys and row counts", async () => {
      const orders = tables.find((table) => table.table === "orders");
      expect(tables.map((table) => table.table).sort()).toEqual(["Line Items", "customers", "orders"]);
      expect(orders?.remoteName).toBe(
        `${remote.settings.engine === "postgres" ? "public" : remote.settings.database}.orders`,
      );
      expect(orders?.columns.map((column) => [column.name, column.type])).toEqual([
        ["id", "integer"],
        ["customer_id", "integer"],
        ["amount", "decimal"],
        ["status", "text"],
        ["ordered_at", "timestamp"],
      ]);
      expect(orders?.primaryKey).toEqual(["id"]);
      expect(orders?.foreignKeys).toEqual([
        {
          columns: ["customer_id"],
          references: { table: expect.stringMatching(/\.customers$/), columns: ["id"] },
        },
      ]);
      expect(orders?.rows).toBeGreaterThanOrEqual(remote.settings.engine === "postgres" ? 4 : 0);
    });

    it.skipIf(!available)("previews a table with typed JSON values", async () => {
      const orders = tables.find((table) => table.table === "orders");
      if (!orders) throw new Error("no orders table");
      const preview = await connector.preview(orders, 2);
      expect(preview.columns.map((column) => column.type)).toEqual([
        "integer",
        "integer",
        "decimal",
        "text",
        "timestamp",
      ]);
      expect(preview.rows).toEqual([
        [1, 1, 120.5, "paid", "2024-03-01T10:00:00"],
        [2, 2, 80, "paid", "2024-03-05T11:30:00"],
      ]);
      expect(preview.truncated).toBe(false);
    });

    it.skipIf(!available)("caps rows and says the result was cut", async () => {
      const result = await connector.query("select id from orders order by id", {
        maxRows: 2,
        timeoutMs: 5_000,
      });
      expect(result.rows).toEqual([[1], [2]]);
      expect(result.truncated).toBe(true);
    });

    it.skipIf(!available)("the database itself refuses writes and DDL, whatever SQL reaches it", async () => {
      const before = await remote.checksum();
      const writes = [
        "insert into orders (id, customer_id, amount, status) values (99, 1, 1, 'x')",
        "update orders set amount = 0",
        "delete from orders",
        "create table stolen (id integer)",
        "drop table customers",
      ];
      for (const sql of writes) {
        await expect(connector.query(sql, { maxRows: 10, timeoutMs: 5_000 }), sql).rejects.toMatchObject({
          code: "query_failed",
          message: expect.stringMatching(/read-only transaction|READ ONLY transaction/i),
        });
      }
      expect(await remote.checksum()).toBe(before);
    });

    it.skipIf(!available)("the database's statement timeout stops a long query", async () => {
      const sleep = server.engine === "postgres" ? "select pg_sleep(5)" : "select sleep(5)";
      const started = Date.now();
      await expect(connector.query(sleep, { maxRows: 1, timeoutMs: 500 })).rejects.toMatchObject({
        code: "query_timeout",
      });
      expect(Date.now() - started).toBeLessThan(2_500);
    });

    it.skipIf(!available)("cancels a running query when its signal aborts", async () => {
      const sleep = server.engine === "postgres" ? "select pg_sleep(10)" : "select sleep(10)";
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const started = Date.now();
      await expect(
        connector.query(sleep, { maxRows: 1, timeoutMs: 20_000, signal: controller.signal }),
      ).rejects.toMatchObject({ code: "query_cancelled" });
      expect(Date.now() - started).toBeLessThan(3_000);
      // The pooled connection is usable afterwards.
      expect((await connector.query("select 1 as one", { maxRows: 1, timeoutMs: 5_000 })).rows).toEqual([
        [1],
      ]);
    });

    it.skipIf(!available)("reads a whole table in batches for an import", async () => {
      const orders = tables.find((table) => table.table === "orders");
      if (!orders) throw new Error("no orders table");
      const rows: unknown[][] = [];
      await connector.readTable(orders, async (batch) => void rows.push(...batch), {
        maxRows: 0,
        timeoutMs: 10_000,
      });
      expect(rows).toHaveLength(4);
      expect(rows[3]).toEqual([4, 3, 55, "open", "2024-04-20T16:45:00"]);
    });

    it.skipIf(!available)(
      "streams a whole result batch by batch, freeing the connection when closed early",
      async () => {
        const result = await connector.stream(manyRows, { timeoutMs: 20_000 });
        expect(result.columns).toMatchObject([{ name: "n", type: "integer" }]);
        const rows: unknown[][] = [];
        for await (const chunk of result.chunks) rows.push(...chunk);
        expect(rows).toHaveLength(12_345);
        expect(rows.at(-1)).toEqual([12_345]);
        // More early closes than the pool has connections: none may leak.
        for (let i = 0; i < 6; i++) {
          const open = await connector.stream(manyRows, { timeoutMs: 20_000 });
          expect((await open.chunks.next()).value).toHaveLength(5_000);
          open.close();
        }
        expect((await connector.query("select 1 as one", { maxRows: 1, timeoutMs: 5_000 })).rows).toEqual([
          [1],
        ]);
      },
    );

    it.skipIf(!available)("streams read-only, within its timeout, and stops when cancelled", async () => {
      const before = await remote.checksum();
      await expect(connector.stream("delete from orders", { timeoutMs: 5_000 })).rejects.toMatchObject({
        code: "query_failed",
      });
      expect(await remote.checksum()).toBe(before);
      const sleep = server.engine === "postgres" ? "select pg_sleep(10)" : "select sleep(10)";
      let started = Date.now();
      await expect(connector.stream(sleep, { timeoutMs: 300 })).rejects.toMatchObject({
        code: "query_timeout",
      });
      expect(Date.now() - started).toBeLessThan(4_000);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      started = Date.now();
      await expect(
        connector.stream(sleep, { timeoutMs: 20_000, signal: controller.signal }),
      ).rejects.toMatchObject({ code: "query_cancelled" });
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it.skipIf(!available)("says clearly why a connection failed", async () => {
      const attempts = [
        {
          settings: { ...remote.settings, password: "wrong-password", user: "nobody_here" },
          problem: "auth_failed",
        },
        { settings: { ...remote.settings, database: "no_such_database_x" }, problem: "database_missing" },
        { settings: { ...remote.settings, port: 1 }, problem: "unreachable" },
        { settings: { ...remote.settings, host: "no-such-host.invalid" }, problem: "unreachable" },
      ];
      for (const attempt of attempts) {
        const bad = openConnector(connectionSettingsSchema.parse(attempt.settings), options);
        try {
          const error = await bad.test().then(
            () => undefined,
            (failure: unknown) => failure as { code: string; problem: string; message: string },
          );
          expect(error, attempt.problem).toMatchObject({
            code: "connection_failed",
            problem: attempt.problem,
          });
          expect(error?.message).not.toContain("wrong-password");
        } finally {
          await bad.close();
        }
      }
    });
  });
}

describe("sqlite connector", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sightline-sqlite-"));
  const outside = mkdtempSync(path.join(tmpdir(), "sightline-outside-"));
  const file = path.join(dir, "shop.db");
  let connector: Connector;

  beforeAll(() => {
    const { Database } = createRequire(import.meta.url)(
      "node-sqlite3-wasm",
    ) as typeof import("node-sqlite3-wasm");
    const db = new Database(file);
    db.exec(`
      create table customers (id integer primary key, name text not null, region varchar(10));
      create table orders (id integer primary key, customer_id integer references customers(id), amount decimal(10,2), ordered_at datetime);
      insert into customers values (1, 'Acme', 'EU'), (2, 'Globex', 'US');
      insert into orders values (1, 1, 120.5, '2024-03-01 10:00:00'), (2, 2, 80, '2024-03-05 11:30:00'), (3, 1, 19.99, '2024-04-11 09:15:00');
    `);
    db.close();
    writeFileSync(path.join(outside, "secret.db"), "not for you");
    connector = openConnector({ engine: "sqlite", path: file }, { ...options, sqliteAllowedDirs: [dir] });
  });
  afterAll(async () => {
    await connector?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it("introspects and queries a file read-only, off the event loop", async () => {
    expect((await connector.test()).serverVersion).toMatch(/^SQLite 3\./);
    const tables = await connector.introspect();
    const orders = tables.find((table) => table.table === "orders");
    expect(orders).toMatchObject({
      rows: 3,
      primaryKey: ["id"],
      foreignKeys: [{ columns: ["customer_id"], references: { table: "customers", columns: ["id"] } }],
    });
    expect(orders?.columns.map((column) => column.type)).toEqual([
      "integer",
      "integer",
      "decimal",
      "timestamp",
    ]);
    const result = await connector.query(
      "select c.name, sum(o.amount) as total, c.id, o.id from orders o join customers c on c.id = o.customer_id group by c.name order by c.name",
      {
        maxRows: 10,
        timeoutMs: 5_000,
      },
    );
    expect(result.columns.map((column) => column.name)).toEqual(["name", "total", "id", "id"]);
    expect(result.rows[0]?.[0]).toBe("Acme");
    await expect(
      connector.query("insert into customers values (3, 'x', 'y')", { maxRows: 1, timeoutMs: 5_000 }),
    ).rejects.toThrow(/readonly/);
  });

  it("stops a runaway query at its timeout and stays usable", async () => {
    const started = Date.now();
    await expect(
      connector.query(
        "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n",
        { maxRows: 1, timeoutMs: 300 },
      ),
    ).rejects.toMatchObject({ code: "query_timeout" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(
      (await connector.query("select count(*) as n from orders", { maxRows: 1, timeoutMs: 5_000 })).rows,
    ).toEqual([[3]]);
  });

  it("streams a whole result from its worker batch by batch, and stops it at its timeout", async () => {
    const many =
      "with recursive n(i) as (select 1 union all select i + 1 from n where i < 12345) select i from n";
    const result = await connector.stream(many, { timeoutMs: 10_000 });
    const rows: unknown[][] = [];
    for await (const chunk of result.chunks) rows.push(...chunk);
    expect(rows).toHaveLength(12_345);
    expect(rows.at(-1)).toEqual([12_345]);
    const open = await connector.stream(many, { timeoutMs: 10_000 });
    expect((await open.chunks.next()).value).toHaveLength(5_000);
    open.close();
    await expect(
      connector.stream(
        "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n",
        {
          timeoutMs: 300,
        },
      ),
    ).rejects.toMatchObject({ code: "query_timeout" });
    expect(
      (await connector.query("select count(*) as n from orders", { maxRows: 1, timeoutMs: 5_000 })).rows,
    ).toEqual([[3]]);
  });

  it("opens only files inside an allowed directory", () => {
    symlinkSync(path.join(outside, "secret.db"), path.join(dir, "link.db"));
    expect(() => allowedSqlitePath(file, [])).toThrow(/switched off/);
    expect(() => allowedSqlitePath(path.join(outside, "secret.db"), [dir])).toThrow(/not inside/);
    expect(() => allowedSqlitePath(path.join(dir, "link.db"), [dir])).toThrow(/not inside/);
    expect(() => allowedSqlitePath(`${dir}/../${path.basename(outside)}/secret.db`, [dir])).toThrow(
      /not inside/,
    );
    expect(() => allowedSqlitePath("shop.db", [dir])).toThrow(/absolute/);
    expect(() => allowedSqlitePath(path.join(dir, "missing.db"), [dir])).toThrow(/no file/);
    expect(allowedSqlitePath(file, [dir])).toBe(file);
  });
});
