import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createTestDatabase,
  hasPostgres,
  hasRedis,
  redisTestUrl,
  uniquePrefix,
} from "../../../test/helpers/services.js";
import { type Database, openDatabase } from "../db/index.js";
import { Invalid, NotFound } from "../errors.js";
import { type AppEvent, createMemoryEventBus } from "../events/index.js";
import { createLogger } from "../log.js";
import { createMetrics } from "../metrics.js";
import { createJobs, type JobsDeps } from "./index.js";
import type { JobEvent, JobRecord, Jobs } from "./types.js";

/** Stores shared by one suite; `create` builds a Jobs instance over them (one per test). */
interface Harness {
  create(overrides?: Partial<JobsDeps>): Promise<Jobs>;
  busEvents: AppEvent[];
  close(): Promise<void>;
}

const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function harnessOn(
  database: Database,
  extra: Partial<JobsDeps> = {},
  cleanup = async () => {},
): Promise<Harness> {
  await database.migrate();
  const events = createMemoryEventBus();
  const busEvents: AppEvent[] = [];
  events.subscribe((event) => busEvents.push(event));
  return {
    busEvents,
    create: (overrides = {}) =>
      createJobs({
        db: database.db,
        dbKind: database.kind,
        log,
        metrics: createMetrics(),
        events,
        concurrency: 2,
        leaseMs: 2_000,
        pollMs: 25,
        ...extra,
        ...overrides,
      }),
    async close() {
      await database.close();
      await cleanup();
    },
  };
}

