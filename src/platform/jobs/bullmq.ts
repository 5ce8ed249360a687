import { type Job as BullJob, Queue, UnrecoverableError, WaitingError, Worker } from "bullmq";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import { type AttemptOutcome, runAttempt } from "./attempt.js";
import { createJobsCore, type JobsDeps, type ResolvedJob } from "./core.js";
import { expandCron, scheduleRunKey } from "./cron.js";
import { jobSchedules, jobs } from "./jobs.tables.js";
import { insertJob, type JobRow, nowPlus, releaseAbandoned, toJobRecord } from "./records.js";
import { createSchedules, markFired, type ScheduleRow } from "./schedules.js";
import type { EnqueueOptions, Jobs } from "./types.js";

/** What a BullMQ job carries: the id of its `jobs` row, or the schedule that fired. */
type BullData = { id: string } | { schedule: string };

const keep = { removeOnComplete: { count: 1_000 }, removeOnFail: { count: 5_000 } };

/** BullMQ runs the lowest number first and puts unprioritised jobs ahead: map every job into 1…2,000,000. */
function bullPriority(priority: number): number {
  return Math.max(1, 1_000_000 - priority);
}

/**
 * Jobs on BullMQ: Redis is the transport, the `jobs` row stays the record (status, attempts,
 * result, runs). One Queue and one Worker per job name, so each name's concurrency is its Worker's
 * and a slow kind of job never holds up another. Schedules stay rows in `job_schedules`, mirrored
 * into BullMQ job schedulers; a fire creates the run's row with key `schedule:<name>:<time>`.
 * A worker killed mid-job loses its Redis lock: BullMQ's stalled check hands the job to another
 * worker after about `leaseMs`.
 */
