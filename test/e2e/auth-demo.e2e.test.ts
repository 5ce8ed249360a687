import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { hasChromium } from "../helpers/services.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see } from "./browser.js";

describe.skipIf(!hasChromium())("the demo sign-in in Chromium", () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    buildWeb();
    app = await createTestApp({ env: { DEMO: "true" } });
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("offers the demo account on the sign-in page and signs in with it", async () => {
    const { port } = app.http.server.address() as AddressInfo;
    const page = await browser.newPage({ colorScheme: "light", viewport: { width: 1280, height: 860 } });
    const errors = collectErrors(page);
    await page.goto(`http://127.0.0.1:${port}/login`);
    const demo = page.getByRole("region", { name: "Demo workspace" });
    await see(demo.getByRole("button", { name: "Use demo account" }));
    await screenshot(page, "auth-login-demo");

    await demo.getByRole("button", { name: "Use demo account" }).click();
    const form = page.getByRole("form", { name: "Sign in" });
    expect(await form.getByLabel("E-mail").inputValue()).toMatch(/@/);
    expect(await form.getByLabel("Password").inputValue()).not.toBe("");
    await form.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`http://127.0.0.1:${port}/`);
    await see(page.getByRole("button", { name: /^Switch workspace \(current: .*[Dd]emo/ }));

    // Its workspace says it is the demo one.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workspace" }).click();
    await see(
      page.getByRole("heading", { level: 2, name: /[Dd]emo/ }).getByText("Demo workspace", { exact: true }),
    );
    await screenshot(page, "settings-workspace-demo");
    expect(errors).toEqual([]);
  });
});
