import type { AddressInfo } from "node:net";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAccount } from "../../src/modules/auth/first-run.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { logIn, type TestSession } from "../helpers/auth.js";
import { hasChromium } from "../helpers/services.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see, signInThroughPage } from "./browser.js";

/** A full-page screenshot from the top: the shell's sticky bars would land mid-page in a scrolled one. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

/** The rows of a result table, as the cells' text (without the row number). */
const cellsOf = (table: Locator) =>
  table
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent).slice(1)),
    );

/** A ranking that names nothing to rank: on the demo data, customers or products, by their orders. */
const ambiguous = "who is the best?";

describe.skipIf(!hasChromium())("a clarification on the Ask page, in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];
  let demo: TestSession;
  /** The reading chosen in the card: its label and its SQL. */
  let choice = { label: "", sql: "" };

  const cards = () => page.getByRole("article", { name: `Answer: ${ambiguous}`, exact: true });
  /** The card that asks which reading was meant, and the one that answers the chosen reading. */
  const asking = () => cards().filter({ has: page.getByRole("region", { name: "Clarification" }) });
  const chosen = () => cards().filter({ hasText: "The reading you chose:" });

  /** What the workspace's data says, by a statement of the test's own, not the engine's. */
  const sql = async (statement: string) => {
    const response = await app.http.inject({
      method: "POST",
      url: "/api/v1/sql",
      headers: demo.headers,
      payload: { sql: statement },
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().rows as unknown[][]).map((row) => row.map(String));
  };

  beforeAll(async () => {
    buildWeb();
    app = await createTestApp({ env: { DEMO: "true" } });
    await app.startWorkers();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    demo = await logIn(app, demoAccount.email, demoAccount.password);
    // The sample data loads in the background; the question needs its three tables and their joins.
    const get = async (url: string) =>
      (await app.http.inject({ url, headers: demo.headers })).json().items as Record<string, unknown>[];
    const loaded = async () =>
      (await get("/api/v1/sources")).filter((source) => source.status === "ready").length === 3 &&
      (await get("/api/v1/relationships")).length === 2;
    const deadline = Date.now() + 60_000;
    while (!(await loaded())) {
      if (Date.now() > deadline) throw new Error("the demo sample data never loaded");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    browser = await launchChromium();
    page = await browser.newPage({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("asks which reading an ambiguous question meant, with the options", async () => {
    await signInThroughPage(app, page, base, demoAccount.email, demoAccount.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ask" }).click();
    await see(page.getByRole("heading", { level: 1, name: "Ask" }));
    await page.getByRole("textbox", { name: "Question" }).fill(ambiguous);
    await page.getByRole("textbox", { name: "Question" }).press("Enter");

    const card = asking();
    await see(card);
    expect(await cards().count()).toBe(1);
    const clarification = card.getByRole("region", { name: "Clarification" });
    await see(clarification.getByText("Which of these did you mean?"));
    await see(card.getByText(/ambiguous/));
    await see(card.getByText("Low confidence"));
    // Nothing is answered until a reading is chosen: no chart, no rows, no SQL.
    expect(await card.getByRole("table").count()).toBe(0);
    expect(await card.locator("details").count()).toBe(0);
    const options = clarification.getByRole("button");
    expect(await options.count()).toBe(2);
    await see(options.filter({ hasText: /by customers/ }));
    await see(options.filter({ hasText: /by products/ }));
    await shot(page, "ask-clarification");
  });

  it("answers exactly the chosen reading in the same conversation", async () => {
    const conversationUrl = page.url();
    expect(conversationUrl).toMatch(/\/ask\?c=[0-9a-f-]{36}$/);
    // The second reading listed, so the answer shows the index the click sent, not a default.
    const option = asking().getByRole("region", { name: "Clarification" }).getByRole("button").nth(1);
    const label = (await option.textContent()) ?? "";
    const table = /by (customers|products)/.exec(label)?.[1] ?? "";
    expect(table).not.toBe("");
    const other = table === "customers" ? "products" : "customers";
    const optionSql = (await option.getAttribute("title")) ?? "";
    expect(optionSql.toLowerCase()).toMatch(new RegExp(`from\\s+"?orders"?[\\s\\S]*join\\s+"?${table}"?`));
    expect(optionSql.toLowerCase()).not.toContain(other);
    choice = { label, sql: optionSql };
    await option.click();

    const answer = chosen();
    await see(answer);
    await page.getByRole("article", { name: `Answering: ${ambiguous}` }).waitFor({ state: "detached" });
    expect(page.url()).toBe(conversationUrl);
    expect(await cards().count()).toBe(2);
    await see(answer.getByText(`The reading you chose: ${label}`));
    await see(answer.getByText("High confidence"));
    expect(await answer.getByRole("region", { name: "Clarification" }).count()).toBe(0);
    // Its SQL is the option's, exactly; its rows are the customer or product with the most orders.
    expect(await answer.locator("details pre").textContent()).toBe(optionSql);
    const key = `${table.slice(0, -1)}_id`;
    const expected = await sql(
      `select t.name, count(*) from orders o join ${table} t on t.${key} = o.${key} ` +
        "group by t.name order by count(*) desc limit 1",
    );
    const result = answer.getByRole("table", { name: `Result of ${ambiguous}` });
    expect(await cellsOf(result)).toEqual(expected);
    await answer.getByText("SQL", { exact: true }).click();
    await see(answer.locator("details pre"));
    await see(
      page
        .getByRole("list", { name: "Conversations" })
        .getByRole("listitem")
        .first()
        .getByText(/2 questions/),
    );
    await shot(page, "ask-clarification-chosen");
  });

  it("keeps the chosen reading's answer after a reload and when the conversation is reopened", async () => {
    const conversationUrl = page.url();
    const rows = await cellsOf(chosen().getByRole("table"));
    /** The conversation as it was left: the clarification with its options, then the chosen reading's answer. */
    const asLeft = async () => {
      await see(chosen());
      expect(await cards().count()).toBe(2);
      await see(asking().getByRole("button", { name: choice.label, exact: true }));
      await see(chosen().getByText(`The reading you chose: ${choice.label}`));
      expect(await chosen().locator("details pre").textContent()).toBe(choice.sql);
      expect(await cellsOf(chosen().getByRole("table"))).toEqual(rows);
    };

    await page.reload();
    await asLeft();

    // Away to a new conversation, and back from the sidebar.
    await page.getByRole("link", { name: "New conversation" }).click();
    await page.waitForURL(`${base}/ask`);
    await see(page.getByRole("navigation", { name: "Example questions" }));
    expect(await cards().count()).toBe(0);
    await page
      .getByRole("list", { name: "Conversations" })
      .getByRole("link", { name: /who is the best/ })
      .click();
    await page.waitForURL(conversationUrl);
    await asLeft();
    await shot(page, "ask-clarification-reopened");
  });

  it("logs no console errors along the way", () => {
    expect(errors).toEqual([]);
  });
});
