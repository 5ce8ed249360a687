import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.js";
import { createModules } from "./modules/index.js";
import type { Clock } from "./platform/clock.js";
import { deriveKey } from "./platform/crypto.js";
import { Unauthorized } from "./platform/errors.js";
import { registerEventsSocket } from "./platform/events/ws.routes.js";
import { registerHealthRoutes } from "./platform/http/health.routes.js";
import { createHttpServer } from "./platform/http/server.js";
import { createPlatform, type Platform } from "./platform/index.js";
import type { Logger } from "./platform/log.js";
import type { Module } from "./platform/module.js";
import { version } from "./version.js";

/** Without a module that authenticates sockets, nobody receives events. */
const denyEvents = async () => {
  throw new Unauthorized();
};

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/web");

export interface App {
  platform: Platform;
  http: FastifyInstance;
  modules: Module[];
  /** Starts job workers and the scheduler in this process. */
  startWorkers(): Promise<void>;
  /** Stops taking requests and work, lets in-flight work finish until the deadline, closes everything. */
  close(deadlineMs?: number): Promise<void>;
}

/** The composition root: config → platform → modules → HTTP. */
export async function createApp(options: {
  config: Config;
  log: Logger;
  modules?: (platform: Platform) => Module[];
  clock?: Clock;
}): Promise<App> {
  const { config, log } = options;
  const platform = await createPlatform(config, log, options.clock);
  try {
    const modules = (options.modules ?? createModules)(platform);
    for (const module of modules) {
      for (const job of module.jobs ?? []) platform.jobs.define(job);
    }
    const http = await createHttpServer({
      log,
      metrics: platform.metrics,
      version,
      corsOrigins: config.CORS_ORIGINS.split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
      rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
      webRoot,
      cookieSecret: deriveKey(platform.secretKey, "cookies").toString("base64url"),
      ...(platform.redis ? { redis: platform.redis } : {}),
    });
    registerHealthRoutes(http, {
      metrics: platform.metrics,
      version,
      checks: {
        database: () => platform.database.ping(),
        jobs: () => platform.jobs.ping(),
        ...(platform.redis ? { redis: async () => void (await platform.redis?.ping()) } : {}),
      },
    });
    const authorizeEvents = modules.find((module) => module.authorizeEvents)?.authorizeEvents;
    await registerEventsSocket(http, platform.events, authorizeEvents ?? denyEvents);
    await http.register(
      async (api) => {
        for (const module of modules) await module.routes?.(api);
      },
      { prefix: "/api/v1" },
    );
    await http.ready();
    for (const module of modules) await module.start?.();
    let workersStarted = false;
    return {
      platform,
      http,
      modules,
      async startWorkers() {
        workersStarted = true;
        await platform.jobs.start();
      },
      async close(deadlineMs = config.SHUTDOWN_TIMEOUT_MS) {
        const started = Date.now();
        await http.close();
        if (workersStarted) await platform.jobs.stop(Math.max(0, deadlineMs - (Date.now() - started)));
        for (const module of modules) {
          await module
            .stop?.()
            .catch((error: unknown) => log.warn({ err: error, module: module.name }, "module stop failed"));
        }
        await platform.close();
      },
    };
  } catch (error) {
    await platform.close();
    throw error;
  }
}