export function createBullJobs(deps: JobsDeps & { redis: Redis }): Jobs {
  const { db, log, redis } = deps;
  const prefix = deps.queuePrefix ?? "sightline";
  const core = createJobsCore(deps);
  const schedules = createSchedules(core, mirrorSchedule);
  const queues = new Map<string, Queue<BullData>>();
  const workers = new Map<string, Worker<BullData>>();
  let started = false;

  function queue(name: string): Queue<BullData> {
    let found = queues.get(name);
    if (!found) {
      // BullMQ reserves ":" in queue names.
      found = new Queue<BullData>(encodeURIComponent(name), { connection: redis, prefix });
      found.on("error", (error) => log.warn({ err: error, name }, "BullMQ queue error"));
      queues.set(name, found);
    }
    return found;
  }

  function startWorker(job: ResolvedJob): void {
    const worker = new Worker<BullData>(
      encodeURIComponent(job.name),
      (bullJob, token, signal) => processJob(bullJob, token, signal),
      {
        connection: redis,
        prefix,
        name: core.workerId,
        concurrency: job.concurrency,
        lockDuration: deps.leaseMs,
        stalledInterval: deps.leaseMs,
        // The row's attempts count every start, stalled ones too: claimRow stops a job that keeps killing workers.
        maxStalledCount: job.maxAttempts,
        ...keep,
      },
    );
    worker.on("error", (error) => log.warn({ err: error, name: job.name }, "BullMQ worker error"));
    workers.set(job.name, worker);
  }

  async function processJob(bullJob: BullJob<BullData>, token: string | undefined, signal?: AbortSignal) {
    const data = bullJob.data;
    if ("schedule" in data) {
      return fire(data.schedule, new Date(bullJob.opts.prevMillis ?? bullJob.timestamp));
    }
    const row = await claimRow(data.id);
    if (!row) return null; // finished, cancelled or deleted meanwhile: nothing to run
    return handOver(await runAttempt(core, row, signal), bullJob, token);
  }

  /** Maps an attempt's outcome onto BullMQ: its retry and backoff mirror what the row says. */
  async function handOver(outcome: AttemptOutcome, bullJob: BullJob<BullData>, token: string | undefined) {
    switch (outcome.kind) {
      case "completed":
        return outcome.result;
      case "failed":
        throw outcome.willRetry ? new Error(outcome.error) : new UnrecoverableError(outcome.error);
      case "cancelled":
        throw new UnrecoverableError("Cancelled");
      case "interrupted":
        // Back to waiting without spending an attempt.
        await bullJob.moveToWait(token);
        throw new WaitingError();
      case "lost":
        throw new Error("The job's row could not be updated; retrying");
    }
  }

  /** Takes the row for this worker; a row left running belongs to a worker BullMQ found dead. */
  async function claimRow(id: string): Promise<JobRow | undefined> {
    const open = and(eq(jobs.id, id), inArray(jobs.status, ["queued", "running"]));
    const [row] = await db
      .update(jobs)
      .set({
        status: "running",
        attempts: sql`${jobs.attempts} + 1`,
        lockedBy: core.workerId,
        lockedUntil: nowPlus(deps.leaseMs),
        startedAt: sql`coalesce(${jobs.startedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(and(open, eq(jobs.cancelRequested, false), sql`${jobs.attempts} < ${jobs.maxAttempts}`))
      .returning();
    if (row) return row;
    // Cancel asked while no worker held it, or a dead worker used the last attempt.
    core.reportReleased(await releaseAbandoned(db, open));
    return undefined;
  }

  /** Inserts the row (or finds the one holding the key) and hands it to BullMQ. */
  async function enqueueRow(job: ResolvedJob, payload: unknown, options: EnqueueOptions) {
    const { row, created } = await insertJob(db, job, payload, options);
    if (!created && row.status !== "queued") return row;
    try {
      // Re-adding an existing id is a no-op in BullMQ; it repairs a row whose add was lost in a crash.
      await queue(job.name).add(
        job.name,
        { id: row.id },
        {
          jobId: row.id,
          delay: options.delayMs ?? 0,
          priority: bullPriority(row.priority),
          attempts: row.maxAttempts,
          backoff: { type: "exponential", delay: row.backoffMs },
          ...keep,
        },
      );
    } catch (error) {
      if (created) await db.delete(jobs).where(eq(jobs.id, row.id));
      throw error;
    }
    if (created) log.debug({ jobId: row.id, name: job.name }, "job enqueued");
    return row;
  }

  async function fire(scheduleName: string, firedAt: Date) {
    const [schedule] = await db.select().from(jobSchedules).where(eq(jobSchedules.name, scheduleName));
    if (!schedule || schedule.paused) return null; // changed after Redis planned this fire
    const key = scheduleRunKey(schedule.name, firedAt);
    const row = await enqueueRow(core.job(schedule.jobName), schedule.payload, { idempotencyKey: key });
    await markFired(db, schedule, firedAt, row.id);
    log.info({ schedule: schedule.name, jobId: row.id, name: row.name }, "schedule fired");
    return null;
  }

  /** Keeps BullMQ's scheduler for a schedule in line with its row. */
  async function mirrorSchedule(before: ScheduleRow | undefined, after: ScheduleRow | undefined) {
    if (before && (!after || after.paused || after.jobName !== before.jobName)) {
      await queue(before.jobName).removeJobScheduler(before.name);
    }
    if (after && !after.paused) {
      await queue(after.jobName).upsertJobScheduler(
        after.name,
        { pattern: expandCron(after.cron), tz: after.timezone },
        { name: `schedule:${after.name}`, data: { schedule: after.name }, opts: keep },
      );
    }
  }

  /** At start: every active row has its scheduler, and no scheduler outlives its row. */
  async function reconcileSchedules() {
    const rows = await db.select().from(jobSchedules);
    for (const row of rows) await mirrorSchedule(undefined, row);
    for (const name of core.definitions.keys()) {
      const wanted = new Set(
        rows.filter((row) => row.jobName === name && !row.paused).map((row) => row.name),
      );
      for (const scheduler of await queue(name).getJobSchedulers()) {
        if (!wanted.has(scheduler.key)) await queue(name).removeJobScheduler(scheduler.key);
      }
    }
  }

  return {
    kind: "bullmq",
    define(definition) {
      const job = core.define(definition);
      if (started) startWorker(job);
    },
    async enqueue(name, payload, options = {}) {
      const job = core.job(name);
      const row = await enqueueRow(job, core.parsePayload(job, payload), core.checkOptions(options));
      return toJobRecord(row);
    },
    get: core.get,
    list: core.list,
    runs: core.runs,
    async cancel(id) {
      const record = await core.cancel(id);
      if (record.status === "cancelled") {
        // Gone from Redis too when it was waiting; a worker that still picks it up skips it.
        await queue(record.name)
          .remove(id)
          .catch(() => undefined);
      }
      return record;
    },
    waitFor: core.waitFor,
    subscribe: core.subscribe,
    schedules,
    async start() {
      if (started) return;
      started = true;
      for (const job of core.definitions.values()) startWorker(job);
      await Promise.all([...workers.values()].map((worker) => worker.waitUntilReady()));
      await reconcileSchedules();
      log.info({ worker: core.workerId, jobs: [...core.definitions.keys()] }, "BullMQ job workers started");
    },
    async stop(deadlineMs = 10_000) {
      started = false;
      await core.drain(Promise.all([...workers.values()].map((worker) => worker.close())), deadlineMs);
      workers.clear();
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
    async ping() {
      await Promise.all([db.execute(sql`select 1`), redis.ping()]);
    },
    status: () => core.status("bullmq", schedules),
  };
}
