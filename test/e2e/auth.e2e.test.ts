import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { hasChromium } from "../helpers/services.js";
import { buildWeb, collectErrors, launchChromium, screenshot, see } from "./browser.js";

const owner = { email: "olivia@example.com", password: "owner-password-1", name: "Olivia Owner" };
const user = { email: "sam@example.com", password: "sam-password-1", name: "Sam Carter" };
const colleague = "casey@example.com";

describe.skipIf(!hasChromium())("sign-up, sign-in and workspace settings in Chromium", () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let errors: string[];
  const seenMail = new Set<string>();

  /** The newest e-mail to `to` not read before, once it is in the outbox. */
  async function nextMail(to: string): Promise<{ text: string }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { items } = await app.platform.mail.list({ limit: 10, to });
      const fresh = items.find((item) => !seenMail.has(item.id));
      if (fresh) {
        seenMail.add(fresh.id);
        const mail = await app.platform.mail.get(fresh.id);
        if (mail) return mail;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no new e-mail to ${to}`);
  }

  async function nextCode(to: string): Promise<string> {
    const { text } = await nextMail(to);
    const code = /\b(\d{6})\b/.exec(text)?.[1];
    if (!code) throw new Error(`no 6-digit code in the e-mail to ${to}:\n${text}`);
    return code;
  }

  /** Waits for the signed-in shell on Home. */
  async function seeSignedIn() {
    await page.waitForURL(`${base}/`);
    await see(page.getByRole("heading", { level: 1, name: "Home" }));
    await see(page.getByRole("button", { name: "Account menu" }));
  }

  async function signOut() {
    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(`${base}/login`);
    await see(page.getByRole("heading", { name: "Sign in to Sightline" }));
  }

  async function logIn(password = user.password) {
    const form = page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("E-mail").fill(user.email);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  const nav = () => page.getByRole("navigation", { name: "Main" });

  beforeAll(async () => {
    buildWeb(); // before the app starts: the static plugin lists dist/web when it registers
    app = await createTestApp();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    const address = app.http.server.address() as AddressInfo;
    base = `http://127.0.0.1:${address.port}`;

    const setup = await app.http.inject({ method: "POST", url: "/api/v1/setup", payload: owner });
    expect(setup.statusCode, setup.body).toBe(201);

    browser = await launchChromium();
    context = await browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it("sends a signed-out visitor to sign in, keeping where they were going", async () => {
    await page.goto(`${base}/settings/members`);
    await page.waitForURL(`${base}/login?next=${encodeURIComponent("/settings/members")}`);
    await see(page.getByRole("heading", { name: "Sign in to Sightline" }));
    // No demo server here: no demo box.
    expect(await page.getByRole("heading", { name: "Demo workspace" }).count()).toBe(0);
    await screenshot(page, "auth-login");
  });

  it("signs up a personal account and verifies the e-mail with the code from the outbox", async () => {
    await page.getByRole("link", { name: "Create an account" }).click();
    await see(page.getByRole("heading", { name: "Create your account" }));
    const form = page.getByRole("form", { name: "Create account" });
    await form.getByLabel("Name").fill(user.name);
    await form.getByLabel("E-mail").fill(user.email);
    await form.getByLabel("Password").fill(user.password);
    // A personal account: its trusted browsers skip the sign-in code (business accounts always get one).
    await form.getByText("Business", { exact: true }).click();
    await form.getByText("Personal", { exact: true }).click();
    expect(await form.getByRole("radio", { name: "Personal" }).isChecked()).toBe(true);
    await screenshot(page, "auth-signup");
    await form.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL(/\/verify\?/);
    expect(new URL(page.url()).searchParams.get("email")).toBe(user.email);
    await see(page.getByRole("heading", { name: "Check your e-mail" }));
    await see(page.getByRole("button", { name: /Resend code in \d+ s/ }));
    await screenshot(page, "auth-verify");

    await page.getByLabel("Verification code").fill(await nextCode(user.email));
    await page.getByRole("button", { name: "Verify e-mail" }).click();
    // The sign-in keeps the page the visitor first asked for.
    await page.waitForURL(`${base}/settings/members`);
    await see(page.getByRole("heading", { level: 1, name: "Members" }));

    // A new account owns its own workspace but does not operate the server.
    await see(page.getByRole("button", { name: `Switch workspace (current: ${user.name}'s workspace)` }));
    await see(nav().getByRole("link", { name: "API keys" }));
    expect(await nav().getByRole("link", { name: "Jobs" }).count()).toBe(0);
    expect(await nav().getByRole("link", { name: "Outbox" }).count()).toBe(0);
  });

  it("signs out, then signs in with an e-mailed code and trusts the device", async () => {
    await signOut();
    await logIn();

    await page.waitForURL(/\/login\/code\?/);
    await see(page.getByRole("heading", { name: "Enter your code" }));
    const code = await nextCode(user.email);

    // A wrong code is refused with the attempts left.
    await page.getByLabel("Verification code").fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await see(page.getByText(/That code is not right\. \d+ attempts? left\./));

    await page.getByLabel("Verification code").fill(code);
    await page.getByLabel("Trust this device for 30 days").check();
    await screenshot(page, "auth-login-code");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await seeSignedIn();
  });

  it("signs in again on the trusted device without a code", async () => {
    await signOut();
    const before = (await app.platform.mail.list({ limit: 10, to: user.email })).items.length;
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith("/api/v1/auth/login")),
      logIn(),
    ]);
    expect(await answer.json()).toMatchObject({ codeRequired: false });
    await seeSignedIn();
    expect((await app.platform.mail.list({ limit: 10, to: user.email })).items.length).toBe(before);
  });

  it("invites a member, who can open the invitation link signed out", async () => {
    await nav().getByRole("link", { name: "Members" }).click();
    await see(page.getByRole("heading", { level: 1, name: "Members" }));
    const members = page.getByRole("table", { name: "Members" });
    await see(members.getByRole("row").filter({ hasText: user.email }).getByText("(you)"));
    // The only owner cannot leave: the workspace would have nobody to run it.
    expect(await members.getByRole("button", { name: "Leave workspace" }).isDisabled()).toBe(true);

    const form = page.getByRole("form", { name: "Invite member" });
    await form.getByLabel("E-mail").fill(colleague);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await see(form.getByText(`Invitation sent to ${colleague}`));
    const invitation = page
      .getByRole("table", { name: "Invitations" })
      .getByRole("row")
      .filter({ hasText: colleague });
    await see(invitation.getByText("pending"));
    await see(invitation.getByText("viewer"));
    await screenshot(page, "auth-members");

    const token = /\/invite\/([^\s"'<>?#]+)/.exec((await nextMail(colleague)).text)?.[1];
    expect(token).toBeTruthy();
    const guest = await browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 860 } });
    try {
      const guestPage = await guest.newPage();
      const guestErrors = collectErrors(guestPage);
      await guestPage.goto(`${base}/invite/${token}`);
      await see(guestPage.getByRole("heading", { name: `Join ${user.name}'s workspace` }));
      await see(guestPage.getByText("viewer"));
      expect(await guestPage.getByRole("link", { name: "Sign in to accept" }).getAttribute("href")).toBe(
        `/login?next=${encodeURIComponent(`/invite/${token}`)}`,
      );
      await screenshot(guestPage, "auth-invite");

      // The invitee signs up from the link, comes back to it signed in, and joins.
      await guestPage.getByRole("link", { name: "Create an account" }).click();
      const signup = guestPage.getByRole("form", { name: "Create account" });
      await signup.getByLabel("Name").fill("Casey Viewer");
      await signup.getByLabel("E-mail").fill(colleague);
      await signup.getByLabel("Password").fill("casey-password-1");
      await signup.getByRole("button", { name: "Create account" }).click();
      await guestPage.waitForURL(/\/verify\?/);
      await guestPage.getByLabel("Verification code").fill(await nextCode(colleague));
      await guestPage.getByRole("button", { name: "Verify e-mail" }).click();
      await guestPage.waitForURL(`${base}/invite/${token}`);
      await see(guestPage.getByText(`Signed in as ${colleague}`));
      await guestPage.getByRole("button", { name: `Accept and join ${user.name}'s workspace` }).click();

      await guestPage.waitForURL(`${base}/`);
      await see(
        guestPage.getByRole("button", { name: `Switch workspace (current: ${user.name}'s workspace)` }),
      );
      // A viewer sees the members but none of the admin pages or actions.
      const guestNav = guestPage.getByRole("navigation", { name: "Main" });
      await guestNav.getByRole("link", { name: "Members" }).click();
      await see(guestPage.getByRole("table", { name: "Members" }).getByText(user.email));
      expect(await guestNav.getByRole("link", { name: "API keys" }).count()).toBe(0);
      expect(await guestNav.getByRole("link", { name: "Audit log" }).count()).toBe(0);
      expect(await guestPage.getByRole("form", { name: "Invite member" }).count()).toBe(0);
      expect(await guestPage.getByRole("combobox").count()).toBe(0);
      expect(await guestPage.getByRole("button", { name: /^Remove/ }).count()).toBe(0);
      await screenshot(guestPage, "auth-members-viewer");
      expect(guestErrors).toEqual([]);
    } finally {
      await guest.close();
    }

    // Back on the owner's page, the invitation is accepted and Casey is a viewer.
    await page.reload();
    await see(
      page
        .getByRole("table", { name: "Invitations" })
        .getByRole("row")
        .filter({ hasText: colleague })
        .getByText("accepted"),
    );
    await see(page.getByRole("combobox", { name: "Role of Casey Viewer" }));
    expect(await page.getByRole("combobox", { name: "Role of Casey Viewer" }).inputValue()).toBe("viewer");
  });

  it("renews an expired access token with the refresh cookie, staying on the page", async () => {
    await page.waitForLoadState("networkidle");
    await context.clearCookies({ name: "sl_access" });
    const before = errors.length;
    const [refresh] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith("/api/v1/auth/refresh")),
      nav().getByRole("link", { name: "Devices" }).click(),
    ]);
    expect(refresh.status()).toBe(200);
    await see(page.getByRole("table", { name: "Trusted devices" }));
    expect(page.url()).toBe(`${base}/settings/devices`);
    // The 401 that started the refresh is expected; nothing else.
    const during = errors.splice(before);
    expect(during.filter((line) => !line.includes("401"))).toEqual([]);
  });

  it("creates an API key and shows its secret once", async () => {
    await nav().getByRole("link", { name: "API keys" }).click();
    await see(page.getByRole("heading", { name: "No API keys yet" }));
    await page.getByRole("button", { name: "Create API key" }).click();

    const dialog = page.getByRole("dialog", { name: "Create API key" });
    await dialog.getByLabel("Name").fill("Nightly export");
    await dialog.getByLabel("Role").selectOption("viewer");
    await dialog.getByLabel("Expires after").selectOption("30");
    await dialog.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByRole("dialog", { name: "Copy your new API key" });
    await see(shown.getByText("This is the only time the key is shown"));
    const secret = await shown.getByLabel("API key secret").inputValue();
    expect(secret).toMatch(/^sl_/);
    await screenshot(page, "auth-api-key-secret");

    // The key works for programs, with the role it was given.
    const me = await app.http.inject({ url: "/api/v1/auth/me", headers: { "x-api-key": secret } });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ role: "viewer", via: "api_key" });

    await shown.getByRole("button", { name: "Done" }).click();
    const row = page
      .getByRole("table", { name: "API keys" })
      .getByRole("row")
      .filter({ hasText: "Nightly export" });
    await see(row.getByText("active"));
    await see(row.getByText(`${secret.split("_").slice(0, 2).join("_")}`));
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, "auth-api-keys");
  });

  it("shows sign-ins in the audit log and filters by action", async () => {
    await nav().getByRole("link", { name: "Audit log" }).click();
    const table = page.getByRole("table", { name: "Audit log" });
    await see(table.getByText("auth.login"));
    await see(table.getByText("member.invited"));

    await page.getByLabel("Filter by action").fill("auth.login");
    await page.waitForURL(/action=auth\.login/);
    await see(table.getByText("auth.login"));
    await expect.poll(() => table.getByText("member.invited").count()).toBe(0);
    await screenshot(page, "auth-audit");

    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const day = [tomorrow.getFullYear(), tomorrow.getMonth() + 1, tomorrow.getDate()]
      .map((part) => String(part).padStart(2, "0"))
      .join("-");
    await page.getByLabel("From").fill(day);
    await see(page.getByRole("heading", { name: "No events match these filters" }));
    await page.getByRole("button", { name: "Clear filters" }).click();
    await see(table.getByText("member.invited"));
  });

  it("lists this browser among the trusted devices", async () => {
    await page.getByRole("button", { name: "Account menu" }).click();
    await see(page.getByRole("menu", { name: "Account menu" }).getByText(user.email));
    await page.getByRole("menuitem", { name: "Devices" }).click();
    await see(page.getByRole("heading", { level: 1, name: "Devices" }));
    const row = page
      .getByRole("table", { name: "Trusted devices" })
      .getByRole("row")
      .filter({ hasText: "This device" });
    await see(row.getByText(/Chrom/));
    await see(row.getByRole("button", { name: /Revoke/ }));
    await screenshot(page, "auth-devices");
  });

  it("creates a second workspace and switches between them", async () => {
    await page.getByRole("button", { name: /^Switch workspace/ }).click();
    await page.getByRole("menuitem", { name: "Create workspace" }).click();
    const dialog = page.getByRole("dialog", { name: "Create workspace" });
    await dialog.getByLabel("Workspace name").fill("Field Ops");
    await dialog.getByRole("button", { name: "Create workspace" }).click();
    await see(page.getByRole("button", { name: "Switch workspace (current: Field Ops)" }));
    expect(await page.evaluate(() => localStorage.getItem("sightline.workspace"))).toBeTruthy();

    await page.getByRole("button", { name: /^Switch workspace/ }).click();
    const menu = page.getByRole("menu", { name: /Switch workspace/ });
    await see(menu.getByRole("menuitemradio", { name: /Field Ops/, checked: true }));
    await see(
      menu.getByRole("menuitemradio", { name: new RegExp(`${user.name}'s workspace`), checked: false }),
    );
    await screenshot(page, "auth-workspaces");
    await menu.getByRole("menuitemradio", { name: new RegExp(`${user.name}'s workspace`) }).click();
    await see(page.getByRole("button", { name: `Switch workspace (current: ${user.name}'s workspace)` }));
  });

  it("sends the user to sign in when the session cannot be renewed, and back afterwards", async () => {
    await page.goto(`${base}/settings/members`);
    await see(page.getByRole("table", { name: "Invitations" }));
    // Every request of the page is answered: the next one is the first without a session.
    await page.waitForLoadState("networkidle");
    await context.clearCookies({ name: "sl_access" });
    await context.clearCookies({ name: "sl_refresh" });
    const before = errors.length;
    await nav().getByRole("link", { name: "Devices" }).click();
    await page.waitForURL(`${base}/login?next=${encodeURIComponent("/settings/devices")}`);
    // The refused request and the refused refresh: 401s, nothing else.
    expect(errors.splice(before).filter((line) => !line.includes("401"))).toEqual([]);

    await logIn();
    await page.waitForURL(`${base}/settings/devices`);
    await see(page.getByRole("table", { name: "Trusted devices" }));
  });

  it("resets a forgotten password with an e-mailed code", async () => {
    await signOut();
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await see(page.getByRole("heading", { name: "Reset your password" }));
    await page.getByLabel("E-mail").fill(user.email);
    await screenshot(page, "auth-forgot-password");
    await page.getByRole("button", { name: "Send reset code" }).click();

    await see(page.getByRole("heading", { name: "Choose a new password" }));
    await page.getByLabel("Verification code").fill(await nextCode(user.email));
    await page.getByLabel("New password", { exact: true }).fill("sam-new-password-2");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(/\/login\?.*notice=password-reset/);
    await see(page.getByText("Your password has been changed"));

    await logIn("sam-new-password-2");
    // Whether a password reset also forgets trusted devices is the server's call; both end signed in.
    await page.waitForURL(/\/login\/code|\/$/);
    if (page.url().includes("/login/code")) {
      await page.getByLabel("Verification code").fill(await nextCode(user.email));
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
    }
    await seeSignedIn();
  });

  it("logs no console errors along the way", () => {
    // Expected: the signed-out visit at the start (401 from /auth/me) and the wrong code (400).
    const expected = (line: string) =>
      (line.includes("/api/v1/auth/me") && line.includes("401")) ||
      (line.includes("/api/v1/auth/verify-login") && line.includes("400"));
    const unexpected = errors.filter((line) => !expected(line));
    expect(unexpected).toEqual([]);
  });
});
