import { Redis } from "ioredis";
import { type Config, resolveSecretKey } from "../config.js";
import { createAi } from "./ai/index.js";
import type { Ai } from "./ai/types.js";
import { type Clock, systemClock } from "./clock.js";
import { type Database, openDatabase } from "./db/index.js";
import { createMemoryEventBus, createRedisEventBus, type EventBus } from "./events/index.js";
import { createJobs } from "./jobs/index.js";
import type { Jobs } from "./jobs/types.js";
import type { Logger } from "./log.js";
import { createMailer } from "./mail/index.js";
import type { Mailer } from "./mail/types.js";
import { createMetrics, type Metrics } from "./metrics.js";

/** The infrastructure every module is handed: one value, built once per process. */
export interface Platform {
  config: Config;
  log: Logger;
  metrics: Metrics;
  database: Database;
  redis?: Redis;
  events: EventBus;
  jobs: Jobs;
  mail: Mailer;
  ai: Ai;
  secretKey: string;
  clock: Clock;
  close(): Promise<void>;
}

export async function createPlatform(
  config: Config,
  log: Logger,
  clock: Clock = systemClock,
): Promise<Platform> {
  const metrics = createMetrics();
  const secretKey = resolveSecretKey(config);
  const database = await openDatabase({
    dataDir: config.DATA_DIR,
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
  });
  const closers: (() => Promise<unknown>)[] = [() => database.close()];
  try {
    await database.migrate();
    let redis: Redis | undefined;
    if (config.REDIS_URL) {
      // BullMQ requires maxRetriesPerRequest null on the connections it blocks on.
      redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
      await redis.connect();
      const client = redis;
      closers.unshift(async () => client.quit());
    }
    const events = redis ? await createRedisEventBus(redis, log) : createMemoryEventBus();
    closers.unshift(() => events.close());
    const jobs = await createJobs({
      db: database.db,
      dbKind: database.kind,
      log,
      metrics,
      events,
      concurrency: config.JOBS_CONCURRENCY,
      leaseMs: config.JOB_LEASE_MS,
      pollMs: config.JOB_POLL_MS,
      ...(redis ? { redis } : {}),
    });
    const mail = await createMailer({
      db: database.db,
      log,
      metrics,
      from: config.MAIL_FROM,
      ...(config.SMTP_HOST
        ? {
            smtp: {
              host: config.SMTP_HOST,
              port: config.SMTP_PORT,
              secure: config.SMTP_SECURE,
              ...(config.SMTP_USER ? { user: config.SMTP_USER } : {}),
              ...(config.SMTP_PASSWORD ? { password: config.SMTP_PASSWORD } : {}),
            },
          }
        : {}),
    });
    closers.unshift(() => mail.close());
    const ai = createAi({ config, log, metrics });
    return {
      config,
      log,
      metrics,
      database,
      ...(redis ? { redis } : {}),
      events,
      jobs,
      mail,
      ai,
      secretKey,
      clock,
      async close() {
        for (const close of closers) {
          await close().catch((error: unknown) => log.warn({ err: error }, "error while closing"));
        }
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
