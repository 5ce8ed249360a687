import { and, asc, desc, eq, getTableColumns, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/index.js";
import { Conflict } from "../errors.js";
import { decodeCursor, encodeCursor } from "../http/pagination.js";
import { jobRuns, jobs } from "./jobs.tables.js";
import type { EnqueueOptions, JobListQuery, JobRecord, JobRun, JobStatus } from "./types.js";

/**
 * The `jobs` / `job_runs` rows are the durable, user-visible record of every job, whichever runner
 * moves it: the helpers here are the one place both runners read and write them.
 */
export type JobRow = typeof jobs.$inferSelect;

export const terminalStatuses: readonly JobStatus[] = ["completed", "failed", "cancelled"];

export function isTerminal(status: JobStatus): boolean {
  return terminalStatuses.includes(status);
}

export function toJobRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    name: row.name,
    payload: row.payload,
    status: row.status,
    priority: row.priority,
    runAt: row.runAt,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    idempotencyKey: row.idempotencyKey,
    progress: row.progress ?? null,
    result: row.result ?? null,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

function toJobRun(row: typeof jobRuns.$inferSelect): JobRun {
  return { ...row };
}

/** `now() + ms`, computed by the database so that every process shares one clock. */
export function nowPlus(ms: number): SQL<Date> {
  return sql<Date>`now() + ${Math.max(0, Math.round(ms))} * interval '1 millisecond'`;
}

/** What a job row takes from its definition. */
export interface JobSettings {
  name: string;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

/**
 * Inserts a queued job. With an idempotency key already used, nothing is inserted and the existing
 * row is returned (`created: false`): the unique column makes this safe across processes.
 */
export async function insertJob(
  db: Db,
  settings: JobSettings,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<{ row: JobRow; created: boolean }> {
  const [row] = await db
    .insert(jobs)
    .values({
      name: settings.name,
      payload: payload ?? null,
      priority: options.priority ?? 0,
      runAt: nowPlus(options.delayMs ?? 0),
      maxAttempts: settings.maxAttempts,
      backoffMs: settings.backoffMs,
      timeoutMs: settings.timeoutMs,
      idempotencyKey: options.idempotencyKey ?? null,
    })
    .onConflictDoNothing({ target: jobs.idempotencyKey })
    .returning();
  if (row) return { row, created: true };
  const [existing] = await db
    .select()
    .from(jobs)
    .where(eq(jobs.idempotencyKey, options.idempotencyKey ?? ""));
  if (!existing) throw new Error("A job insert conflicted but no job holds its idempotency key");
  if (existing.name !== settings.name) {
    throw new Conflict(
      `Idempotency key "${options.idempotencyKey}" is already used by a "${existing.name}" job`,
      {
        jobId: existing.id,
      },
    );
  }
  return { row: existing, created: false };
}

/** Closes the runs a worker that died left open: they failed, whatever happens to their job next. */
export async function closeOpenRuns(db: Db, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db
    .update(jobRuns)
    .set({
      status: "failed",
      error: "The worker stopped during this attempt",
      finishedAt: sql`now()`,
      durationMs: sql`(extract(epoch from now() - ${jobRuns.startedAt}) * 1000)::int`,
    })
    .where(and(inArray(jobRuns.jobId, jobIds), eq(jobRuns.status, "running")));
}

/**
 * Settles jobs whose worker died mid-attempt: cancelled when that was asked, failed when no attempt
 * is left, else queued to run again; their open runs are closed in the same transaction.
 */
export async function releaseAbandoned(db: Db, where: SQL | undefined): Promise<JobRow[]> {
  const exhausted = sql`${jobs.attempts} >= ${jobs.maxAttempts}`;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(jobs)
      .set({
        status: sql`case when ${jobs.cancelRequested} then 'cancelled' when ${exhausted} then 'failed' else 'queued' end`,
        error: sql`case when ${jobs.cancelRequested} then 'Cancelled' else 'The worker stopped during this attempt' end`,
        finishedAt: sql`case when ${jobs.cancelRequested} or ${exhausted} then now() end`,
        runAt: sql`now()`,
        lockedBy: null,
        lockedUntil: null,
        updatedAt: sql`now()`,
      })
      .where(where)
      .returning();
    await closeOpenRuns(
      tx,
      rows.map((row) => row.id),
    );
    return rows;
  });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Job ids are UUIDs; anything else names no job (and must not reach a uuid column). */
export function isJobId(id: string): boolean {
  return uuidPattern.test(id);
}

export async function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  if (!isJobId(id)) return undefined;
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

export async function listRuns(db: Db, jobId: string): Promise<JobRun[]> {
  if (!isJobId(jobId)) return [];
  const rows = await db
    .select()
    .from(jobRuns)
    .where(eq(jobRuns.jobId, jobId))
    .orderBy(asc(jobRuns.attempt), asc(jobRuns.startedAt));
  return rows.map(toJobRun);
}

// created_at keeps microseconds, a JS Date only milliseconds: the cursor carries the database's text.
const cursorShape = z.object({ createdAt: z.string().min(1), id: z.string().regex(uuidPattern) });

/** Newest first, `limit` at a time, with an opaque cursor on (created_at, id). */
export async function listJobs(
  db: Db,
  query: JobListQuery,
): Promise<{ items: JobRecord[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, cursorShape);
  const conditions: SQL[] = [];
  if (query.name) conditions.push(eq(jobs.name, query.name));
  if (query.status) conditions.push(eq(jobs.status, query.status));
  if (after) {
    const createdAt = sql`${after.createdAt}::timestamptz`;
    const before = or(
      lt(jobs.createdAt, createdAt),
      and(eq(jobs.createdAt, createdAt), lt(jobs.id, after.id)),
    );
    if (before) conditions.push(before);
  }
  const rows = await db
    .select({ ...getTableColumns(jobs), createdAtText: sql<string>`${jobs.createdAt}::text` })
    .from(jobs)
    .where(and(...conditions))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ createdAtText: _, ...row }) => toJobRecord(row)),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAtText, id: last.id }) : null,
  };
}

/** Counts of jobs by status, for the scheduler status view. */
export async function countByStatus(db: Db): Promise<Partial<Record<JobStatus, number>>> {
  const rows = await db
    .select({ status: jobs.status, count: sql<number>`count(*)::int` })
    .from(jobs)
    .where(sql`${jobs.status} in ('queued', 'running')`)
    .groupBy(jobs.status);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}
