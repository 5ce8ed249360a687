import { tmpdir } from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestDatabase, hasPostgres } from "../../../test/helpers/services.js";
import { type Database, openDatabase } from "../db/index.js";
import { createMemoryEventBus } from "../events/index.js";
import { createLogger } from "../log.js";
import { createMetrics } from "../metrics.js";
import { createJobs } from "./index.js";
import type { JobDefinition, Jobs } from "./types.js";

const postgresAvailable = await hasPostgres();
const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Several workers on one PostgreSQL database, each with its own connection pool as a separate
 * process would have: work is shared without running anything twice, and a worker that stops
 * renewing its lease loses the job to another.
 */
describe.skipIf(!postgresAvailable)("embedded jobs shared by several workers on PostgreSQL", () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  const open: { database: Database; jobs: Jobs }[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir() });
    await database.migrate();
    await database.close();
  });
  afterEach(async () => {
    for (const { database, jobs } of open.splice(0)) {
      await jobs.stop(500);
      await database.close().catch(() => undefined);
    }
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  /** A worker "process": its own pool and its own Jobs instance. */
  async function worker(definition: JobDefinition<{ n: number }>, leaseMs = 2_000) {
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir() });
    const jobs = await createJobs({
      db: database.db,
      dbKind: "postgres",
      log,
      metrics: createMetrics(),
      events: createMemoryEventBus(),
      concurrency: 4,
      leaseMs,
      pollMs: 20,
    });
    jobs.define(definition);
    open.push({ database, jobs });
    return { database, jobs };
  }

  const payload = z.object({ n: z.number() });

  it("runs each of 50 jobs exactly once across two workers", async () => {
    const calls = new Map<string, number>();
    const definition: JobDefinition<{ n: number }> = {
      name: "shared.work",
      payload,
      handler: async (_payload, { jobId }) => {
        calls.set(jobId, (calls.get(jobId) ?? 0) + 1);
        await sleep(15);
      },
    };
    const first = await worker(definition);
    const second = await worker(definition);
    const ids: string[] = [];
    for (let n = 0; n < 50; n++) ids.push((await first.jobs.enqueue("shared.work", { n })).id);
    await Promise.all([first.jobs.start(), second.jobs.start()]);

    const done = await Promise.all(ids.map((id) => first.jobs.waitFor(id, 20_000)));
    expect(done.every((job) => job.status === "completed" && job.attempts === 1)).toBe(true);
    expect([...calls.values()]).toEqual(ids.map(() => 1));
    const runs = (await Promise.all(ids.map((id) => first.jobs.runs(id)))).flat();
    expect(runs).toHaveLength(50);
    expect(new Set(runs.map((run) => run.worker)).size).toBe(2);
  });

  it("gives a job to another worker when its worker stops renewing the lease", async () => {
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const ranBy: string[] = [];
    const stalled = await worker(
      {
        name: "leased.work",
        payload,
        handler: async (_payload, { signal }) => {
          ranBy.push("stalled");
          started();
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
        },
      },
      400,
    );
    await stalled.jobs.start();
    const job = await stalled.jobs.enqueue("leased.work", { n: 1 });
    await firstStarted;
    // The worker's database connection is gone: its heartbeats fail and its lease runs out.
    await stalled.database.close();

    const rescuer = await worker(
      {
        name: "leased.work",
        payload,
        handler: async () => {
          ranBy.push("rescuer");
          return "rescued";
        },
      },
      400,
    );
    await rescuer.jobs.start();
    const done = await rescuer.jobs.waitFor(job.id, 10_000);
    expect(done).toMatchObject({ status: "completed", result: "rescued", attempts: 2 });
    expect(ranBy).toEqual(["stalled", "rescuer"]);
    const runs = await rescuer.jobs.runs(job.id);
    expect(runs.map((run) => [run.attempt, run.status, run.error])).toEqual([
      [1, "failed", "The worker stopped during this attempt"],
      [2, "completed", null],
    ]);
    expect(runs[0]?.worker).not.toBe(runs[1]?.worker);
  });
});
