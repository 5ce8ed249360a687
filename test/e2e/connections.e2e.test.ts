import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { setUpOwner, signUp, type TestSession } from "../helpers/auth.js";
import { hasChromium, hasPostgres, postgresAdminUrl } from "../helpers/services.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see, signInThroughPage } from "./browser.js";

const postgresUp = hasChromium() && (await hasPostgres());
// A schema of its own in the test database, so the source lists just this test's table.
const schema = `sl_e2e_${randomBytes(4).toString("hex")}`;
const server = new URL(postgresAdminUrl);

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresUp)("connecting a PostgreSQL database in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];
  let analyst: TestSession;

  const nav = (name: string) =>
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
  const wizard = () => page.getByRole("form", { name: "Connect a database" });

  beforeAll(async () => {
    await admin(`create schema ${schema}`);
    await admin(
      `create table ${schema}.widgets (widget_id integer primary key, name text not null, price numeric(8,2))`,
    );
    await admin(
      `insert into ${schema}.widgets values (1, 'Sprocket', 2.50), (2, 'Gear', 4.75), (3, 'Flange', 9.00)`,
    );
    buildWeb();
    app = await createTestApp({ env: { DB_CONNECT_TIMEOUT_MS: "3000" } });
    await app.startWorkers();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    await setUpOwner(app, "operator@example.com");
    analyst = await signUp(app, "cora@example.com", { name: "Cora Connect" });
    browser = await launchChromium();
    page = await browser.newPage({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await admin(`drop schema if exists ${schema} cascade`).catch(() => undefined);
  });

  it("walks the wizard: engine, settings, a failed and a passing test, then a live source", async () => {
    await signInThroughPage(app, page, base, analyst.user.email);
    await nav("Sources").click();
    await page.getByRole("group", { name: "Add data" }).getByText("Connect a database").click();
    await screenshot(page, "sources-connect-choice");
    await page.getByRole("link", { name: "PostgreSQL" }).click();
    await page.waitForURL(`${base}/sources/connect?engine=postgres`);
    await see(page.getByRole("heading", { level: 1, name: "Connect a database" }));

    const create = wizard().getByRole("button", { name: "Create source" });
    expect(await create.isDisabled()).toBe(true);
    expect(await wizard().getByLabel("Port", { exact: true }).getAttribute("placeholder")).toBe("5432");
    await wizard().getByLabel("Host", { exact: true }).fill(server.hostname);
    await wizard().getByLabel("Database", { exact: true }).fill("no_such_database");
    await wizard()
      .getByLabel("User", { exact: true })
      .fill(decodeURIComponent(server.username) || "postgres");
    await wizard().getByRole("button", { name: "Test connection" }).click();
    const failed = page.getByRole("alert").filter({ hasText: "Could not connect." });
    await see(failed.getByText(/no database by that name/));
    expect(await create.isDisabled()).toBe(true);
    await screenshot(page, "connect-test-failed");

    await wizard().getByLabel("Database", { exact: true }).fill(server.pathname.slice(1));
    await wizard().getByLabel("Schema (optional)", { exact: true }).fill(schema);
    await wizard().getByRole("button", { name: "Test connection" }).click();
    await see(
      page
        .getByRole("status")
        .filter({ hasText: "Connected." })
        .getByText(/^PostgreSQL \d+/),
    );

    await wizard().getByLabel("Name", { exact: true }).fill("Widget shop");
    await see(wizard().getByText("Queries run in the database itself"));
    await wizard().getByText("Import", { exact: true }).click();
    await see(wizard().getByLabel("Refresh schedule", { exact: true }));
    await wizard().getByText("Live", { exact: true }).click();
    expect(await wizard().getByLabel("Refresh schedule", { exact: true }).count()).toBe(0);
    await screenshot(page, "connect-wizard");

    await create.click();
    await page.waitForURL(/\/sources\/[0-9a-f-]{36}$/);
    await see(page.getByRole("heading", { level: 1, name: "Widget shop" }));
    await see(page.getByText("PostgreSQL · live"));
  });

  it("shows the database's table with its keys, a preview and the connection", async () => {
    const table = page.getByRole("region", { name: `Table ${schema}.widgets` });
    await see(table);
    await see(table.getByText("≈", { exact: false }));
    const columns = table.getByRole("table", { name: `Columns of ${schema}.widgets` });
    await see(columns.getByRole("row").filter({ hasText: "widget_id" }).getByText("primary key"));
    await see(columns.getByRole("row").filter({ hasText: "price" }).getByText("decimal"));
    await screenshot(page, "source-database-schema");

    await page.getByRole("tab", { name: "Preview" }).click();
    await see(page.getByRole("table", { name: /^Preview of / }).getByRole("cell", { name: "Flange" }));

    await page.getByRole("tab", { name: "Profile" }).click();
    await see(page.getByRole("heading", { name: "Live sources are not profiled" }));

    await page.getByRole("tab", { name: "Connection" }).click();
    await see(page.getByText(schema, { exact: true }));
    await page.getByRole("button", { name: "Test connection" }).click();
    await see(page.getByRole("status").filter({ hasText: "Connected." }));
    await page.getByRole("button", { name: "Describe tables again" }).click();
    await see(page.getByRole("button", { name: "Describe tables again" }));
    await screenshot(page, "source-database-connection");
  });

  it("runs a query in the live database from the SQL page", async () => {
    await nav("SQL").click();
    await page.getByLabel("Run in", { exact: true }).selectOption({ label: "Widget shop (live database)" });
    const tables = page.getByRole("complementary", { name: "Tables" });
    await see(tables.getByRole("heading", { name: "Tables of Widget shop" }));
    await tables.getByRole("button", { name: new RegExp(`${schema}\\.widgets`) }).click();
    const editor = page.getByRole("textbox", { name: "SQL" });
    expect(await editor.inputValue()).toBe(`select * from ${schema}.widgets limit 100`);

    await editor.fill(`select name, price from ${schema}.widgets where price > 3 order by price`);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    const results = page.getByRole("table", { name: "Query results" });
    await see(results);
    const rows = await results
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
    expect(rows).toEqual([
      ["1", "Gear", "4.75"],
      // The live result types PostgreSQL's numeric without its scale, so 9.00 shows as 9.
      ["2", "Flange", "9"],
    ]);
    await screenshot(page, "sql-live-database");

    // The export runs in the live database too, with no row cap.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^query-.*\.csv$/);
    expect(readFileSync(await download.path(), "utf8")).toBe("name,price\nGear,4.75\nFlange,9.00\n");
  });

  it("cancels a long query in the live database", async () => {
    const editor = page.getByRole("textbox", { name: "SQL" });
    // Sleep functions are refused by the guard; counting half a billion numbers takes a while instead.
    await editor.fill("select count(*) as n from generate_series(1, 500000000) as g");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    const cancel = page.getByRole("button", { name: "Cancel" });
    await see(cancel);
    await screenshot(page, "sql-running");
    await cancel.click();
    await see(page.getByText("Query cancelled."));
    await see(page.getByRole("button", { name: "Run", exact: true }));
  });

  it("logs no console errors along the way", () => {
    // Expected: the 400 of the failed connection test and the 499 of the cancelled query.
    const expected = (line: string) =>
      (line.includes("/api/v1/sources/connections/test") && line.includes("400")) ||
      (line.includes("/api/v1/sql") && line.includes("499"));
    expect(errors.filter((line) => !expected(line))).toEqual([]);
  });
});
