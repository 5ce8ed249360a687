import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { and, eq, sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { Db } from "../db/index.js";
import { Invalid, NotFound } from "../errors.js";
import type { EventBus } from "../events/index.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { jobs } from "./jobs.tables.js";
import {
  countByStatus,
  findJob,
  isJobId,
  isTerminal,
  type JobRow,
  type JobSettings,
  listJobs,
  listRuns,
  toJobRecord,
} from "./records.js";
import type {
  EnqueueOptions,
  JobDefinition,
  JobEvent,
  JobRecord,
  Jobs,
  JobsStatus,
  Schedules,
} from "./types.js";

export interface JobsDeps {
  db: Db;
  dbKind: "pglite" | "postgres";
  log: Logger;
  metrics: Metrics;
  events: EventBus;
  /** Default jobs of one name a process runs at once. */
  concurrency: number;
  /** A running job whose worker stops renewing its lease this long is given to another worker. */
  leaseMs: number;
  /** How often idle embedded workers look for due jobs and schedules. */
  pollMs: number;
  /** Connected ioredis client (maxRetriesPerRequest: null): present means BullMQ. */
  redis?: Redis;
  /** Prefix of BullMQ's Redis keys, so tests can share one Redis. Default "sightline". */
  queuePrefix?: string;
}

/** A definition with its defaults filled in. */
export interface ResolvedJob extends JobSettings {
  definition: JobDefinition<unknown>;
  concurrency: number;
}

/** Why an attempt's signal was aborted; the signal's `reason` is one of these. */
export class AttemptAborted extends Error {
  constructor(
    readonly why: "timeout" | "cancel" | "shutdown" | "lost",
    message: string,
  ) {
    super(message);
    this.name = "AttemptAborted";
  }
}

const defaults = { retries: 3, backoffMs: 1_000, timeoutMs: 5 * 60_000 };

/**
 * What both runners share: definitions, payload validation, the durable record reads, events,
 * cancel and waitFor. A runner adds how jobs reach a worker (enqueue, start, stop, schedules).
 */
export function createJobsCore(deps: JobsDeps) {
  const { db, log } = deps;
  const definitions = new Map<string, ResolvedJob>();
  const listeners = new Set<(event: JobEvent) => void>();
  /** Attempts running in this process, by job id. */
  const running = new Map<string, AbortController>();
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

  function define<P>(definition: JobDefinition<P>): ResolvedJob {
    if (definitions.has(definition.name)) throw new Error(`Job "${definition.name}" is defined twice`);
    const resolved: ResolvedJob = {
      definition: definition as JobDefinition<unknown>,
      name: definition.name,
      maxAttempts: 1 + (definition.retries ?? defaults.retries),
      backoffMs: definition.backoffMs ?? defaults.backoffMs,
      timeoutMs: definition.timeoutMs ?? defaults.timeoutMs,
      concurrency: definition.concurrency ?? deps.concurrency,
    };
    definitions.set(definition.name, resolved);
    return resolved;
  }

  function job(name: string): ResolvedJob {
    const found = definitions.get(name);
    if (!found) throw new Invalid(`Unknown job "${name}"`, { field: "name", known: [...definitions.keys()] });
    return found;
  }

  function parsePayload(target: ResolvedJob, payload: unknown): unknown {
    const parsed = target.definition.payload.safeParse(payload);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    const first = issues[0];
    throw new Invalid(
      `Invalid payload for job "${target.name}"${first ? `: ${first.path || "payload"}: ${first.message}` : ""}`,
      { errors: issues },
    );
  }

  function checkOptions(options: EnqueueOptions = {}): EnqueueOptions {
    const { delayMs, priority, idempotencyKey } = options;
    if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
      throw new Invalid("delayMs must be a number of milliseconds, 0 or more", { field: "delayMs" });
    }
    if (priority !== undefined && !(Number.isInteger(priority) && Math.abs(priority) <= 1_000_000)) {
      throw new Invalid("priority must be an integer between -1,000,000 and 1,000,000", {
        field: "priority",
      });
    }
    if (idempotencyKey !== undefined && idempotencyKey.length === 0) {
      throw new Invalid("An idempotency key cannot be empty", { field: "idempotencyKey" });
    }
    return options;
  }

  function emit(event: JobEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log.warn({ err: error, jobId: event.job.id }, "a job event listener threw");
      }
    }
    const { job: record } = event;
    deps.events
      .publish({
        type: "job_progress",
        data: {
          jobId: record.id,
          name: record.name,
          status: record.status,
          progress: record.progress,
          attempts: record.attempts,
          error: record.error,
        },
      })
      .catch((error: unknown) => log.warn({ err: error, jobId: record.id }, "could not publish a job event"));
  }

  function subscribe(listener: (event: JobEvent) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async function get(id: string): Promise<JobRecord | undefined> {
    const row = await findJob(db, id);
    return row && toJobRecord(row);
  }

  /** A queued job is cancelled at once; a running one is flagged and, when it runs here, aborted. */
  async function cancel(id: string): Promise<JobRecord> {
    if (!isJobId(id)) throw new NotFound("Job", { jobId: id });
    const [cancelled] = await db
      .update(jobs)
      .set({ status: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, id), eq(jobs.status, "queued")))
      .returning();
    if (cancelled) {
      const record = toJobRecord(cancelled);
      emit({ type: "cancelled", job: record });
      log.info({ jobId: id, name: record.name }, "job cancelled");
      return record;
    }
    const [flagged] = await db
      .update(jobs)
      .set({ cancelRequested: true, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, id), eq(jobs.status, "running")))
      .returning();
    if (flagged) {
      running.get(id)?.abort(new AttemptAborted("cancel", "Cancelled"));
      return toJobRecord(flagged);
    }
    const record = await get(id);
    if (!record) throw new NotFound("Job", { jobId: id });
    return record;
  }

  /** Polls the row (another process may run the job); a local event ends a wait early. */
  async function waitFor(id: string, timeoutMs = 60_000): Promise<JobRecord> {
    const deadline = Date.now() + timeoutMs;
    const interval = Math.min(Math.max(deps.pollMs, 20), 250);
    for (;;) {
      const record = await get(id);
      if (!record) throw new NotFound("Job", { jobId: id });
      if (isTerminal(record.status)) return record;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`Job ${id} did not finish within ${timeoutMs} ms (status ${record.status})`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        };
        const timer = setTimeout(done, Math.min(interval, left));
        const unsubscribe = subscribe((event) => {
          if (event.job.id === id && isTerminal(event.job.status)) done();
        });
      });
    }
  }

  async function status(kind: Jobs["kind"], schedules: Schedules): Promise<JobsStatus> {
    const [counts, all] = await Promise.all([countByStatus(db), schedules.list()]);
    const upcoming = all
      .filter((schedule) => !schedule.paused && schedule.nextRunAt)
      .map((schedule) => schedule.nextRunAt as Date)
      .sort((a, b) => a.getTime() - b.getTime());
    return {
      kind,
      running: counts.running ?? 0,
      queued: counts.queued ?? 0,
      schedules: all.length,
      activeSchedules: all.filter((schedule) => !schedule.paused).length,
      nextRunAt: upcoming[0] ?? null,
    };
  }

  /** Tells listeners and the log about jobs taken back from dead workers. */
  function reportReleased(rows: JobRow[]): void {
    for (const row of rows) {
      const record = toJobRecord(row);
      log.warn(
        { jobId: row.id, name: row.name, attempt: row.attempts, status: row.status },
        "took back a job from a worker that stopped",
      );
      if (row.status === "failed") emit({ type: "failed", job: record, willRetry: false });
      if (row.status === "cancelled") emit({ type: "cancelled", job: record });
    }
  }

  /** Waits for `finished` until the deadline, then interrupts the attempts still running here. */
  async function drain(finished: Promise<unknown>, deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      finished.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), deadlineMs);
      }),
    ]);
    clearTimeout(timer);
    if (inTime) return;
    log.warn({ running: running.size }, "shutdown deadline passed: interrupting running jobs");
    for (const controller of running.values()) {
      controller.abort(new AttemptAborted("shutdown", "The worker is shutting down"));
    }
    await finished;
  }

  return {
    deps,
    workerId,
    definitions,
    running,
    define,
    job,
    parsePayload,
    checkOptions,
    emit,
    subscribe,
    get,
    list: (query: Parameters<typeof listJobs>[1]) => listJobs(db, query),
    runs: (jobId: string) => listRuns(db, jobId),
    cancel,
    waitFor,
    status,
    drain,
    reportReleased,
  };
}

export type JobsCore = ReturnType<typeof createJobsCore>;