async function pgliteHarness(extra: Partial<JobsDeps> = {}, cleanup = async () => {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-jobs-"));
  const database = await openDatabase({ dataDir });
  return harnessOn(database, extra, async () => {
    await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

/** Polls until `check` returns a truthy value. */
async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(25);
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** The contract every Jobs implementation meets. */
function jobsContract(label: string, kind: Jobs["kind"], setup: () => Promise<Harness>) {
  describe(label, () => {
    let harness: Harness;
    const instances: Jobs[] = [];
    let counter = 0;
    const unique = (base: string) => `${base}-${++counter}`;

    beforeAll(async () => {
      harness = await setup();
    });
    afterEach(async () => {
      await Promise.all(instances.splice(0).map((jobs) => jobs.stop(500)));
    });
    afterAll(async () => {
      await harness?.close();
    });

    async function instance(overrides: Partial<JobsDeps> = {}) {
      const jobs = await harness.create(overrides);
      instances.push(jobs);
      return jobs;
    }

    const numberPayload = z.object({ n: z.number() });

    it("runs a job with a valid payload and records its result and one run", async () => {
      const jobs = await instance();
      expect(jobs.kind).toBe(kind);
      const name = unique("double");
      jobs.define({ name, payload: numberPayload, handler: async ({ n }) => ({ doubled: n * 2 }) });
      await jobs.start();
      const queued = await jobs.enqueue(name, { n: 21 });
      expect(queued).toMatchObject({ name, status: "queued", attempts: 0, maxAttempts: 4 });
      const done = await jobs.waitFor(queued.id, 10_000);
      expect(done).toMatchObject({ status: "completed", result: { doubled: 42 }, attempts: 1, error: null });
      expect(done.finishedAt).toBeInstanceOf(Date);
      const runs = await jobs.runs(queued.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ attempt: 1, status: "completed", error: null });
      expect(runs[0]?.worker).not.toBe("");
      expect(runs[0]?.durationMs).toBeGreaterThanOrEqual(0);
    });

    it("rejects an invalid payload and an unknown job name, creating nothing", async () => {
      const jobs = await instance();
      const name = unique("strict");
      jobs.define({ name, payload: numberPayload, handler: async () => null });
      await expect(jobs.enqueue(name, { n: "two" })).rejects.toBeInstanceOf(Invalid);
      await expect(jobs.enqueue(name, { n: "two" })).rejects.toThrow(/n: /);
      await expect(jobs.enqueue("no-such-job", {})).rejects.toThrow(/Unknown job "no-such-job"/);
      expect((await jobs.list({ name, limit: 10 })).items).toHaveLength(0);
    });

    it("never runs the same idempotency key twice", async () => {
      const jobs = await instance();
      const name = unique("once");
      let calls = 0;
      jobs.define({ name, payload: numberPayload, handler: async () => ++calls });
      const key = `${name}:key`;
      const first = await jobs.enqueue(name, { n: 1 }, { idempotencyKey: key });
      const second = await jobs.enqueue(name, { n: 2 }, { idempotencyKey: key });
      expect(second.id).toBe(first.id);
      await jobs.start();
      await jobs.waitFor(first.id, 10_000);
      const third = await jobs.enqueue(name, { n: 3 }, { idempotencyKey: key });
      expect(third).toMatchObject({ id: first.id, status: "completed", payload: { n: 1 } });
      await sleep(200);
      expect(calls).toBe(1);
      expect((await jobs.list({ name, limit: 10 })).items).toHaveLength(1);
    });

    it("does not run a delayed job before its delay", async () => {
      const jobs = await instance();
      const name = unique("later");
      let ranAt = 0;
      jobs.define({
        name,
        payload: numberPayload,
        handler: async () => {
          ranAt = Date.now();
        },
      });
      await jobs.start();
      const enqueuedAt = Date.now();
      const job = await jobs.enqueue(name, { n: 1 }, { delayMs: 400 });
      await sleep(150);
      expect((await jobs.get(job.id))?.status).toBe("queued");
      await jobs.waitFor(job.id, 10_000);
      expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(390);
    });

    it("runs higher priorities first with concurrency 1", async () => {
      const jobs = await instance();
      const name = unique("ranked");
      const order: number[] = [];
      jobs.define({
        name,
        payload: numberPayload,
        concurrency: 1,
        handler: async ({ n }) => void order.push(n),
      });
      const enqueued = [
        await jobs.enqueue(name, { n: 0 }, { priority: 0 }),
        await jobs.enqueue(name, { n: 10 }, { priority: 10 }),
        await jobs.enqueue(name, { n: -5 }, { priority: -5 }),
        await jobs.enqueue(name, { n: 5 }, { priority: 5 }),
      ];
      await jobs.start();
      for (const job of enqueued) await jobs.waitFor(job.id, 10_000);
      expect(order).toEqual([10, 5, 0, -5]);
    });

    it("retries a failing job with exponential backoff until it succeeds", async () => {
      const jobs = await instance();
      const name = unique("flaky");
      const calls: number[] = [];
      jobs.define({
        name,
        payload: numberPayload,
        retries: 3,
        backoffMs: 40,
        handler: async (_payload, { attempt }) => {
          calls.push(Date.now());
          if (attempt < 3) throw new Error(`flake ${attempt}`);
          return "ok";
        },
      });
      await jobs.start();
      const job = await jobs.enqueue(name, { n: 1 });
      const done = await jobs.waitFor(job.id, 10_000);
      expect(done).toMatchObject({ status: "completed", attempts: 3, result: "ok", error: null });
      const runs = await jobs.runs(job.id);
      expect(runs.map((run) => [run.attempt, run.status, run.error])).toEqual([
        [1, "failed", "flake 1"],
        [2, "failed", "flake 2"],
        [3, "completed", null],
      ]);
      const [first = 0, second = 0, third = 0] = calls;
      expect(second - first).toBeGreaterThanOrEqual(35);
      expect(third - second).toBeGreaterThanOrEqual(75);
    });

    it("fails a job once its retries are exhausted", async () => {
      const jobs = await instance();
      const name = unique("doomed");
      const events: JobEvent[] = [];
      jobs.subscribe((event) => event.job.name === name && events.push(event));
      jobs.define({
        name,
        payload: numberPayload,
        retries: 1,
        backoffMs: 10,
        handler: async () => {
          throw new Error("boom");
        },
      });
      await jobs.start();
      const job = await jobs.enqueue(name, { n: 1 });
      const done = await jobs.waitFor(job.id, 10_000);
      expect(done).toMatchObject({ status: "failed", attempts: 2, error: "boom" });
      expect((await jobs.runs(job.id)).map((run) => run.status)).toEqual(["failed", "failed"]);
      const failures = events.filter((event) => event.type === "failed");
      expect(failures.map((event) => event.type === "failed" && event.willRetry)).toEqual([true, false]);
    });

    it("fails an attempt that runs past its timeout and aborts its signal", async () => {
      const jobs = await instance();
      const name = unique("slow");
      let signal: AbortSignal | undefined;
      jobs.define({
        name,
        payload: numberPayload,
        retries: 0,
        timeoutMs: 100,
        handler: async (_payload, context) => {
          signal = context.signal;
          await sleep(3_000); // ignores the signal: the attempt still ends at the timeout
        },
      });
      await jobs.start();
      const started = Date.now();
      const job = await jobs.enqueue(name, { n: 1 });
      const done = await jobs.waitFor(job.id, 10_000);
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(done.status).toBe("failed");
      expect(done.error).toMatch(/timed out after 100 ms/i);
      expect(signal?.aborted).toBe(true);
      expect((await jobs.runs(job.id)).map((run) => run.status)).toEqual(["failed"]);
    });

    it("cancels a queued job so that it never runs", async () => {
      const jobs = await instance();
      const name = unique("skipped");
      const ran: number[] = [];
      jobs.define({
        name,
        payload: numberPayload,
        concurrency: 1,
        handler: async ({ n }) => void ran.push(n),
      });
      const doomed = await jobs.enqueue(name, { n: 1 });
      const cancelled = await jobs.cancel(doomed.id);
      expect(cancelled).toMatchObject({ status: "cancelled" });
      expect(cancelled.finishedAt).toBeInstanceOf(Date);
      const marker = await jobs.enqueue(name, { n: 2 });
      await jobs.start();
      await jobs.waitFor(marker.id, 10_000);
      await sleep(100);
      expect(ran).toEqual([2]);
      expect(await jobs.runs(doomed.id)).toEqual([]);
      await expect(jobs.cancel("00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(NotFound);
    });

    it("cancels a running job through its signal, without retrying it", async () => {
      const jobs = await instance();
      const name = unique("stoppable");
      const started = deferred();
      let calls = 0;
      jobs.define({
        name,
        payload: numberPayload,
        retries: 3,
        backoffMs: 10,
        handler: async (_payload, { signal }) => {
          calls++;
          started.resolve();
          await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
        },
      });
      await jobs.start();
      const job = await jobs.enqueue(name, { n: 1 });
      await started.promise;
      expect((await jobs.cancel(job.id)).id).toBe(job.id);
      const done = await jobs.waitFor(job.id, 10_000);
      expect(done).toMatchObject({ status: "cancelled", attempts: 1 });
      await sleep(150);
      expect(calls).toBe(1);
      expect((await jobs.runs(job.id)).map((run) => run.status)).toEqual(["cancelled"]);
    });

    it("stops at the deadline leaving an unfinished job to run again, its attempt not spent", async () => {
      const name = unique("interrupted");
      const started = deferred();
      const stopping = await instance();
      let aborted: unknown;
      stopping.define({
        name,
        payload: numberPayload,
        retries: 0,
        handler: async (_payload, { signal }) => {
          started.resolve();
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
          aborted = signal.reason;
        },
      });
      await stopping.start();
      const job = await stopping.enqueue(name, { n: 1 });
      await started.promise;
      await stopping.stop(100);
      expect(aborted).toMatchObject({ why: "shutdown" });
      expect(await stopping.get(job.id)).toMatchObject({ status: "queued", attempts: 0 });

      const next = await instance();
      next.define({ name, payload: numberPayload, retries: 0, handler: async () => "second time" });
      await next.start();
      const done = await next.waitFor(job.id, 10_000);
      expect(done).toMatchObject({ status: "completed", attempts: 1, result: "second time" });
      expect((await next.runs(job.id)).map((run) => [run.attempt, run.status])).toEqual([
        [1, "cancelled"],
        [1, "completed"],
      ]);
    });

    it("records progress and delivers progress events here and on the event bus", async () => {
      const jobs = await instance();
      const name = unique("progressing");
      const events: JobEvent[] = [];
      jobs.subscribe((event) => event.job.name === name && events.push(event));
      jobs.define({
        name,
        payload: numberPayload,
        handler: async (_payload, { progress }) => {
          await progress(50);
          await progress({ step: "done" });
        },
      });
      await jobs.start();
      const job = await jobs.enqueue(name, { n: 1 });
      const done = await jobs.waitFor(job.id, 10_000);
      expect(done.progress).toEqual({ step: "done" });
      expect(events.map((event) => event.type)).toEqual(["started", "progress", "progress", "completed"]);
      expect(events[1]?.job.progress).toBe(50);
      const onBus = harness.busEvents.filter((event) => event.data.jobId === job.id);
      expect(onBus.every((event) => event.type === "job_progress")).toBe(true);
      expect(onBus.map((event) => [event.data.status, event.data.progress])).toEqual([
        ["running", null],
        ["running", 50],
        ["running", { step: "done" }],
        ["completed", { step: "done" }],
      ]);
      expect(onBus[0]?.data).toMatchObject({ jobId: job.id, name, attempts: 1, error: null });
    });

    it("runs schedules that can be changed, paused, resumed and removed while running", async () => {
      const jobs = await instance();
      const name = unique("ticker");
      jobs.define({ name, payload: z.object({ source: z.string() }), handler: async ({ source }) => source });
      await jobs.start();
      const schedule = unique("every-second");
      const count = async () => (await jobs.list({ name, limit: 200 })).items.length;

      const created = await jobs.schedules.upsert({
        name: schedule,
        jobName: name,
        cron: "* * * * * *",
        payload: { source: "cron" },
      });
      expect(created).toMatchObject({ name: schedule, jobName: name, timezone: "UTC", paused: false });
      expect(created.nextRunAt?.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
      await eventually(async () => (await count()) >= 2, 6_000);
      const fired = (await jobs.list({ name, limit: 200 })).items;
      expect(fired.every((job) => job.idempotencyKey?.startsWith(`schedule:${schedule}:`))).toBe(true);
      expect(fired[0]?.payload).toEqual({ source: "cron" });
      const lastJobId = (await jobs.schedules.get(schedule))?.lastJobId;
      expect(fired.map((job) => job.id)).toContain(lastJobId);

      expect(await jobs.schedules.pause(schedule)).toMatchObject({ paused: true, nextRunAt: null });
      await sleep(300);
      const whilePaused = await count();
      await sleep(1_200);
      expect(await count()).toBe(whilePaused);

      expect((await jobs.schedules.resume(schedule)).paused).toBe(false);
      await eventually(async () => (await count()) > whilePaused, 4_000);

      const yearly = await jobs.schedules.upsert({
        name: schedule,
        jobName: name,
        cron: "0 0 1 1 *",
        payload: { source: "cron" },
      });
      expect(yearly.cron).toBe("0 0 1 1 *");
      expect(yearly.nextRunAt?.toISOString()).toMatch(/-01-01T00:00:00.000Z$/);
      await sleep(300);
      const afterChange = await count();
      await sleep(1_200);
      expect(await count()).toBe(afterChange);

      await jobs.schedules.remove(schedule);
      expect(await jobs.schedules.get(schedule)).toBeUndefined();
      expect((await jobs.schedules.list()).map((s) => s.name)).not.toContain(schedule);
      await expect(jobs.schedules.remove(schedule)).rejects.toBeInstanceOf(NotFound);
    });

    it("reads shorthands in the schedule's time zone and rejects bad schedules", async () => {
      const jobs = await instance();
      const name = unique("nightly");
      jobs.define({ name, payload: z.object({}), handler: async () => null });
      const schedule = unique("berlin");
      const daily = await jobs.schedules.upsert({
        name: schedule,
        jobName: name,
        cron: "daily",
        timezone: "Europe/Berlin",
      });
      const next = daily.nextRunAt;
      if (!next) throw new Error("a daily schedule has a next run");
      expect(daily.cron).toBe("daily");
      expect(next.getTime()).toBeGreaterThan(Date.now());
      expect(next.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);
      const berlin = new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Berlin",
        timeStyle: "short",
        hourCycle: "h23",
      });
      expect(berlin.format(next)).toBe("00:00");
      expect([22, 23]).toContain(next.getUTCHours());

      await expect(
        jobs.schedules.upsert({ name: schedule, jobName: name, cron: "every tuesday" }),
      ).rejects.toThrow(/Invalid cron "every tuesday"/);
      await expect(
        jobs.schedules.upsert({ name: schedule, jobName: name, cron: "daily", timezone: "Mars/Olympus" }),
      ).rejects.toThrow(/Unknown time zone "Mars\/Olympus"/);
      await expect(
        jobs.schedules.upsert({ name: schedule, jobName: "nope", cron: "daily" }),
      ).rejects.toBeInstanceOf(Invalid);
      expect((await jobs.schedules.get(schedule))?.timezone).toBe("Europe/Berlin");
      await jobs.schedules.remove(schedule);
    });

    it("lists jobs newest first, a page at a time", async () => {
      const jobs = await instance();
      const name = unique("listed");
      jobs.define({ name, payload: numberPayload, handler: async () => null });
      const enqueued: JobRecord[] = [];
      for (let n = 0; n < 5; n++) {
        enqueued.push(await jobs.enqueue(name, { n }));
        // Jobs of the same millisecond have no order among themselves: space them out.
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      const sizes: number[] = [];
      do {
        const page = await jobs.list({ name, limit: 2, ...(cursor ? { cursor } : {}) });
        sizes.push(page.items.length);
        seen.push(...page.items.map((job) => job.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toEqual(enqueued.map((job) => job.id).reverse());
      await jobs.cancel(enqueued[2]?.id ?? "");
      const cancelled = await jobs.list({ name, status: "cancelled", limit: 10 });
      expect(cancelled.items.map((job) => job.id)).toEqual([enqueued[2]?.id]);
      await expect(jobs.list({ name, limit: 2, cursor: "not-a-cursor" })).rejects.toBeInstanceOf(Invalid);
    });
  });
}

const postgresAvailable = await hasPostgres();
const redisAvailable = await hasRedis();

jobsContract("embedded jobs on PGlite", "embedded", () => pgliteHarness());

describe.skipIf(!postgresAvailable)("with PostgreSQL", () => {
  jobsContract("embedded jobs on PostgreSQL", "embedded", async () => {
    const testDb = await createTestDatabase();
    return harnessOn(await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir() }), {}, testDb.drop);
  });
});

describe.skipIf(!redisAvailable)("with Redis", () => {
  jobsContract("BullMQ jobs on Redis (records in PGlite)", "bullmq", async () => {
    const redis = new Redis(redisTestUrl, { maxRetriesPerRequest: null });
    const queuePrefix = uniquePrefix("jobs");
    return pgliteHarness({ redis, queuePrefix }, async () => {
      const keys = await redis.keys(`${queuePrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });
  });
});
