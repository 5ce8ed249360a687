import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAccount } from "../../src/modules/auth/first-run.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { logIn, type TestSession } from "../helpers/auth.js";
import { hasChromium } from "../helpers/services.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see, signInThroughPage } from "./browser.js";

const question = "Monthly revenue";

/** The first day of the month `months` before today, and today, as ISO dates. */
function lastMonths(months: number): { from: string; to: string } {
  const today = new Date();
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months, 1));
  return { from: from.toISOString().slice(0, 10), to: today.toISOString().slice(0, 10) };
}

describe.skipIf(!hasChromium())("ask → pin to a new dashboard → filter → reload, in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];
  let demo: TestSession;
  let dashboardId = "";
  const range = lastMonths(5);

  const api = async (url: string) => {
    const response = await app.http.inject({ url: `/api/v1${url}`, headers: demo.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    buildWeb();
    app = await createTestApp({ env: { DEMO: "true" } });
    await app.startWorkers();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    demo = await logIn(app, demoAccount.email, demoAccount.password);
    const deadline = Date.now() + 60_000;
    while (
      (await api("/sources")).items.filter((source: { status: string }) => source.status === "ready").length <
      3
    ) {
      if (Date.now() > deadline) throw new Error("the demo sample data never loaded");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    browser = await launchChromium();
    page = await browser.newPage({ colorScheme: "light", viewport: { width: 1360, height: 950 } });
    errors = collectErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("pins an answer to a new dashboard from the Ask page", async () => {
    await signInThroughPage(app, page, base, demoAccount.email, demoAccount.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboards" }).click();
    await see(page.getByText("No dashboards yet"));
    await screenshot(page, "dashboards-empty");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ask" }).click();
    await page.getByRole("textbox", { name: "Question" }).fill(question);
    await page.getByRole("textbox", { name: "Question" }).press("Enter");
    const card = page.getByRole("article", { name: `Answer: ${question}`, exact: true });
    await see(card.getByRole("table"));
    await card.getByRole("button", { name: "Pin to dashboard" }).click();
    const dialog = page.getByRole("form", { name: "Pin to dashboard" });
    await see(dialog);
    await dialog.getByLabel("Dashboard", { exact: true }).selectOption({ label: "A new dashboard" });
    await dialog.getByLabel("New dashboard's title").fill("Sales overview");
    await dialog.getByRole("button", { name: "Pin", exact: true }).click();
    await see(card.getByRole("link", { name: "Sales overview" }));
    await card.getByRole("link", { name: "Sales overview" }).click();

    await see(page.getByRole("heading", { level: 1, name: "Sales overview" }));
    dashboardId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const widget = page.getByRole("article", { name: question });
    await see(widget.getByTestId("echart"));
    await expect.poll(() => widget.locator("canvas").count()).toBeGreaterThan(0);
    await screenshot(page, "dashboard-pinned");
  });

  it("adds a date filter that narrows the widget, and moves the widget on the grid", async () => {
    await page.getByRole("button", { name: "Add filter" }).click();
    const form = page.getByRole("form", { name: "Add a filter" });
    await form.getByLabel("Column").fill("month");
    await form.getByLabel("Label (optional)").fill("Period");
    await form.getByLabel("Kind").selectOption("date_range");
    await form.getByRole("button", { name: "Add filter" }).click();
    await page.getByLabel("Period from").fill(range.from);
    await page.getByLabel("Period to").fill(range.to);
    await page.getByRole("button", { name: "Apply filters" }).click();
    const widget = page.getByRole("article", { name: question });
    await see(widget.getByText("Filtered"));

    const detail = await api(`/dashboards/${dashboardId}`);
    expect(detail.filters).toEqual([
      { id: "month", field: "month", label: "Period", kind: "date_range", value: range },
    ]);
    const data = await api(`/dashboards/${dashboardId}/widgets/${detail.widgets[0].id}/data`);
    expect(data.applied).toEqual(["month"]);
    expect(data.rows.length).toBeGreaterThan(3);
    expect(data.rows.length).toBeLessThanOrEqual(6);
    for (const row of data.rows) expect(String(row[0]).slice(0, 10) >= range.from).toBe(true);

    // Drag the widget by its title to the right half of the grid.
    await page.getByRole("button", { name: "Edit layout" }).click();
    const handle = widget.locator(".drag-handle");
    const box = await handle.boundingBox();
    if (!box) throw new Error("the widget has no title to drag by");
    const grid = await page.locator(".dashboard-grid").boundingBox();
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 20 + (grid?.width ?? 1200) / 2, box.y + box.height / 2 + 4, { steps: 12 });
    await page.mouse.up();
    await expect
      .poll(async () => (await api(`/dashboards/${dashboardId}`)).widgets[0].layout.x)
      .toBeGreaterThanOrEqual(5);
    await page.getByRole("button", { name: "Done" }).click();
    await screenshot(page, "dashboard-filtered");
  });

  it("keeps the layout and the filter after a reload", async () => {
    const before = (await api(`/dashboards/${dashboardId}`)).widgets[0].layout;
    await page.reload();
    await see(page.getByRole("heading", { level: 1, name: "Sales overview" }));
    expect(await page.getByLabel("Period from").inputValue()).toBe(range.from);
    expect(await page.getByLabel("Period to").inputValue()).toBe(range.to);
    const widget = page.getByRole("article", { name: question });
    await see(widget.getByText("Filtered"));
    await expect.poll(() => widget.locator("canvas").count()).toBeGreaterThan(0);
    expect((await api(`/dashboards/${dashboardId}`)).widgets[0].layout).toEqual(before);
    // The grid draws it where it was saved: in the right half.
    const grid = await page.locator(".dashboard-grid").boundingBox();
    const placed = await widget.boundingBox();
    expect((placed?.x ?? 0) - (grid?.x ?? 0)).toBeGreaterThan((grid?.width ?? 0) / 3);
    await screenshot(page, "dashboard-reloaded");
    expect(errors).toEqual([]);
  });

  it("reads a widget's insights as sentences", async () => {
    const widget = page.getByRole("article", { name: question });
    await widget.getByRole("button", { name: "Insights" }).click();
    const list = page.getByRole("list", { name: "Insights" });
    await see(list);
    await see(list.getByText(/^revenue|^total_amount|over \d+ months/));
    await see(list.getByText("Forecast", { exact: true }));
    await screenshot(page, "dashboard-insights");
    await page.keyboard.press("Escape");
  });

  it("changes how a widget is drawn in the chart editor, with a preview", async () => {
    await page.getByRole("button", { name: "Edit layout" }).click();
    const widget = page.getByRole("article", { name: question });
    await widget.getByRole("button", { name: "Edit chart" }).click();
    const editor = page.getByRole("form", { name: "Edit chart" });
    await see(editor.getByRole("region", { name: "Preview" }).getByTestId("echart"));
    await editor.getByLabel("Type").selectOption({ label: "Bar" });
    await editor.getByLabel("Colours").selectOption({ label: "Warm" });
    await editor.getByLabel("Show values on the chart").check();
    await screenshot(page, "dashboard-chart-editor");
    await editor.getByRole("button", { name: "Save chart" }).click();
    await expect
      .poll(async () => (await api(`/dashboards/${dashboardId}`)).widgets[0].spec)
      .toMatchObject({ type: "bar", labels: true, colors: expect.arrayContaining(["#d9480f"]) });
    await page.getByRole("button", { name: "Done" }).click();
    await expect.poll(() => widget.locator("canvas").count()).toBeGreaterThan(0);
  });

  it("shows the dashboard read-only through a public link, without signing in", async () => {
    await page.getByRole("button", { name: "Share" }).click();
    await page.getByRole("button", { name: "Create public link" }).click();
    const link = await page.getByLabel("Public link").inputValue();
    expect(link).toContain("/shared/");
    const visitor = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await visitor.goto(link);
    await see(visitor.getByRole("heading", { level: 1, name: "Sales overview" }));
    const widget = visitor.getByRole("article", { name: question });
    await expect.poll(() => widget.locator("canvas").count()).toBeGreaterThan(0);
    await screenshot(visitor, "dashboard-public");
    await visitor.close();
  });

  it("subscribes to the dashboard and sets an alert on a question; both show on the Alerts page", async () => {
    await page.goto(`${base}/dashboards/${dashboardId}`);
    await page.getByRole("button", { name: "Subscribe" }).click();
    const subscribe = page.getByRole("form", { name: "Subscribe" });
    await subscribe.getByLabel("As").selectOption("pdf");
    await subscribe.getByRole("button", { name: "Subscribe" }).click();
    await see(page.getByRole("heading", { level: 1, name: "Sales overview" }));

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ask" }).click();
    await page.getByRole("link", { name: "New conversation" }).click();
    await page.getByRole("textbox", { name: "Question" }).fill("Total revenue");
    await page.getByRole("textbox", { name: "Question" }).press("Enter");
    const card = page.getByRole("article", { name: "Answer: Total revenue", exact: true });
    await see(card.getByRole("button", { name: "Alert me" }));
    await card.getByRole("button", { name: "Alert me" }).click();
    const form = page.getByRole("form", { name: "Alert me" });
    await form.getByLabel("Value").fill("1");
    await form.getByRole("button", { name: "Create alert" }).click();
    await see(page.getByText("The alert is set."));
    await page.getByRole("link", { name: "Alerts page" }).click();

    await see(page.getByRole("heading", { level: 1, name: "Alerts" }));
    const alerts = page.getByRole("list", { name: "Alerts" });
    await see(alerts.getByText("Total revenue").first());
    await see(page.getByRole("list", { name: "Subscriptions" }).getByText("Dashboard as PDF"));
    await alerts.getByRole("button", { name: "Check now" }).click();
    await alerts.getByRole("button", { name: "Total revenue", exact: true }).click();
    await expect
      .poll(
        async () => {
          await page.reload();
          await page
            .getByRole("list", { name: "Alerts" })
            .getByRole("button", { name: "Total revenue", exact: true })
            .click();
          return page.getByRole("list", { name: "History of Total revenue" }).getByText("Sent").count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await screenshot(page, "alerts");
    const mails = (await app.platform.mail.list({ limit: 50, to: demoAccount.email })).items;
    expect(mails.map((mail) => mail.subject)).toContain("Alert: Total revenue");
  }, 60_000);

  it("makes a dashboard from a template for a table", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboards" }).click();
    await page.getByRole("button", { name: "From a template" }).click();
    const form = page.getByRole("form", { name: "From a template" });
    await form.getByLabel("Template").selectOption({ label: "Table overview" });
    await form.getByLabel("Table").selectOption("orders");
    await form.getByRole("button", { name: "Create" }).click();
    await see(page.getByRole("heading", { level: 1, name: "orders: Table overview" }));
    await expect.poll(() => page.getByTestId("widget").count()).toBe(5);
    await see(page.getByRole("article", { name: "Latest rows" }).getByRole("table"));
    await screenshot(page, "dashboard-template");
  });
});
