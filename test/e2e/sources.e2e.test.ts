import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { setUpOwner, signUp, type TestSession } from "../helpers/auth.js";
import { hasChromium } from "../helpers/services.js";
import { addMember } from "../helpers/workspaces.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see, signInThroughPage } from "./browser.js";

const orders = [
  "order_id,customer,amount,ordered_on",
  "1,Acme,100.50,2024-03-01",
  "2,Globex,75.00,2024-03-02",
  "3,Acme,39.99,2024-03-03",
  "4,Initech,12.00,2024-03-04",
  "5,Globex,30.25,2024-03-05",
].join("\n");

describe.skipIf(!hasChromium())("sources and SQL in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];
  let analyst: TestSession;
  let viewer: TestSession;

  const signIn = (on: Page, email: string) => signInThroughPage(app, on, base, email);

  const nav = (name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name });
  const sourceRow = (name: string) =>
    page.getByRole("table", { name: "Sources" }).getByRole("row").filter({ hasText: name });
  const editor = () => page.getByRole("textbox", { name: "SQL" });

  beforeAll(async () => {
    buildWeb(); // before the app starts: the static plugin lists dist/web when it registers
    app = await createTestApp();
    await app.startWorkers(); // uploads load in a background job
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    const address = app.http.server.address() as AddressInfo;
    base = `http://127.0.0.1:${address.port}`;
    await setUpOwner(app, "operator@example.com");
    analyst = await signUp(app, "ada@example.com", { name: "Ada Analyst" }); // owner of her own workspace
    viewer = await addMember(app, analyst, "victor@example.com", "viewer");

    browser = await launchChromium();
    page = await browser.newPage({ colorScheme: "light", viewport: { width: 1280, height: 860 } });
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("starts empty, uploads a CSV with a progress bar, and lists it as ready", async () => {
    await signIn(page, analyst.user.email);
    await nav("Sources").click();
    await page.waitForURL(`${base}/sources`);
    await see(page.getByRole("heading", { level: 1, name: "Sources" }));
    await see(page.getByRole("heading", { name: "No data yet" }));
    const upload = page.getByRole("button", { name: "Upload", exact: true });
    expect(await upload.isDisabled()).toBe(true); // nothing chosen yet
    await screenshot(page, "sources-empty");

    await page.getByLabel("Data file").setInputFiles({
      name: "orders.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(orders),
    });
    await see(page.getByText("orders.csv", { exact: true }));

    // Held back for a moment, so the bar is on screen long enough to see on a fast loopback.
    await page.route("**/api/v1/sources", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return route.continue();
    });
    await upload.click();
    const bar = page.getByRole("progressbar", { name: "Uploading orders.csv" });
    await see(bar);
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(0);
    await screenshot(page, "sources-uploading");

    await see(page.getByRole("status").getByText("orders.csv uploaded."));
    await page.unrouteAll();
    await see(sourceRow("orders.csv").locator('[data-status="ready"]'));
    expect(await bar.count()).toBe(0);
    await see(sourceRow("orders.csv").getByText("5 rows"));
    await screenshot(page, "sources-list");
  });

  it("shows the source's tables, columns with their types, and a preview of its rows", async () => {
    await sourceRow("orders.csv").getByRole("link", { name: "orders.csv" }).click();
    await page.waitForURL(/\/sources\/[0-9a-f-]{36}$/);
    await see(page.getByRole("heading", { level: 1, name: "orders.csv" }));

    const schema = page.getByRole("table", { name: "Columns of orders" });
    await see(schema);
    const columns = await schema.locator("tbody tr td:first-child").allTextContents();
    expect(columns).toEqual(["order_id", "customer", "amount", "ordered_on"]);
    await see(schema.getByRole("row").filter({ hasText: "ordered_on" }).getByText("date", { exact: true }));
    await see(page.getByRole("region", { name: "Table orders" }).getByText("5 rows"));
    await screenshot(page, "sources-detail-schema");

    await page.getByRole("tab", { name: "Preview" }).click();
    const preview = page.getByRole("table", { name: "Preview of orders" });
    await see(preview);
    expect(await preview.locator("tbody tr").count()).toBe(5);
    await see(preview.getByRole("cell", { name: "Initech" }));
    await screenshot(page, "sources-detail");

    await page.goto(`${base}/sources/00000000-0000-4000-8000-000000000000`);
    await see(page.getByRole("heading", { level: 1, name: "Source not found" }));
  });

  it("runs a GROUP BY on the SQL page and shows the rows with their column types", async () => {
    await nav("SQL").click();
    await page.waitForURL(`${base}/sql`);
    const tables = page.getByRole("complementary", { name: "Tables" });
    await see(tables.getByRole("list", { name: "Columns of orders" }).getByText("customer"));

    await tables.getByRole("button", { name: /orders/ }).click();
    expect(await editor().inputValue()).toBe("select * from orders limit 100");

    await editor().fill(
      "select customer, sum(amount) as total, count(*) as orders\nfrom orders\ngroup by 1\norder by 1",
    );
    await editor().press("Control+Enter");
    const results = page.getByRole("table", { name: "Query results" });
    await see(results);
    await see(page.getByRole("status").getByText(/^3 rows · [\d.,]+ ms$/));
    const rows = await results
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
    expect(rows).toEqual(
      [
        ["1", "Acme", "140.49", "2"],
        ["2", "Globex", "105.25", "2"],
        ["3", "Initech", "12", "1"],
      ].map((row) => row.map(String)),
    );
    await see(results.locator("th").filter({ hasText: "total" }).getByText("decimal"));
    await screenshot(page, "sql-results");
  });

  it("shows the guard's refusal of a write with its reason", async () => {
    await editor().fill("delete from orders");
    await page.getByRole("button", { name: "Run" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "Query refused." });
    await see(refusal);
    await see(refusal.getByText("not_select", { exact: true }));
    expect(await page.getByRole("table", { name: "Query results" }).count()).toBe(0);
    await screenshot(page, "sql-refused");
  });

  it("shows the server's reason when an empty file is uploaded", async () => {
    await nav("Sources").click();
    await page
      .getByLabel("Data file")
      .setInputFiles({ name: "empty.csv", mimeType: "text/csv", buffer: Buffer.alloc(0) });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const failure = page.getByRole("alert").filter({ hasText: "Upload failed." });
    await see(failure);
    await see(failure.getByText(/empty\.csv is empty/));
    expect(await sourceRow("empty.csv").count()).toBe(0);
    await screenshot(page, "sources-upload-error");
  });

  it("lets a viewer browse and query but not upload or delete", async () => {
    const context = await browser.newContext({
      colorScheme: "light",
      viewport: { width: 1280, height: 860 },
    });
    const other = await context.newPage();
    const otherErrors = collectErrors(other);
    try {
      await signIn(other, viewer.user.email);
      // The viewer has a workspace of their own too; work in the analyst's.
      await other.evaluate((id) => localStorage.setItem("sightline.workspace", id), analyst.workspaceId);
      await other.goto(`${base}/sources`);
      await see(other.getByText("only analysts, admins and owners upload or delete it"));
      await see(other.getByRole("table", { name: "Sources" }).getByText("orders.csv"));
      expect(await other.getByRole("button", { name: "Upload", exact: true }).count()).toBe(0);
      expect(await other.getByRole("button", { name: /^Delete/ }).count()).toBe(0);
      await screenshot(other, "sources-viewer");
      expect(otherErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("deletes a source after asking", async () => {
    await sourceRow("orders.csv").getByRole("button", { name: "Delete orders.csv" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete orders.csv?" });
    await see(dialog.getByText("orders"));
    await screenshot(page, "sources-delete-confirm");
    await dialog.getByRole("button", { name: "Delete source" }).click();
    await see(page.getByRole("heading", { name: "No data yet" }));
  });

  it("logs no console errors along the way", () => {
    // Expected: the 400s of the refused query and the empty upload, and the 404 of the missing source.
    const expected = (line: string) =>
      (line.includes("/api/v1/sql") && line.includes("400")) ||
      (line.includes("/api/v1/sources") && /\b(400|404)\b/.test(line));
    expect(errors.filter((line) => !expected(line))).toEqual([]);
  });
});
