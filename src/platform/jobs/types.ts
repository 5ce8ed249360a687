import type { z } from "zod";
import type { Logger } from "../log.js";
import type { JobRunStatus, JobStatus } from "./jobs.tables.js";

export type { JobRunStatus, JobStatus };

/** What a handler gets besides its payload. */
export interface JobContext {
  jobId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** Aborted on timeout, cancel or shutdown past the deadline. */
  signal: AbortSignal;
  /** Records progress (0–100 or any JSON) and publishes a `job_progress` event. */
  progress(value: number | Record<string, unknown>): Promise<void>;
  log: Logger;
}

export interface JobDefinition<P = unknown> {
  name: string;
  payload: z.ZodType<P>;
  handler: (payload: P, context: JobContext) => Promise<unknown>;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First retry delay; each next one doubles. Default 1,000 ms. */
  backoffMs?: number;
  /** Jobs of this name one process runs at once. Default JOBS_CONCURRENCY. */
  concurrency?: number;
  /**
   * The job works on files only the `serve` process holds open (a workspace's DuckDB warehouse):
   * `sightline worker` processes leave it to `serve`.
   */
  serveOnly?: boolean;
  /** An attempt running longer fails (and is retried). Default 5 minutes. */
  timeoutMs?: number;
}

export interface EnqueueOptions {
  delayMs?: number;
  /** Higher runs first among due jobs. Default 0. */
  priority?: number;
  /** A key already used returns the existing job: the same key never runs twice. */
  idempotencyKey?: string;
}

export interface JobRecord {
  id: string;
  name: string;
  payload: unknown;
  status: JobStatus;
  priority: number;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  progress: unknown;
  result: unknown;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface JobRun {
  id: string;
  jobId: string;
  attempt: number;
  status: JobRunStatus;
  worker: string;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
}

export type ScheduleShorthand = "hourly" | "daily" | "weekly" | "monthly";

export interface ScheduleInput {
  /** Unique name; upserting an existing name changes it. */
  name: string;
  jobName: string;
  /** A cron expression (5 or 6 fields) or a shorthand. */
  cron: string | ScheduleShorthand;
  /** IANA time zone the cron is read in. Default UTC. */
  timezone?: string;
  payload?: unknown;
  paused?: boolean;
}

export interface ScheduleRecord {
  name: string;
  jobName: string;
  cron: string;
  timezone: string;
  payload: unknown;
  paused: boolean;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  lastJobId: string | null;
}

export type JobEvent =
  | { type: "progress"; job: JobRecord }
  | { type: "started"; job: JobRecord }
  | { type: "completed"; job: JobRecord }
  | { type: "failed"; job: JobRecord; willRetry: boolean }
  | { type: "cancelled"; job: JobRecord };

export interface JobListQuery {
  name?: string;
  status?: JobStatus;
  limit: number;
  cursor?: string;
}

export interface Schedules {
  upsert(input: ScheduleInput): Promise<ScheduleRecord>;
  get(name: string): Promise<ScheduleRecord | undefined>;
  list(): Promise<ScheduleRecord[]>;
  pause(name: string): Promise<ScheduleRecord>;
  resume(name: string): Promise<ScheduleRecord>;
  remove(name: string): Promise<void>;
}

/** A snapshot for operators: what the job system is doing now. */
export interface JobsStatus {
  kind: "embedded" | "bullmq";
  running: number;
  queued: number;
  schedules: number;
  /** Schedules that are not paused. */
  activeSchedules: number;
  /** The soonest run of an active schedule. */
  nextRunAt: Date | null;
}

/** The one job interface; embedded (metadata DB) and BullMQ (Redis) implement it. */
export interface Jobs {
  readonly kind: "embedded" | "bullmq";
  define<P>(definition: JobDefinition<P>): void;
  enqueue(name: string, payload: unknown, options?: EnqueueOptions): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  list(query: JobListQuery): Promise<{ items: JobRecord[]; nextCursor: string | null }>;
  runs(jobId: string): Promise<JobRun[]>;
  /** A queued job is cancelled at once; a running one has its signal aborted. */
  cancel(id: string): Promise<JobRecord>;
  /** Waits until the job is completed, failed or cancelled (default timeout 60 s). */
  waitFor(id: string, timeoutMs?: number): Promise<JobRecord>;
  subscribe(listener: (event: JobEvent) => void): () => void;
  schedules: Schedules;
  /** Starts workers and the scheduler in this process. */
  start(): Promise<void>;
  /** Stops taking work and waits for running jobs until the deadline, then aborts them. */
  stop(deadlineMs?: number): Promise<void>;
  ping(): Promise<void>;
  /** Counts of running and queued jobs, schedules and the next scheduled run. */
  status(): Promise<JobsStatus>;
}
