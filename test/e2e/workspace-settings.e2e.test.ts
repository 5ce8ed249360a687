import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { setUpOwner, type TestSession } from "../helpers/auth.js";
import { hasChromium } from "../helpers/services.js";
import { addMember } from "../helpers/workspaces.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see, signInThroughPage } from "./browser.js";

const viewerEmail = "victor@example.com";

describe.skipIf(!hasChromium())("workspace settings in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];
  let owner: TestSession;

  const signIn = (on: Page, email: string) => signInThroughPage(app, on, base, email);

  const switcher = (on: Page, name: string) =>
    on.getByRole("button", { name: `Switch workspace (current: ${name})` });

  async function openWorkspaceSettings(on: Page) {
    await on.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workspace" }).click();
    await on.waitForURL(`${base}/settings/workspace`);
    await see(on.getByRole("heading", { level: 1, name: "Workspace" }));
  }

  beforeAll(async () => {
    buildWeb(); // before the app starts: the static plugin lists dist/web when it registers
    app = await createTestApp();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    const address = app.http.server.address() as AddressInfo;
    base = `http://127.0.0.1:${address.port}`;
    owner = await setUpOwner(app); // Olivia Owner, of the workspace "Acme"
    await addMember(app, owner, viewerEmail, "viewer");

    browser = await launchChromium();
    page = await browser.newPage({ colorScheme: "light", viewport: { width: 1280, height: 860 } });
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("lists Workspace first under Settings and shows the workspace's details", async () => {
    await signIn(page, owner.user.email);
    const settings = page.locator(".nav-group", { has: page.getByRole("heading", { name: "Settings" }) });
    expect(await settings.getByRole("link").first().textContent()).toBe("Workspace");

    await openWorkspaceSettings(page);
    const details = page.getByRole("region", { name: "Acme" });
    await see(details.getByText("owner"));
    const created = details.locator("time");
    expect(new Date((await created.getAttribute("datetime")) ?? "").getFullYear()).toBe(
      new Date().getFullYear(),
    );
    expect(await page.getByText("Demo workspace").count()).toBe(0);
    await see(page.getByRole("heading", { name: "Danger zone" }));
    await screenshot(page, "settings-workspace");
  });

  it("renames the workspace, refusing a blank name and showing the server's problem", async () => {
    const form = page.getByRole("form", { name: "Rename workspace" });
    const save = form.getByRole("button", { name: "Save name" });
    expect(await save.isDisabled()).toBe(true); // nothing changed yet

    await form.getByLabel("Workspace name").fill("   ");
    await save.click();
    await see(form.getByText("Enter a name for the workspace."));

    // A refusal from the server shows its problem detail.
    await page.route("**/api/v1/workspaces/*", (route) =>
      route.request().method() === "PATCH"
        ? route.fulfill({
            status: 403,
            contentType: "application/problem+json",
            body: JSON.stringify({
              title: "Forbidden",
              status: 403,
              code: "forbidden",
              detail: "Your role may not rename this workspace",
            }),
          })
        : route.fallback(),
    );
    await form.getByLabel("Workspace name").fill("Acme Field Services");
    await save.click();
    await see(form.getByRole("alert").getByText("Your role may not rename this workspace"));
    await page.unrouteAll();

    await save.click();
    await see(form.getByRole("status").getByText("Workspace renamed to Acme Field Services."));
    await see(page.getByRole("region", { name: "Acme Field Services" }));
    await see(switcher(page, "Acme Field Services"));
    expect(await save.isDisabled()).toBe(true);
    await screenshot(page, "settings-workspace-renamed");
  });

  it("creates a second workspace, deletes it with its name typed, and lands back in the first", async () => {
    await switcher(page, "Acme Field Services").click();
    await page.getByRole("menuitem", { name: "Create workspace" }).click();
    const create = page.getByRole("dialog", { name: "Create workspace" });
    await create.getByLabel("Workspace name").fill("Scratch space");
    await create.getByRole("button", { name: "Create workspace" }).click();
    await see(switcher(page, "Scratch space"));
    // Still on the settings page, now about the new workspace.
    await see(page.getByRole("region", { name: "Scratch space" }));
    const scratchId = await page.evaluate(() => localStorage.getItem("sightline.workspace"));
    expect(scratchId).not.toBe(owner.workspaceId);

    await page.getByRole("button", { name: "Delete workspace" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete Scratch space?" });
    const confirm = dialog.getByRole("button", { name: "Delete workspace" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Type Scratch space to confirm").fill("Scratch");
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Type Scratch space to confirm").fill("Scratch space");
    expect(await confirm.isDisabled()).toBe(false);
    await screenshot(page, "settings-workspace-delete");
    await confirm.click();

    await page.waitForURL(`${base}/`);
    await see(switcher(page, "Acme Field Services"));
    expect(await page.evaluate(() => localStorage.getItem("sightline.workspace"))).toBe(owner.workspaceId);
    await switcher(page, "Acme Field Services").click();
    const menu = page.getByRole("menu", { name: /Switch workspace/ });
    expect(await menu.getByRole("menuitemradio").allTextContents()).toEqual([
      expect.stringContaining("Acme Field Services"),
    ]);
    await page.keyboard.press("Escape");
    const list = await app.http.inject({ url: "/api/v1/workspaces", headers: owner.headers });
    expect(list.json().items.map((item: { name: string }) => item.name)).toEqual(["Acme Field Services"]);

    // A browser still set on the deleted workspace (another tab, say) falls back to one that is left.
    await page.evaluate((id) => localStorage.setItem("sightline.workspace", id ?? ""), scratchId);
    await page.goto(`${base}/settings/workspace`);
    await see(page.getByRole("region", { name: "Acme Field Services" }));
    await see(switcher(page, "Acme Field Services"));
    expect(await page.evaluate(() => localStorage.getItem("sightline.workspace"))).toBe(owner.workspaceId);
  });

  it("shows a viewer the workspace without the rename form or the danger zone", async () => {
    const context = await browser.newContext({
      colorScheme: "light",
      viewport: { width: 1280, height: 860 },
    });
    try {
      const viewer = await context.newPage();
      const viewerErrors = collectErrors(viewer);
      await signIn(viewer, viewerEmail);
      // Their own workspace comes first; the one they were invited to is a switch away.
      await viewer.getByRole("button", { name: /^Switch workspace/ }).click();
      await viewer.getByRole("menuitemradio", { name: /Acme Field Services/ }).click();
      await see(switcher(viewer, "Acme Field Services"));

      await openWorkspaceSettings(viewer);
      await see(viewer.getByRole("region", { name: "Acme Field Services" }).getByText("viewer"));
      await see(viewer.getByText("Only owners and admins of this workspace can rename it."));
      expect(await viewer.getByRole("form", { name: "Rename workspace" }).count()).toBe(0);
      expect(await viewer.getByRole("heading", { name: "Danger zone" }).count()).toBe(0);
      expect(await viewer.getByRole("button", { name: "Delete workspace" }).count()).toBe(0);
      await screenshot(viewer, "settings-workspace-viewer");
      expect(viewerErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("deleting the last workspace leaves a way to create one", async () => {
    await openWorkspaceSettings(page);
    await page.getByRole("button", { name: "Delete workspace" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete Acme Field Services?" });
    await dialog.getByLabel("Type Acme Field Services to confirm").fill("Acme Field Services");
    await dialog.getByRole("button", { name: "Delete workspace" }).click();

    await page.waitForURL(`${base}/`);
    await see(switcher(page, "none"));
    await see(page.getByRole("heading", { name: "You are not in any workspace" }));
    await see(page.getByTestId("health-status").getByText("ok"));
    await screenshot(page, "settings-workspace-none");

    await openWorkspaceSettings(page);
    await see(page.getByRole("heading", { name: "You are not in any workspace" }));
    await page.getByRole("button", { name: "Create workspace" }).click();
    const create = page.getByRole("dialog", { name: "Create workspace" });
    await create.getByLabel("Workspace name").fill("Fresh start");
    await create.getByRole("button", { name: "Create workspace" }).click();
    await see(switcher(page, "Fresh start"));
    await see(page.getByRole("region", { name: "Fresh start" }).getByText("owner"));
  });

  it("logs no console errors along the way", () => {
    // Expected: the rename refused on purpose above, and the 404 for the deleted workspace the
    // stale browser still named, after which the app falls back to one that is left.
    const expected = (line: string) =>
      (line.includes("/api/v1/workspaces/") && line.includes("403")) ||
      (line.includes("/api/v1/auth/me") && line.includes("404"));
    expect(errors.filter((line) => !expected(line))).toEqual([]);
  });
});
