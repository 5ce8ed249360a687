import { and, eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Db } from "../db/index.js";
import { Invalid } from "../errors.js";
import type { Logger } from "../log.js";
import { AttemptAborted, type JobsCore, type ResolvedJob } from "./core.js";
import { jobRuns, jobs } from "./jobs.tables.js";
import { closeOpenRuns, type JobRow, nowPlus, toJobRecord } from "./records.js";
import type { JobContext, JobRecord, JobRunStatus } from "./types.js";

/** How one attempt ended; the runner maps it onto its transport (BullMQ retry, requeue…). */
export type AttemptOutcome =
  | { kind: "completed"; result: unknown }
  | { kind: "failed"; error: string; willRetry: boolean }
  | { kind: "cancelled" }
  /** Stopped by shutdown: queued again, the attempt not counted. */
  | { kind: "interrupted" }
  /** Another worker owns the job now (our lease expired): nothing was written. */
  | { kind: "lost" };

/** setTimeout fires at once past this (about 24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Runs one attempt of a job this worker has claimed (status running, attempts counted, locked by
 * `core.workerId`): records the run, validates the payload, enforces the timeout, renews the lease
 * and watches for cancellation, then writes the outcome. Every write is guarded by the lock, so a
 * worker that lost its lease never overwrites the worker that took over.
 */
export async function runAttempt(
  core: JobsCore,
  row: JobRow,
  external?: AbortSignal,
): Promise<AttemptOutcome> {
  const { metrics, leaseMs } = core.deps;
  const job = core.job(row.name);
  const attempt = row.attempts;
  const log = core.deps.log.child({ jobId: row.id, name: row.name, attempt });
  const runId = await beginRun(core, row);
  const started = performance.now();
  core.emit({ type: "started", job: toJobRecord(row) });
  log.info("job started");

  const controller = new AbortController();
  core.running.set(row.id, controller);
  const abortedBy = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  abortedBy.catch(() => undefined);
  const onExternalAbort = () => controller.abort(new AttemptAborted("lost", "The queue took this job back"));
  external?.addEventListener("abort", onExternalAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new AttemptAborted("timeout", `Timed out after ${job.timeoutMs} ms`)),
    Math.min(job.timeoutMs, maxTimerMs),
  );
  const heartbeat = startHeartbeat(core, row.id, controller);
  if (row.cancelRequested) controller.abort(new AttemptAborted("cancel", "Cancelled"));

  let outcome: AttemptOutcome;
  try {
    controller.signal.throwIfAborted();
    const payload = core.parsePayload(job, row.payload);
    const context: JobContext = {
      jobId: row.id,
      attempt,
      signal: controller.signal,
      log,
      progress: (value) => recordProgress(core, row.id, value),
    };
    const result = await Promise.race([job.definition.handler(payload, context), abortedBy]);
    outcome = { kind: "completed", result: result ?? null };
  } catch (error) {
    outcome = outcomeOfError(error, job, attempt);
  } finally {
    clearTimeout(timer);
    heartbeat.stop();
    external?.removeEventListener("abort", onExternalAbort);
    core.running.delete(row.id);
  }

  const durationMs = Math.round(performance.now() - started);
  const record = await settle(core, row, job, runId, outcome, durationMs).catch((error: unknown) => {
    log.error({ err: error }, "could not record the job outcome; it will run again");
    return null;
  });
  if (record === undefined) log.warn({ leaseMs }, "job lease lost: another worker runs this job now");
  if (!record) outcome = { kind: "lost" };
  const label = outcome.kind;
  metrics.jobsTotal.inc({ name: row.name, outcome: label });
  metrics.jobDuration.observe({ name: row.name, outcome: label }, durationMs / 1000);

  if (record) announce(core, record, outcome, durationMs, log);
  return outcome;
}

function outcomeOfError(error: unknown, job: ResolvedJob, attempt: number): AttemptOutcome {
  if (error instanceof AttemptAborted) {
    if (error.why === "cancel") return { kind: "cancelled" };
    if (error.why === "shutdown") return { kind: "interrupted" };
    if (error.why === "lost") return { kind: "lost" };
  }
  const message = error instanceof Error ? error.message : String(error);
  // A payload that fails its schema fails the same way on every retry.
  const retryable = !(error instanceof Invalid);
  return { kind: "failed", error: message, willRetry: retryable && attempt < job.maxAttempts };
}

/** Closes runs a dead worker left open, then opens this attempt's run. */
async function beginRun(core: JobsCore, row: JobRow): Promise<string> {
  const { db } = core.deps;
  await closeOpenRuns(db, [row.id]);
  const [run] = await db
    .insert(jobRuns)
    .values({ jobId: row.id, attempt: row.attempts, status: "running", worker: core.workerId })
    .returning({ id: jobRuns.id });
  if (!run) throw new Error("Could not record a job run");
  return run.id;
}

