import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createModules } from "../../src/modules/index.js";
import type { Module } from "../../src/platform/module.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { hasChromium } from "../helpers/services.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see } from "./browser.js";

/** A job for the pages to show. Workers are not started, so what is enqueued stays queued. */
const reportModule: Module = {
  name: "e2e",
  jobs: [
    { name: "reports.weekly", payload: z.object({ week: z.string() }), handler: async () => ({ sent: 1 }) },
  ],
};

describe.skipIf(!hasChromium())("web shell in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let errors: string[];

  beforeAll(async () => {
    buildWeb(); // before the app starts: the static plugin lists dist/web when it registers
    app = await createTestApp({ modules: (platform) => [...createModules(platform), reportModule] });
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    const address = app.http.server.address() as AddressInfo;
    base = `http://127.0.0.1:${address.port}`;
    browser = await launchChromium();
    context = await browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("sends the first visitor to set up the owner account, who then lands on Home", async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(`${base}/setup`);
    const form = page.getByRole("form", { name: "Set up Sightline" });
    await form.getByLabel("Your name").fill("Olivia Owner");
    await form.getByLabel("E-mail").fill("owner@example.com");
    await form.getByLabel("Password").fill("owner-password-1");
    await form.getByLabel("Workspace name").fill("Acme Services");
    await screenshot(page, "setup");
    await form.getByRole("button", { name: "Create owner account" }).click();

    await page.waitForURL(`${base}/`);
    await see(page.getByRole("button", { name: "Switch workspace (current: Acme Services)" }));
    // The owner operates the server: the operations pages are theirs.
    await see(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }));
  });

  it("shows the system status and readiness checks on Home", async () => {
    await page.goto(`${base}/`);
    await see(page.getByRole("heading", { name: "System status" }));
    await see(page.getByTestId("health-status").getByText("ok"));
    await see(page.getByTestId("readiness-status").getByText("ready"));
    const checks = page.getByRole("table", { name: "Readiness checks" });
    await see(checks.getByRole("cell", { name: "database" }));
    await see(checks.getByRole("cell", { name: "jobs" }));
    expect(await page.getByRole("link", { name: /API reference/ }).getAttribute("href")).toBe("/docs");
    expect(await page.getByRole("link", { name: /OpenAPI document/ }).getAttribute("href")).toBe(
      "/openapi.json",
    );
    await screenshot(page, "home");
  });

  it("toggles the theme and keeps it after a reload", async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await theme()).toBe("light");

    await page.getByTestId("theme-toggle").click();
    expect(await theme()).toBe("dark");
    await page.reload();
    await see(page.getByTestId("health-status").getByText("ok"));
    expect(await theme()).toBe("dark");
    await screenshot(page, "home-dark");

    await page.getByTestId("theme-toggle").click();
    expect(await theme()).toBe("light");
  });

  it("stays usable at 800 px wide", async () => {
    await page.setViewportSize({ width: 800, height: 860 });
    await see(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Outbox" }));
    await screenshot(page, "home-narrow");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("sends a test e-mail from the Outbox and shows it", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Outbox" }).click();
    await see(page.getByRole("heading", { name: "No e-mail yet" }));
    await screenshot(page, "outbox-empty");

    const form = page.getByRole("form", { name: "Send test e-mail" });
    await form.getByLabel("Recipient").fill("not-an-address");
    await form.getByRole("button", { name: "Send test e-mail" }).click();
    await see(form.getByRole("alert"));

    await form.getByLabel("Recipient").fill("test@example.com");
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.url().endsWith("/api/v1/outbox/test")),
      form.getByRole("button", { name: "Send test e-mail" }).click(),
    ]);
    expect(response.status()).toBe(201);
    const sent = (await response.json()) as { id: string; subject: string };
    await see(form.getByText("Sent to test@example.com"));

    const row = page
      .getByRole("table", { name: "Outbox" })
      .getByRole("row")
      .filter({ hasText: "test@example.com" });
    await see(row);
    await see(row.getByText(sent.subject));
    await screenshot(page, "outbox");

    await row.getByRole("link", { name: sent.subject }).click();
    await see(page.getByRole("heading", { level: 1, name: sent.subject }));
    const frame = page.locator('iframe[title="HTML body"]');
    await see(frame);
    expect(await frame.getAttribute("sandbox")).toBe("");
    expect(await frame.getAttribute("srcdoc")).toBeTruthy();
    await screenshot(page, "outbox-message");

    await page.getByRole("tab", { name: "Text" }).click();
    await see(page.locator(".mail-text"));
    expect((await page.locator(".mail-text").textContent())?.trim()).toBeTruthy();
  });

  it("shows an empty Jobs page, then a queued job that can be cancelled", async () => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Jobs" }).click();
    await see(page.getByRole("heading", { level: 1, name: "Jobs" }));
    await see(page.getByRole("heading", { name: "No jobs yet" }));

    const job = await app.platform.jobs.enqueue("reports.weekly", { week: "2025-W47" });
    await page.reload();
    const row = page
      .getByRole("table", { name: "Jobs" })
      .getByRole("row")
      .filter({ hasText: "reports.weekly" });
    await see(row.getByText("queued"));
    await see(page.getByText("Live"));
    await screenshot(page, "jobs");

    await row.getByRole("link", { name: "reports.weekly" }).click();
    await see(page.getByText(job.id));
    await see(page.getByText('"2025-W47"'));
    await screenshot(page, "job");
    await page.getByRole("button", { name: "Cancel job" }).click();
    await see(page.getByRole("main").getByText("cancelled"));
    expect((await app.platform.jobs.get(job.id))?.status).toBe("cancelled");
    expect(await page.getByRole("button", { name: "Cancel job" }).count()).toBe(0);
  });

  it("lists schedules and pauses one", async () => {
    await app.platform.jobs.schedules.upsert({
      name: "weekly-report",
      jobName: "reports.weekly",
      cron: "0 8 * * 1",
      timezone: "Europe/Berlin",
      payload: { week: "current" },
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Schedules" }).click();
    const row = page
      .getByRole("table", { name: "Schedules" })
      .getByRole("row")
      .filter({ hasText: "weekly-report" });
    await see(row.getByText("active"));
    await screenshot(page, "schedules");

    await row.getByRole("button", { name: "Pause" }).click();
    await see(row.getByText("paused"));
    await see(row.getByRole("button", { name: "Resume" }));
    expect(
      (await app.platform.jobs.schedules.list()).find((item) => item.name === "weekly-report")?.paused,
    ).toBe(true);
  });

  it("answers an unknown route with the 404 page", async () => {
    await page.goto(`${base}/no-such-page`);
    await see(page.getByRole("heading", { name: "Page not found" }));
    await see(page.getByText("/no-such-page"));
    await screenshot(page, "not-found");
  });

  it("logs no console errors along the way", () => {
    // The invalid address above is meant to be refused; its 400 is the only error we expect.
    const unexpected = errors.filter(
      (line) => !(line.includes("/api/v1/outbox/test") && line.includes("400")),
    );
    expect(unexpected).toEqual([]);
  });
});
