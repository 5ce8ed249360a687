import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import type { App } from "../../src/app.js";
import { latestCode, testPassword } from "../helpers/auth.js";
import { chromiumPath } from "../helpers/services.js";

export const screenshotDir = path.resolve("test-results/screenshots");

const webOut = path.resolve("dist/web");
const builtFrom = path.resolve("dist/.web-source-hash");
const buildLock = path.resolve("dist/.web-build.lock");

/** A digest of everything the web build reads, to tell whether dist/web is still current. */
function webSourceHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(full);
      } else {
        hash.update(full).update(readFileSync(full));
      }
    }
  };
  walk(path.resolve("web"));
  hash.update(readFileSync(path.resolve("package-lock.json")));
  return hash.digest("hex");
}

/** Runs `fn` while holding a lock shared by every test worker (a directory: creating one is atomic). */
function withBuildLock(fn: () => void): void {
  mkdirSync(path.dirname(buildLock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(buildLock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // Left behind by a run that was killed mid-build.
      const since = statSync(buildLock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 300_000) {
        rmSync(buildLock, { recursive: true, force: true });
      }
      if (Date.now() > deadline) throw new Error(`another web build still holds ${buildLock}`);
      // buildWeb is synchronous (called before the app starts), so wait without an event loop.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    fn();
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
}

/**
 * Builds web/ into dist/web, where the app serves it from, unless it is built from these sources
 * already. Test files run in parallel workers: a rebuild empties dist/web, which would break the
 * pages another worker's app is serving, so one worker builds and the others find it current.
 */
export function buildWeb(): void {
  withBuildLock(() => {
    const sources = webSourceHash();
    const current =
      existsSync(path.join(webOut, "index.html")) &&
      existsSync(builtFrom) &&
      readFileSync(builtFrom, "utf8") === sources;
    if (current) return;
    const build = spawnSync(
      process.execPath,
      ["node_modules/vite/bin/vite.js", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
      { encoding: "utf8" },
    );
    if (build.status !== 0) {
      throw new Error(`web build failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
    }
    writeFileSync(builtFrom, sources);
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Collects console errors and uncaught page errors, as "where: message" lines. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${message.location().url}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Waits until the locator is visible (Playwright's own timeout, so a miss fails with a clear message). */
export const see = (locator: Locator) => locator.first().waitFor({ state: "visible", timeout: 10_000 });

/** Signs in through the sign-in page, with the e-mailed code when the browser is new to the account. */
export async function signInThroughPage(
  app: App,
  on: Page,
  base: string,
  email: string,
  password = testPassword,
) {
  await on.goto(`${base}/login`);
  const form = on.getByRole("form", { name: "Sign in" });
  await form.getByLabel("E-mail").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in", exact: true }).click();
  await on.waitForURL((url) => url.pathname === "/login/code" || url.pathname === "/");
  if (new URL(on.url()).pathname === "/login/code") {
    await expect.poll(() => latestCode(app, email, "auth.login_code").catch(() => "")).not.toBe("");
    await on.getByLabel("Verification code").fill(await latestCode(app, email, "auth.login_code"));
    await on.getByRole("button", { name: "Sign in", exact: true }).click();
  }
  await on.waitForURL(`${base}/`);
  await see(on.getByRole("heading", { level: 1, name: "Home" }));
}
