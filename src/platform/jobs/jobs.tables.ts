import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";
export type JobRunStatus = "running" | "completed" | "failed" | "cancelled";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** One row per enqueued job, whichever runner executes it: the durable record users see. */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status").$type<JobStatus>().notNull().default("queued"),
    priority: integer("priority").notNull().default(0),
    runAt: ts("run_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    backoffMs: integer("backoff_ms").notNull(),
    timeoutMs: integer("timeout_ms").notNull(),
    idempotencyKey: text("idempotency_key").unique(),
    lockedBy: text("locked_by"),
    lockedUntil: ts("locked_until"),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    progress: jsonb("progress"),
    result: jsonb("result"),
    error: text("error"),
    createdAt: ts("created_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (table) => [
    index("jobs_due_idx").on(table.status, table.runAt).where(sql`status in ('queued', 'running')`),
    index("jobs_name_created_idx").on(table.name, table.createdAt),
    index("jobs_created_idx").on(table.createdAt, table.id),
  ],
);

/** One row per attempt of a job. */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    status: text("status").$type<JobRunStatus>().notNull(),
    worker: text("worker").notNull(),
    startedAt: ts("started_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
    durationMs: integer("duration_ms"),
    error: text("error"),
  },
  (table) => [index("job_runs_job_idx").on(table.jobId, table.attempt)],
);

/** Recurring schedules: data, editable while the process runs. */
export const jobSchedules = pgTable("job_schedules", {
  name: text("name").primaryKey(),
  jobName: text("job_name").notNull(),
  cron: text("cron").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  payload: jsonb("payload").notNull(),
  paused: boolean("paused").notNull().default(false),
  nextRunAt: ts("next_run_at"),
  lastRunAt: ts("last_run_at"),
  lastJobId: uuid("last_job_id"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
