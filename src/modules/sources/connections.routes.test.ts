import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { signUp, type TestSession } from "../../../test/helpers/auth.js";
import {
  createRemoteMysql,
  createRemotePostgres,
  hasMysql,
  type RemoteDatabase,
} from "../../../test/helpers/remote-databases.js";
import { hasPostgres } from "../../../test/helpers/services.js";
import { addMember } from "../../../test/helpers/workspaces.js";
import { sources } from "./sources.tables.js";

const postgresUp = await hasPostgres();
const mysqlUp = await hasMysql();
const secret = "s3cret-Pa55word-never-shown";

describe.skipIf(!postgresUp || !mysqlUp)("database sources over the API", () => {
  let app: TestApp;
  let ann: TestSession;
  let ben: TestSession;
  let viewer: TestSession;
  let pgRemote: RemoteDatabase;
  let myRemote: RemoteDatabase;
  const sqliteDir = mkdtempSync(path.join(tmpdir(), "sightline-sqlite-allowed-"));

  beforeAll(async () => {
    [pgRemote, myRemote] = await Promise.all([createRemotePostgres(), createRemoteMysql()]);
    // A role with a password, so that tests can see it never comes back.
    await pgRemote.admin(`create role sl_reader_${pgRemote.settings.database} login password '${secret}'`);
    await pgRemote.admin(
      `grant select on all tables in schema public to sl_reader_${pgRemote.settings.database}`,
    );
    // PostgreSQL here trusts local connections; MariaDB checks passwords.
    await myRemote.admin(`create user '${myReaderName()}'@'%' identified by '${secret}'`);
    await myRemote.admin(`grant select on ${myRemote.settings.database}.* to '${myReaderName()}'@'%'`);
    app = await createTestApp({
      env: { SQLITE_ALLOWED_DIRS: sqliteDir, DB_CONNECT_TIMEOUT_MS: "3000", SQL_TIMEOUT_MS: "2000" },
    });
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
    viewer = await addMember(app, ann, "vera@example.com", "viewer");
  });
  afterAll(async () => {
    await app?.dispose();
    await pgRemote?.admin(`drop owned by sl_reader_${pgRemote.settings.database}`).catch(() => undefined);
    await pgRemote
      ?.admin(`drop role if exists sl_reader_${pgRemote.settings.database}`)
      .catch(() => undefined);
    await myRemote?.admin(`drop user if exists '${myReaderName()}'@'%'`).catch(() => undefined);
    await pgRemote?.drop();
    await myRemote?.drop();
    rmSync(sqliteDir, { recursive: true, force: true });
  });

  const myReaderName = () => `r_${myRemote.settings.database.slice(-10)}`;
  const myReader = () => ({ ...myRemote.settings, user: myReaderName(), password: secret });
  const pgReader = () => ({
    ...pgRemote.settings,
    user: `sl_reader_${pgRemote.settings.database}`,
    password: secret,
  });
  const call = (
    as: TestSession,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: unknown,
  ) =>
    app.http.inject({
      method,
      url: `/api/v1${url}`,
      headers: as.headers,
      ...(payload ? { payload: payload as object } : {}),
    });

  /** The source once its import finished: out of `processing` and past version `from`. */
  async function settled(id: string, from = 0) {
    for (let i = 0; i < 400; i++) {
      const source = (await call(ann, "GET", `/sources/${id}`)).json();
      if (source.status !== "processing" && source.version > from) return source;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("source never settled");
  }

  it("tests settings before saving them, with clear problems and no password in the answer", async () => {
    const ok = await call(ann, "POST", "/sources/connections/test", pgReader());
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, serverVersion: expect.stringMatching(/^PostgreSQL \d+/) });
    const maria = await call(ann, "POST", "/sources/connections/test", myRemote.settings);
    expect(maria.json()).toMatchObject({
      ok: true,
      serverVersion: expect.stringMatching(/^(MariaDB|MySQL) \d+/),
    });

    expect((await call(ann, "POST", "/sources/connections/test", myReader())).statusCode).toBe(200);
    const wrong = await call(ann, "POST", "/sources/connections/test", {
      ...myReader(),
      password: `${secret}-wrong`,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.headers["content-type"]).toContain("application/problem+json");
    expect(wrong.json()).toMatchObject({ code: "connection_failed", problem: "auth_failed" });
    expect(wrong.body).not.toContain(secret);
    const missing = await call(ann, "POST", "/sources/connections/test", {
      ...pgReader(),
      database: "nope_db",
    });
    expect(missing.json()).toMatchObject({ problem: "database_missing" });

    const asViewer = await call(viewer, "POST", "/sources/connections/test", pgReader());
    expect(asViewer.statusCode).toBe(403);
  });

  it("connects a live PostgreSQL source, queries it in place and keeps the password sealed", async () => {
    const created = await call(ann, "POST", "/sources/connections", {
      name: "Shop DB",
      mode: "live",
      settings: pgReader(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const source = created.json();
    expect(source).toMatchObject({
      kind: "database",
      format: "postgres",
      mode: "live",
      status: "ready",
      version: 1,
    });
    expect(source.connection).toMatchObject({
      engine: "postgres",
      user: pgReader().user,
      database: pgRemote.settings.database,
    });
    expect(
      source.tables
        .map((table: { name: string; remoteName: string }) => [table.name, table.remoteName])
        .sort(),
    ).toEqual([
      ["Line Items", "public.Line Items"],
      ["customers", "public.customers"],
      ["orders", "public.orders"],
    ]);
    expect(created.body).not.toContain(secret);
    const [stored] = await app.platform.database.db.select().from(sources).where(eq(sources.id, source.id));
    expect(stored?.connection).toMatch(/^v1\./);
    expect(stored?.connection).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret);

    const listed = await call(viewer, "GET", "/sources");
    expect(listed.body).not.toContain(secret);

    const result = await call(viewer, "POST", "/sql", {
      sql: "select c.name, sum(o.amount) as total from orders o join customers c on c.id = o.customer_id group by c.name order by total desc",
      sourceId: source.id,
    });
    expect(result.statusCode, result.body).toBe(200);
    expect(result.json().rows).toEqual([
      ["Acme", 140.49],
      ["Globex", 80],
      ["Umbrella", 55],
    ]);
    const refused = await call(viewer, "POST", "/sql", {
      sql: "select * from pg_catalog.pg_user",
      sourceId: source.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: "sql_refused", reason: "unknown_table" });
    const slow = await call(viewer, "POST", "/sql", {
      sql: "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000000000) select count(*) from n",
      sourceId: source.id,
    });
    expect(slow.statusCode).toBe(408);

    const preview = await call(viewer, "GET", `/sources/${source.id}/preview?table=orders&limit=2`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().rows).toEqual([
      [1, 1, 120.5, "paid", "2024-03-01T10:00:00"],
      [2, 2, 80, "paid", "2024-03-05T11:30:00"],
    ]);

    const schema = await call(viewer, "GET", `/sources/${source.id}/schema`);
    expect(schema.statusCode, schema.body).toBe(200);
    const orders = schema.json().tables.find((table: { table: string }) => table.table === "orders");
    expect(orders).toMatchObject({
      remoteName: "public.orders",
      primaryKey: ["id"],
      foreignKeys: [{ columns: ["customer_id"], references: { table: "public.customers", columns: ["id"] } }],
      rows: 4,
    });

    const tested = await call(ann, "POST", `/sources/${source.id}/test`);
    expect(tested.json()).toMatchObject({ ok: true });
    await pgRemote.admin("create table refunds (id integer primary key, order_id integer)");
    await pgRemote.admin(`grant select on refunds to ${pgReader().user}`);
    const refreshed = await call(ann, "POST", `/sources/${source.id}/refresh`);
    expect(refreshed.statusCode, refreshed.body).toBe(202);
    expect(refreshed.json().version).toBe(2);
    expect(refreshed.json().tables.map((table: { name: string }) => table.name)).toContain("refunds");

    // A foreign workspace sees none of it.
    for (const [method, url] of [
      ["GET", `/sources/${source.id}/schema`],
      ["POST", `/sources/${source.id}/test`],
      ["POST", `/sources/${source.id}/refresh`],
      ["GET", `/sources/${source.id}/preview`],
    ] as const) {
      const response = await call(ben, method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await call(ben, "PATCH", `/sources/${source.id}`, { name: "mine" })).statusCode).toBe(404);
    expect(
      (await call(ben, "POST", "/sql", { sql: "select * from orders", sourceId: source.id })).statusCode,
    ).toBe(404);
  });

  it("changes credentials only after testing them, and re-seals them", async () => {
    const source = (
      await call(ann, "POST", "/sources/connections", { name: "Creds", mode: "live", settings: myReader() })
    ).json();
    const [before] = await app.platform.database.db.select().from(sources).where(eq(sources.id, source.id));
    const rejected = await call(ann, "PATCH", `/sources/${source.id}`, { settings: { password: "not-it" } });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json()).toMatchObject({ problem: "auth_failed" });
    const renamed = await call(ann, "PATCH", `/sources/${source.id}`, {
      name: "Creds 2",
      settings: { password: secret },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe("Creds 2");
    const [after] = await app.platform.database.db.select().from(sources).where(eq(sources.id, source.id));
    expect(after?.connection).not.toBe(before?.connection);
    expect(after?.connection).not.toContain(secret);
    expect((await call(viewer, "PATCH", `/sources/${source.id}`, { name: "x" })).statusCode).toBe(403);
    expect(
      (await call(ann, "PATCH", `/sources/${source.id}`, { refreshCron: "0 3 * * *" })).json(),
    ).toMatchObject({
      code: "invalid",
    });
  });

  it("imports a MariaDB database into the warehouse, refreshes it on demand and on a schedule", async () => {
    const bad = await call(ann, "POST", "/sources/connections", {
      name: "Bad cron",
      mode: "import",
      settings: myRemote.settings,
      refreshCron: "every tuesday",
    });
    expect(bad.statusCode).toBe(400);

    const created = await call(ann, "POST", "/sources/connections", {
      name: "Maria shop",
      mode: "import",
      settings: myRemote.settings,
      refreshCron: "0 3 * * *",
    });
    expect(created.statusCode, created.body).toBe(202);
    expect(created.json()).toMatchObject({ status: "processing", mode: "import", refreshCron: "0 3 * * *" });
    const id = created.json().id;
    const schedule = await app.platform.jobs.schedules.get(`sources.import:${id}`);
    expect(schedule).toMatchObject({
      jobName: "sources.import",
      cron: "0 3 * * *",
      payload: { sourceId: id },
    });

    const ready = await settled(id);
    expect(ready).toMatchObject({ status: "ready", version: 1, error: null });
    expect(ready.lastRefreshedAt).not.toBeNull();
    // The live source above holds `orders` in this workspace only as a live table; imports get their own names.
    const names = ready.tables.map((table: { name: string }) => table.name).sort();
    expect(names).toHaveLength(3);
    const ordersName = ready.tables.find((table: { remoteName: string }) =>
      table.remoteName.endsWith(".orders"),
    ).name;
    const orders = ready.tables.find((table: { name: string }) => table.name === ordersName);
    expect(orders.columns.map((column: { type: string }) => column.type)).toEqual([
      "integer",
      "integer",
      "decimal",
      "text",
      "timestamp",
    ]);
    const counted = await call(ann, "POST", "/sql", {
      sql: `select count(*) as n, sum(amount) as total from ${ordersName}`,
    });
    expect(counted.statusCode, counted.body).toBe(200);
    expect(counted.json().rows).toEqual([[4, 275.49]]);

    await myRemote.admin("insert into orders values (5, 2, 10.00, 'paid', '2024-05-01 08:00:00')");
    const refresh = await call(ann, "POST", `/sources/${id}/refresh`);
    expect(refresh.statusCode).toBe(202);
    const again = await settled(id, 1);
    expect(again.version).toBe(2);
    expect(again.tables.find((table: { name: string }) => table.name === ordersName)?.rows).toBe(5);
    expect(
      (await call(ann, "POST", "/sql", { sql: `select count(*) from ${ordersName}` })).json().rows,
    ).toEqual([[5]]);

    // A failing import leaves the last import's tables in place.
    await myRemote.admin("create table gone (i int)");
    await myRemote.admin("create view broken as select * from gone");
    await myRemote.admin("drop table gone");
    await call(ann, "POST", `/sources/${id}/refresh`);
    let failed = ready;
    for (let i = 0; i < 400 && !failed.error; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      failed = (await call(ann, "GET", `/sources/${id}`)).json();
    }
    expect(failed).toMatchObject({
      status: "ready",
      version: 2,
      error: expect.stringMatching(/^The last refresh failed/),
    });
    expect(
      (await call(ann, "POST", "/sql", { sql: `select count(*) from ${ordersName}` })).json().rows,
    ).toEqual([[5]]);
    await myRemote.admin("drop view broken");

    const unscheduled = await call(ann, "PATCH", `/sources/${id}`, { refreshCron: null });
    expect(unscheduled.json().refreshCron).toBeNull();
    expect(await app.platform.jobs.schedules.get(`sources.import:${id}`)).toBeUndefined();
    await call(ann, "PATCH", `/sources/${id}`, { refreshCron: "daily" });
    expect(await app.platform.jobs.schedules.get(`sources.import:${id}`)).toBeDefined();

    const deleted = await call(ann, "DELETE", `/sources/${id}`);
    expect(deleted.statusCode).toBe(204);
    expect(await app.platform.jobs.schedules.get(`sources.import:${id}`)).toBeUndefined();
    expect((await call(ann, "POST", "/sql", { sql: `select count(*) from ${ordersName}` })).statusCode).toBe(
      400,
    );
  });

  it("connects SQLite files only from allowed directories", async () => {
    const file = path.join(sqliteDir, "shop.db");
    const { Database } = createRequire(import.meta.url)(
      "node-sqlite3-wasm",
    ) as typeof import("node-sqlite3-wasm");
    const db = new Database(file);
    db.exec(
      "create table visits (id integer primary key, page text); insert into visits values (1, '/'), (2, '/pricing');",
    );
    db.close();
    const created = await call(ann, "POST", "/sources/connections", {
      name: "Visits",
      mode: "live",
      settings: { engine: "sqlite", path: file },
    });
    expect(created.statusCode, created.body).toBe(201);
    const result = await call(ann, "POST", "/sql", {
      sql: "select page from visits order by id",
      sourceId: created.json().id,
    });
    expect(result.json().rows).toEqual([["/"], ["/pricing"]]);
    const outside = await call(ann, "POST", "/sources/connections/test", {
      engine: "sqlite",
      path: "/etc/passwd",
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ code: "connection_failed", problem: "not_allowed" });
  });

  it("deleting the workspace closes its connections and schedules", async () => {
    const owner = await signUp(app, "dora@example.com");
    const created = await call(owner, "POST", "/sources/connections", {
      name: "Temp",
      mode: "import",
      settings: myRemote.settings,
      refreshCron: "hourly",
    });
    const id = created.json().id;
    expect(await app.platform.jobs.schedules.get(`sources.import:${id}`)).toBeDefined();
    const removed = await call(owner, "DELETE", `/workspaces/${owner.workspaceId}`);
    expect(removed.statusCode, removed.body).toBe(204);
    for (let i = 0; i < 100 && (await app.platform.jobs.schedules.get(`sources.import:${id}`)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await app.platform.jobs.schedules.get(`sources.import:${id}`)).toBeUndefined();
  });
});
