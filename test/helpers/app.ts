import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type App, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Clock } from "../../src/platform/clock.js";
import type { Platform } from "../../src/platform/index.js";
import { createLogger } from "../../src/platform/log.js";
import type { Module } from "../../src/platform/module.js";

export interface TestApp extends App {
  dataDir: string;
  /** Closes the app and removes its data directory. */
  dispose(): Promise<void>;
}

/** The real app, in-process, on a fresh DATA_DIR (PGlite unless env sets DATABASE_URL). */
export async function createTestApp(
  options: { env?: Record<string, string>; modules?: (platform: Platform) => Module[]; clock?: Clock } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-test-"));
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    JOB_POLL_MS: "50",
    // Tests sign in many times from one address; the rate-limit tests set their own limits.
    AUTH_RATE_LIMIT_IP: "100000",
    AUTH_RATE_LIMIT_ACCOUNT: "100000",
    ...options.env,
    DATA_DIR: dataDir,
  });
  const log = createLogger({ level: config.LOG_LEVEL });
  const app = await createApp({
    config,
    log,
    ...(options.modules ? { modules: options.modules } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    ...app,
    dataDir,
    async dispose() {
      await app.close(2_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
