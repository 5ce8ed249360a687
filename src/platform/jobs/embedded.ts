import { and, asc, desc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import { runAttempt } from "./attempt.js";
import { createJobsCore, type JobsCore, type JobsDeps } from "./core.js";
import { scheduleRunKey } from "./cron.js";
import { jobSchedules, jobs } from "./jobs.tables.js";
import { insertJob, type JobRow, nowPlus, releaseAbandoned, toJobRecord } from "./records.js";
import { createSchedules, markFired } from "./schedules.js";
import type { Jobs } from "./types.js";

/**
 * Jobs as durable rows in the metadata database, run by workers inside this process. Workers poll
 * every `pollMs` (and at once after an enqueue here), claim due rows with FOR UPDATE SKIP LOCKED
 * and hold a lease renewed by heartbeat, so several processes can share one PostgreSQL database.
 */
export function createEmbeddedJobs(deps: JobsDeps): Jobs {
  const { db, log } = deps;
  const core = createJobsCore(deps);
  const schedules = createSchedules(core);
  const active = new Map<string, Promise<void>>();
  const activeByName = new Map<string, number>();
  let state: "idle" | "running" | "stopping" = "idle";
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let again = false;

  /** Runs a poll now, or right after the one in progress. */
  function wake(): void {
    if (state !== "running") return;
    if (ticking) {
      again = true;
      return;
    }
    clearTimeout(timer);
    ticking = tick().then((ok) => {
      ticking = undefined;
      if (state !== "running") return;
      if (again && ok) {
        again = false;
        setImmediate(wake);
      } else {
        // After a failure (database down) poll gently until it answers again.
        timer = setTimeout(wake, ok ? deps.pollMs : Math.max(deps.pollMs, 1_000));
      }
    });
  }

  /** One poll: reclaim dead workers' jobs, fire due schedules, claim what this process has room for. */
  async function tick(): Promise<boolean> {
    try {
      // On PGlite only this process can hold a lease: start() already reclaimed the dead ones.
      if (deps.dbKind === "postgres") await reclaim(core, "expired");
      await fireDueSchedules();
      for (const job of core.definitions.values()) {
        const free = job.concurrency - (activeByName.get(job.name) ?? 0);
        if (free <= 0 || state !== "running") continue;
        for (const row of await claim(core, job.name, free)) launch(row);
      }
      return true;
    } catch (error) {
      log.warn({ err: error }, "job poll failed; retrying");
      return false;
    }
  }

  function launch(row: JobRow): void {
    activeByName.set(row.name, (activeByName.get(row.name) ?? 0) + 1);
    const attempt = runAttempt(core, row)
      .then(() => undefined)
      .catch((error: unknown) => {
        log.error(
          { err: error, jobId: row.id, name: row.name },
          "job attempt could not run; its lease will expire",
        );
      })
      .finally(() => {
        active.delete(row.id);
        activeByName.set(row.name, (activeByName.get(row.name) ?? 1) - 1);
        wake();
      });
    active.set(row.id, attempt);
  }

  /**
   * Enqueues a run of every due schedule and moves it to its next time. Rows are locked (SKIP LOCKED)
   * so that each due time fires in one process; the run's idempotency key makes a repeat harmless.
   */
  async function fireDueSchedules(): Promise<void> {
    const names = [...core.definitions.keys()];
    if (names.length === 0) return;
    const isDue = and(
      eq(jobSchedules.paused, false),
      lte(jobSchedules.nextRunAt, sql`now()`),
      inArray(jobSchedules.jobName, names),
    );
    // Most polls find nothing due: look before opening a transaction.
    const [anyDue] = await db.select({ name: jobSchedules.name }).from(jobSchedules).where(isDue).limit(1);
    if (!anyDue) return;
    await db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(jobSchedules)
        .where(isDue)
        .limit(100)
        .for("update", { skipLocked: true });
      for (const schedule of due) {
        if (!schedule.nextRunAt) continue;
        const key = scheduleRunKey(schedule.name, schedule.nextRunAt);
        const job = core.job(schedule.jobName);
        const { row } = await insertJob(tx, job, schedule.payload, { idempotencyKey: key });
        await markFired(tx, schedule, schedule.nextRunAt, row.id);
        log.info({ schedule: schedule.name, jobId: row.id, name: row.name }, "schedule fired");
      }
    });
  }

  return {
    kind: "embedded",
    define(definition) {
      core.define(definition);
      wake();
    },
    async enqueue(name, payload, options) {
      const job = core.job(name);
      const data = core.parsePayload(job, payload);
      const { row, created } = await insertJob(db, job, data, core.checkOptions(options));
      if (created) {
        log.debug({ jobId: row.id, name }, "job enqueued");
        wake();
      }
      return toJobRecord(row);
    },
    get: core.get,
    list: core.list,
    runs: core.runs,
    cancel: core.cancel,
    waitFor: core.waitFor,
    subscribe: core.subscribe,
    schedules,
    async start() {
      if (state === "running") return;
      // PGlite is single-process (a lock file guards it): a running job here belongs to a dead process.
      if (deps.dbKind === "pglite") await reclaim(core, "all");
      state = "running";
      log.info({ worker: core.workerId, jobs: [...core.definitions.keys()] }, "embedded job workers started");
      wake();
    },
    async stop(deadlineMs = 10_000) {
      if (state !== "running") return;
      state = "stopping";
      clearTimeout(timer);
      await ticking;
      await core.drain(Promise.allSettled(active.values()), deadlineMs);
      state = "idle";
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    status: () => core.status("embedded", schedules),
  };
}

/** Claims up to `limit` due jobs of one name: highest priority first, then oldest run_at. */
async function claim(core: JobsCore, name: string, limit: number): Promise<JobRow[]> {
  const { db, leaseMs } = core.deps;
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, "queued"), eq(jobs.name, name), lte(jobs.runAt, sql`now()`)))
    .orderBy(desc(jobs.priority), asc(jobs.runAt), asc(jobs.createdAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      lockedBy: core.workerId,
      lockedUntil: nowPlus(leaseMs),
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(inArray(jobs.id, due))
    .returning();
  return rows.sort(
    (a, b) =>
      b.priority - a.priority ||
      a.runAt.getTime() - b.runAt.getTime() ||
      a.createdAt.getTime() - b.createdAt.getTime(),
  );
}

/** Gives back jobs whose worker died: lease expired (PostgreSQL), or every running one (PGlite at start). */
async function reclaim(core: JobsCore, which: "expired" | "all"): Promise<void> {
  const expired = which === "expired" ? lt(jobs.lockedUntil, sql`now()`) : undefined;
  core.reportReleased(await releaseAbandoned(core.deps.db, and(eq(jobs.status, "running"), expired)));
}
