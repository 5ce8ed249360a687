import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { chromiumPath } from "../helpers/services.js";

export const screenshotDir = path.resolve("test-results/screenshots");

/** Builds web/ into dist/web, where the app serves it from. */
export function buildWeb(): void {
  const build = spawnSync(
    process.execPath,
    ["node_modules/vite/bin/vite.js", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
    { encoding: "utf8" },
  );
  if (build.status !== 0) {
    throw new Error(`web build failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
  }
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