/** Renews the lease while the attempt runs and aborts it on cancel or when the lease was taken over. */
function startHeartbeat(core: JobsCore, jobId: string, controller: AbortController): { stop(): void } {
  const { db, leaseMs, log } = core.deps;
  let beating = false;
  const beat = async () => {
    if (beating || controller.signal.aborted) return;
    beating = true;
    try {
      const [lease] = await db
        .update(jobs)
        .set({ lockedUntil: nowPlus(leaseMs), updatedAt: sql`now()` })
        .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, core.workerId), eq(jobs.status, "running")))
        .returning({ cancelRequested: jobs.cancelRequested });
      if (!lease) controller.abort(new AttemptAborted("lost", "Another worker took this job over"));
      else if (lease.cancelRequested) controller.abort(new AttemptAborted("cancel", "Cancelled"));
    } catch (error) {
      log.warn({ err: error, jobId }, "could not renew a job lease");
    } finally {
      beating = false;
    }
  };
  const interval = setInterval(() => void beat(), Math.max(50, Math.min(leaseMs / 3, 2_000)));
  return { stop: () => clearInterval(interval) };
}

async function recordProgress(core: JobsCore, jobId: string, value: unknown): Promise<void> {
  const [updated] = await core.deps.db
    .update(jobs)
    .set({ progress: value, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, core.workerId), eq(jobs.status, "running")))
    .returning();
  if (updated) core.emit({ type: "progress", job: toJobRecord(updated) });
}

/**
 * Writes the outcome onto the job row, while this worker still holds it, and closes the run, in one
 * transaction: whoever sees the job finished also sees its run finished. Undefined when the lease was lost.
 */
async function settle(
  core: JobsCore,
  row: JobRow,
  job: ResolvedJob,
  runId: string,
  outcome: AttemptOutcome,
  durationMs: number,
): Promise<JobRecord | undefined> {
  return core.deps.db.transaction(async (tx) => {
    const record = await writeOutcome(tx, core, row, job, outcome);
    const [status, error] = runResult(record ? outcome : { kind: "lost" });
    await tx
      .update(jobRuns)
      .set({ status, error, finishedAt: sql`now()`, durationMs })
      .where(and(eq(jobRuns.id, runId), eq(jobRuns.status, "running")));
    return record;
  });
}

async function writeOutcome(
  db: Db,
  core: JobsCore,
  row: JobRow,
  job: ResolvedJob,
  outcome: AttemptOutcome,
): Promise<JobRecord | undefined> {
  const released = { lockedBy: null, lockedUntil: null, updatedAt: sql`now()` };
  let changes: PgUpdateSetSource<typeof jobs>;
  switch (outcome.kind) {
    case "lost":
      return undefined;
    case "completed":
      changes = { status: "completed", result: outcome.result, error: null, finishedAt: sql`now()` };
      break;
    case "failed":
      changes = outcome.willRetry
        ? { status: "queued", error: outcome.error, runAt: nowPlus(job.backoffMs * 2 ** (row.attempts - 1)) }
        : { status: "failed", error: outcome.error, finishedAt: sql`now()` };
      break;
    case "cancelled":
      changes = { status: "cancelled", error: "Cancelled", finishedAt: sql`now()` };
      break;
    case "interrupted":
      changes = { status: "queued", attempts: sql`${jobs.attempts} - 1`, runAt: sql`now()` };
      break;
  }
  const [updated] = await db
    .update(jobs)
    .set({ ...changes, ...released })
    .where(and(eq(jobs.id, row.id), eq(jobs.lockedBy, core.workerId), eq(jobs.status, "running")))
    .returning();
  return updated && toJobRecord(updated);
}

/** A run's final status and error for an outcome. */
function runResult(outcome: AttemptOutcome): [JobRunStatus, string | null] {
  switch (outcome.kind) {
    case "completed":
      return ["completed", null];
    case "failed":
      return ["failed", outcome.error];
    case "cancelled":
      return ["cancelled", "Cancelled"];
    case "interrupted":
      return ["cancelled", "Interrupted by shutdown; the job runs again"];
    case "lost":
      return ["failed", "The worker lost its lease; another worker runs the job"];
  }
}

function announce(
  core: JobsCore,
  record: JobRecord,
  outcome: AttemptOutcome,
  durationMs: number,
  log: Logger,
) {
  switch (outcome.kind) {
    case "completed":
      core.emit({ type: "completed", job: record });
      log.info({ durationMs }, "job completed");
      break;
    case "failed":
      core.emit({ type: "failed", job: record, willRetry: outcome.willRetry });
      log.warn({ durationMs, error: outcome.error, willRetry: outcome.willRetry }, "job attempt failed");
      break;
    case "cancelled":
      core.emit({ type: "cancelled", job: record });
      log.info({ durationMs }, "job cancelled");
      break;
    case "interrupted":
      log.info({ durationMs }, "job interrupted by shutdown; queued to run again");
      break;
  }
}
