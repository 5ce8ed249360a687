import type { AddressInfo } from "node:net";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { setUpOwner, signUp, type TestSession } from "../helpers/auth.js";
import { hasChromium } from "../helpers/services.js";
import { addMember } from "../helpers/workspaces.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see, signInThroughPage } from "./browser.js";

/** A full-page screenshot from the top: the shell's sticky bars would land mid-page in a scrolled one. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

const orders = [
  "order_id,customer,amount,ordered_on",
  "1,Acme,100.50,2024-03-01",
  "2,Globex,75.00,2024-03-02",
  "3,Acme,39.99,2024-03-03",
  "4,Initech,12.00,2024-03-04",
  "5,Globex,30.25,2024-03-05",
].join("\n");

/** The rows of a result table, as the cells' text (without the row number). */
const cellsOf = (table: Locator) =>
  table
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent).slice(1)),
    );

describe.skipIf(!hasChromium())("Ask in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];
  let analyst: TestSession;
  let viewer: TestSession;
  /** Live events the page's WebSocket received. */
  const frames: string[] = [];

  const nav = (name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name });
  const question = () => page.getByRole("textbox", { name: "Question" });
  const card = (text: string, on = page) => on.getByRole("article", { name: `Answer: ${text}`, exact: true });
  const ask = async (text: string, on = page) => {
    await on.getByRole("textbox", { name: "Question" }).fill(text);
    await on.getByRole("textbox", { name: "Question" }).press("Enter");
    await see(card(text, on));
  };

  beforeAll(async () => {
    buildWeb();
    app = await createTestApp();
    await app.startWorkers();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    await setUpOwner(app, "operator@example.com");
    analyst = await signUp(app, "ada@example.com", { name: "Ada Analyst" });
    viewer = await addMember(app, analyst, "victor@example.com", "viewer");

    browser = await launchChromium();
    page = await browser.newPage({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
    page.on("websocket", (socket) =>
      socket.on("framereceived", (frame) => frames.push(String(frame.payload))),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("opens from Home and suggests questions built from the workspace's tables", async () => {
    await signInThroughPage(app, page, base, analyst.user.email);
    const first = page.getByRole("navigation", { name: "Main" }).getByRole("link").first();
    expect(await first.textContent()).toBe("Ask");

    await nav("Sources").click();
    await page.getByLabel("Data file").setInputFiles({
      name: "orders.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(orders),
    });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const row = page
      .getByRole("table", { name: "Sources" })
      .getByRole("row")
      .filter({ hasText: "orders.csv" });
    await see(row.locator('[data-status="ready"]'));

    await nav("Home").click();
    await page.getByRole("link", { name: /Ask a question/ }).click();
    await page.waitForURL(`${base}/ask`);
    await see(page.getByRole("heading", { level: 1, name: "Ask" }));
    const examples = page.getByRole("navigation", { name: "Example questions" });
    await see(examples.getByRole("button", { name: "How many rows are in orders?" }));
    await see(examples.getByRole("button", { name: "Total amount by customer" }));
    await see(page.getByText("No conversations yet"));
    await shot(page, "ask-empty");
  });

  it("answers a count with a number, the SQL and live progress", async () => {
    // Held back a moment so the progress card is on screen long enough to see.
    await page.route("**/api/v1/ask", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      return route.continue();
    });
    await question().fill("How many orders are there?");
    await question().press("Enter");
    const pending = page.getByRole("article", { name: "Answering: How many orders are there?" });
    await see(pending);
    await screenshot(page, "ask-progress");
    await page.unrouteAll({ behavior: "wait" });

    const answer = card("How many orders are there?");
    await see(answer);
    // The progress card gives way to the answer (in the same render or the next one).
    await pending.waitFor({ state: "detached" });
    expect(await pending.count()).toBe(0);
    expect(await answer.locator(".chart-number-value").textContent()).toBe("5");
    await see(answer.getByText(/High confidence|Medium confidence|Low confidence/));
    await see(answer.getByText("Offline engine"));
    await answer.getByText("SQL", { exact: true }).click();
    expect((await answer.locator("pre").textContent())?.toLowerCase()).toMatch(
      /count\(\*\)[\s\S]*from\s+"?orders"?/,
    );
    expect(page.url()).toMatch(/\/ask\?c=[0-9a-f-]{36}$/);
    await see(page.getByRole("list", { name: "Conversations" }).getByText("How many orders are there?"));
    // The page followed the question over the WebSocket, to its answer.
    const conversationId = new URL(page.url()).searchParams.get("c");
    await expect
      .poll(() =>
        frames
          .map((frame) => JSON.parse(frame))
          .filter((event) => event.data?.conversationId === conversationId)
          .map((event) => event.data.stage ?? event.type),
      )
      .toEqual(["agent_typing", "planning", "running_sql", "building_chart", "agent_response"]);
    await shot(page, "ask-number");
  });

  it("answers a grouping with a bar chart and a table, and follows up from a chip", async () => {
    // An average is no part of a whole: drawn as bars (the engine draws a few totals as a pie).
    await ask("average amount by customer");
    const answer = card("average amount by customer");
    await see(answer.getByRole("img", { name: /^Bar chart/ }));
    expect(await answer.locator(".chart-bar rect").count()).toBe(3);
    const table = answer.getByRole("table", { name: "Result of average amount by customer" });
    expect((await cellsOf(table)).sort()).toEqual([
      ["Acme", "70.245"],
      ["Globex", "52.625"],
      ["Initech", "12"],
    ]);
    await shot(page, "ask-bar");

    const chips = answer.getByRole("navigation", { name: "Follow-up questions" });
    await chips.getByRole("button", { name: "show it as a pie chart" }).click();
    const next = card("show it as a pie chart");
    await see(next);
    await see(next.getByRole("img", { name: /^Pie chart/ }));
    expect(await next.getByRole("alert").count()).toBe(0);
    expect((await cellsOf(next.getByRole("table"))).length).toBe(3);
    expect(await page.getByRole("article", { name: /^Answer: / }).count()).toBe(3);
    // The sidebar names the conversation's last question and how many it holds.
    const listed = page.getByRole("list", { name: "Conversations" }).getByRole("listitem").first();
    await see(listed.getByText("show it as a pie chart"));
    await see(listed.getByText(/3 questions/));
    await shot(page, "ask-followup");
  });

  it("saves, favorites and verifies an answer, and lists it under Saved", async () => {
    const answer = card("average amount by customer");
    await answer.getByRole("button", { name: "Save", exact: true }).click();
    await see(answer.getByRole("button", { name: "Saved" }));
    await answer.getByRole("button", { name: "Favorite" }).click();
    await see(answer.getByRole("button", { name: "Favorited", pressed: true }));
    await answer.getByRole("button", { name: "Verify" }).click();
    await see(answer.getByRole("button", { name: "Verified", pressed: true }));
    // After a reload the card still knows its pair: saved, favorited and verified.
    await page.reload();
    const reloaded = card("average amount by customer");
    await see(reloaded.getByRole("button", { name: "Saved" }));
    await see(reloaded.getByRole("button", { name: "Favorited", pressed: true }));
    await see(reloaded.getByRole("button", { name: "Verified", pressed: true }));

    const sidebar = page.getByRole("complementary", { name: "Conversations and saved queries" });
    await sidebar.getByRole("tab", { name: "Saved" }).click();
    await sidebar.getByText("Favorites", { exact: true }).click();
    const saved = sidebar.getByRole("list", { name: "Saved queries" });
    await see(saved.getByText("average amount by customer"));
    expect(await saved.getByRole("listitem").count()).toBe(1);
    await see(saved.getByRole("button", { name: "Unfavorite average amount by customer", pressed: true }));
    await sidebar.getByText("Verified", { exact: true }).click();
    await see(saved.getByText("average amount by customer"));
    // Saving marked the history entry: the question is in the history once, not twice.
    await sidebar.getByText("History", { exact: true }).click();
    await see(saved.getByText("How many orders are there?"));
    expect(await saved.getByRole("listitem").filter({ hasText: "average amount by customer" }).count()).toBe(
      1,
    );
    await shot(page, "ask-saved");
    await sidebar.getByRole("tab", { name: "Conversations" }).click();
  });

  it("edits the SQL and shows the re-run's rows in the card", async () => {
    const answer = card("average amount by customer");
    const sql = answer.locator("details");
    if (!(await sql.evaluate((details) => (details as HTMLDetailsElement).open))) {
      await answer.getByText("SQL", { exact: true }).click();
    }
    await answer.getByRole("button", { name: "Edit and re-run" }).click();
    await answer
      .getByRole("textbox", { name: "SQL" })
      .fill("select customer, count(*) as orders from orders group by customer order by customer");
    await answer.getByRole("button", { name: "Run" }).click();
    await see(answer.getByText("Showing the result of your edited SQL."));
    const table = answer.getByRole("table", { name: "Result of average amount by customer" });
    await expect
      .poll(() => cellsOf(table))
      .toEqual([
        ["Acme", "2"],
        ["Globex", "2"],
        ["Initech", "1"],
      ]);
    await see(answer.getByText("edited", { exact: true }));
    // The saved pair holds the answer's SQL: the edited statement is not saved yet.
    await see(answer.getByRole("button", { name: "Save", exact: true }));
    // The edited statement and its rows are kept with the answer.
    await page.reload();
    const reloaded = card("average amount by customer");
    await see(reloaded.getByText("Showing the result of your edited SQL."));
    await expect
      .poll(() => cellsOf(reloaded.getByRole("table", { name: "Result of average amount by customer" })))
      .toEqual([
        ["Acme", "2"],
        ["Globex", "2"],
        ["Initech", "1"],
      ]);
    await shot(page, "ask-edited");
  });

  it("shows a refused question's problem in its card with a hint to rephrase", async () => {
    await ask("delete all orders");
    const answer = card("delete all orders");
    await shot(page, "ask-refused");
    const problem = answer.getByRole("alert");
    await see(problem);
    await see(problem.getByText(/Rephrase it/));
    expect(await answer.getByRole("table").count()).toBe(0);
    await problem.getByRole("button", { name: "Rephrase" }).click();
    expect(await question().inputValue()).toBe("delete all orders");
    await question().fill("");
  });

  it("renames and deletes a conversation, after asking", async () => {
    const list = page.getByRole("list", { name: "Conversations" });
    await list.getByRole("button", { name: "Actions for How many orders are there?" }).click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    const rename = page.getByRole("dialog", { name: "Rename conversation" });
    await rename.getByLabel("Title").fill("Order questions");
    await rename.getByRole("button", { name: "Rename" }).click();
    await see(page.getByRole("heading", { level: 2, name: "Order questions" }));
    await see(list.getByText("Order questions"));

    await list.getByRole("button", { name: "Actions for Order questions" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete this conversation?" });
    await see(confirm.getByText("Order questions"));
    await shot(page, "ask-delete-confirm");
    await confirm.getByRole("button", { name: "Delete conversation" }).click();
    await page.waitForURL(`${base}/ask`);
    await see(page.getByRole("navigation", { name: "Example questions" }));
    await see(page.getByText("No conversations yet"));
  });

  it("lets a viewer ask and save, but not verify or share", async () => {
    const context = await browser.newContext({
      colorScheme: "light",
      viewport: { width: 1280, height: 900 },
    });
    const other = await context.newPage();
    const otherErrors = collectErrors(other);
    try {
      await signInThroughPage(app, other, base, viewer.user.email);
      await other.evaluate((id) => localStorage.setItem("sightline.workspace", id), analyst.workspaceId);
      await other.goto(`${base}/ask`);
      await ask("How many orders are there?", other);
      const answer = card("How many orders are there?", other);
      expect(await answer.locator(".chart-number-value").textContent()).toBe("5");
      await see(answer.getByRole("button", { name: "Save", exact: true }));
      expect(await answer.getByRole("button", { name: "Verify" }).count()).toBe(0);
      expect(await other.getByRole("button", { name: "Share conversation" }).count()).toBe(0);
      await shot(other, "ask-viewer");
      expect(otherErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("logs no console errors along the way", () => {
    // Expected: the 400 of the refused question.
    const expected = (line: string) => line.includes("/api/v1/ask") && line.includes("400");
    expect(errors.filter((line) => !expected(line))).toEqual([]);
  });
});
