import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { signUp } from "../helpers/auth.js";
import { hasChromium } from "../helpers/services.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see, signInThroughPage } from "./browser.js";

describe.skipIf(!hasChromium())("message drafts: paste a thread, revise, approve, in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];

  beforeAll(async () => {
    buildWeb();
    app = await createTestApp();
    await app.startWorkers();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    await signUp(app, "owner@example.com");
    browser = await launchChromium();
    page = await browser.newPage({ colorScheme: "light", viewport: { width: 1360, height: 950 } });
    errors = collectErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("drafts a reply to a pasted thread, revises it on feedback and sends it on approval", async () => {
    await signInThroughPage(app, page, base, "owner@example.com");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Drafts" }).click();
    await see(page.getByText("No drafts yet"));
    await page.getByText("Reply guidelines", { exact: true }).click();
    const guidelines = page.getByRole("form", { name: "Reply guidelines" });
    await guidelines.getByLabel("Signature").fill("— Acme support");
    await guidelines.getByRole("button", { name: "Save guidelines" }).click();
    await see(page.getByText("Saved: the next drafts follow them."));
    const paste = page.getByRole("form", { name: "Paste a thread" });
    await paste.getByLabel("Subject").fill("Printer down");
    await paste
      .getByLabel("Thread")
      .fill("dana@example.com: Our office printer stopped working. Can you send someone today?");
    await paste.getByRole("button", { name: "Draft a reply" }).click();

    const draft = page.getByRole("region", { name: "Draft" });
    await see(draft.getByRole("figure", { name: "Version 1" }));
    await expect
      .poll(() => draft.getByRole("figure", { name: "Version 1" }).textContent())
      .toContain("Hi Dana,");
    expect(await draft.getByRole("figure", { name: "Version 1" }).textContent()).toContain("— Acme support");
    await screenshot(page, "drafts-first");

    await draft
      .getByRole("textbox", { name: "Feedback" })
      .fill("Make it more formal and mention that a technician comes at 2pm.");
    await draft.getByRole("button", { name: "Revise" }).click();
    await see(draft.getByRole("figure", { name: "Version 2" }));
    const second = (await draft.getByRole("figure", { name: "Version 2" }).textContent()) ?? "";
    expect(second).toContain("Dear Dana,");
    expect(second).toContain("A technician comes at 2pm.");
    await see(draft.getByRole("figure", { name: "Changes from the previous version" }));
    await screenshot(page, "drafts-revised");

    await draft.getByRole("button", { name: "Approve and send" }).click();
    await see(draft.getByText("Approved and e-mailed to the client."));
    const mails = (await app.platform.mail.list({ limit: 10, to: "dana@example.com" })).items;
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain("A technician comes at 2pm.");
    await screenshot(page, "drafts-approved");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workspace" }).click();
    const settings = page.getByRole("form", { name: "Reply guidelines" });
    await see(settings);
    expect(await settings.getByLabel("Signature").inputValue()).toBe("— Acme support");
    expect(errors).toEqual([]);
  }, 60_000);
});
