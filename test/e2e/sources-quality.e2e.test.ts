import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { setUpOwner, signUp, type TestSession } from "../helpers/auth.js";
import { hasChromium } from "../helpers/services.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see, signInThroughPage } from "./browser.js";

// Line 4 has a column too many and line 7 one too few: malformed, skipped under the `skip` policy.
// (A row short of two columns counts twice on the server, one error per missing column.)
const readings = [
  "reading_id,sensor,reading,taken_on",
  "1,north,12.5,2024-05-01",
  "2,north,13.0,2024-05-02",
  "3,south,9.75,2024-05-02,extra",
  "4,south,10.25,2024-05-03",
  "5,east,21.0,2024-05-04",
  "6,east,21.5",
  "7,west,30.5,2024-05-06",
  "8,west,31.0,2024-05-07",
].join("\n");

const customers = [
  "customer_id,name,region",
  "1,Acme,EU",
  "2,Globex,US",
  "3,Initech,US",
  "4,Umbrella,EU",
].join("\n");

const orders = [
  "order_id,customer_id,amount",
  "100,1,120.50",
  "101,2,80.00",
  "102,1,19.99",
  "103,3,55.00",
  "104,2,42.00",
  "105,4,7.50",
].join("\n");

describe.skipIf(!hasChromium())("data quality, profiles, relationships and exports in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];
  let analyst: TestSession;

  const nav = (name: string) =>
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
  const sourceRow = (name: string) =>
    page.getByRole("table", { name: "Sources" }).getByRole("row").filter({ hasText: name });
  const tab = (name: string) => page.getByRole("tab", { name });

  async function upload(name: string, content: string, policy?: "Skip and set aside") {
    await nav("Sources").click();
    await page.waitForURL(`${base}/sources`);
    if (policy) await page.getByRole("group", { name: "Malformed rows" }).getByText(policy).click();
    await page
      .getByLabel("Data file")
      .setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(content) });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await see(page.getByRole("status").getByText(`${name} uploaded.`));
    await see(sourceRow(name).locator('[data-status="ready"]'));
  }

  beforeAll(async () => {
    buildWeb();
    app = await createTestApp();
    await app.startWorkers();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    await setUpOwner(app, "operator@example.com");
    analyst = await signUp(app, "quinn@example.com", { name: "Quinn Quality" });
    browser = await launchChromium();
    page = await browser.newPage({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("offers the file types and the malformed-row policy, and loads a messy CSV by skipping its bad rows", async () => {
    await signInThroughPage(app, page, base, analyst.user.email);
    await nav("Sources").click();
    await see(page.getByRole("region", { name: "Add data" }));
    const accept = await page.getByLabel("Data file").getAttribute("accept");
    for (const extension of [".csv", ".xlsx", ".sqlite", ".duckdb", ".parquet"]) {
      expect(accept).toContain(extension);
    }
    await see(page.getByText("A CSV row that cannot be read stops the load"));
    await screenshot(page, "sources-add-data");

    await upload("readings.csv", readings, "Skip and set aside");
    await see(sourceRow("readings.csv").getByText("6 rows"));
  });

  it("says on the source how many rows were skipped, lists them as a quality issue, and downloads them", async () => {
    await sourceRow("readings.csv").getByRole("link", { name: "readings.csv" }).click();
    await see(page.getByRole("heading", { level: 1, name: "readings.csv" }));
    await see(page.getByRole("alert").getByText("2 malformed rows were skipped"));

    await tab("Quality").click();
    const issues = page.getByRole("list", { name: "Quality issues" });
    await see(issues);
    const malformed = issues.getByRole("listitem").filter({ hasText: "Malformed rows" });
    await see(malformed.getByText("2 malformed rows could not be read and were skipped"));
    const link = malformed.getByRole("link", { name: /Download skipped rows \(2\)/ });
    await see(link);
    expect(await link.getAttribute("href")).toMatch(/\/api\/v1\/sources\/[0-9a-f-]{36}\/quarantine$/);
    await screenshot(page, "source-quality");

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("readings-rejected-rows.csv");
    const saved = await download.path();
    const lines = readFileSync(saved, "utf8").trim().split("\n");
    expect(lines[0]).toBe("line,error,original_line");
    expect(lines).toHaveLength(3);
  });

  it("profiles each column, with a histogram of the numbers", async () => {
    await tab("Profile").click();
    const profile = page.getByRole("table", { name: "Columns of readings" });
    await see(profile);
    const sensor = profile.getByRole("row").filter({ hasText: "sensor" });
    await see(sensor.getByRole("list", { name: "Top values of sensor" }).getByText("north"));
    const histogram = profile.getByRole("img", { name: "Distribution of reading" });
    await see(histogram);
    expect(await histogram.locator("rect").count()).toBeGreaterThan(1);
    await see(profile.getByRole("row").filter({ hasText: "reading" }).getByText("10.25 – 31"));
    await screenshot(page, "source-profile");

    await tab("Preview").click();
    await see(
      page.getByRole("table", { name: "Preview of readings" }).getByRole("cell", { name: "west" }).first(),
    );
  });

  it("finds that orders refer to customers, and lets a person dismiss the relationship", async () => {
    await upload("customers.csv", customers);
    await upload("orders.csv", orders);
    await nav("Relationships").click();
    await page.waitForURL(`${base}/relationships`);
    await see(page.getByRole("heading", { level: 1, name: "Relationships" }));
    const row = page
      .getByRole("table", { name: "Relationships" })
      .getByRole("row")
      .filter({ hasText: "orders.customer_id" })
      .filter({ hasText: "customers.customer_id" });
    // Detection runs just after a load turns ready: look again for a few seconds if it is not in yet.
    for (let attempt = 0; attempt < 10 && (await row.count()) === 0; attempt++) {
      await page.waitForTimeout(500);
      await page.reload();
      await see(page.getByRole("heading", { level: 1, name: "Relationships" }));
    }
    await see(row);
    await see(row.getByText("detected"));
    await see(row.getByText("100%"));
    await see(row.locator('[data-status="active"]'));
    await screenshot(page, "relationships");

    await row.getByRole("button", { name: /^Dismiss orders\.customer_id/ }).click();
    await see(row.locator('[data-status="dismissed"]'));
    await see(row.getByRole("button", { name: /^Restore/ }));
    await page.getByRole("group", { name: "Show" }).getByText("Active", { exact: true }).click();
    await see(page.getByRole("heading", { name: "No relationships yet" }));
    await page.getByRole("group", { name: "Show" }).getByText("All", { exact: true }).click();
    await see(row.locator('[data-status="dismissed"]'));
    await screenshot(page, "relationships-dismissed");
  });

  it("adds a relationship by hand from the workspace's tables and columns", async () => {
    await page.getByRole("button", { name: "Add relationship" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a relationship" });
    await dialog.getByLabel("From table").selectOption("orders");
    await dialog.getByLabel("From column").selectOption("order_id");
    await dialog.getByLabel("To table").selectOption("readings");
    await dialog.getByLabel("To column").selectOption("reading_id");
    await screenshot(page, "relationships-add");
    await dialog.getByRole("button", { name: "Add relationship" }).click();
    const manual = page.getByRole("row").filter({ hasText: "orders.order_id" });
    await see(manual.getByText("manual"));
    await manual.getByRole("button", { name: /^Delete/ }).click();
    await page
      .getByRole("dialog", { name: "Delete this relationship?" })
      .getByRole("button", { name: "Delete relationship" })
      .click();
    await expect.poll(() => manual.count()).toBe(0);
  });

  it("runs a query, says when the answer came from the cache, and exports the result as CSV", async () => {
    await nav("SQL").click();
    const editor = page.getByRole("textbox", { name: "SQL" });
    await editor.fill("select sensor, count(*) as n from readings group by 1 order by 1");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await see(page.getByRole("table", { name: "Query results" }));
    expect(await page.locator(".sql-cached").count()).toBe(0);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await see(page.getByRole("status").getByText("cached"));
    await screenshot(page, "sql-cached");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^query-.*\.csv$/);
    const csv = readFileSync(await download.path(), "utf8")
      .trim()
      .split(/\r?\n/);
    expect(csv).toEqual(["sensor,n", "east,1", "north,2", "south,1", "west,2"]);
  });

  it("logs no console errors along the way", () => {
    expect(errors).toEqual([]);
  });
});
