import { asc, eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Db } from "../db/index.js";
import { Invalid, NotFound } from "../errors.js";
import type { JobsCore } from "./core.js";
import { checkCron, nextRunAt } from "./cron.js";
import { jobSchedules } from "./jobs.tables.js";
import type { ScheduleInput, ScheduleRecord, Schedules } from "./types.js";

/** The `job_schedules` rows are the source of truth for both runners; BullMQ mirrors them. */
export type ScheduleRow = typeof jobSchedules.$inferSelect;

export function toScheduleRecord(row: ScheduleRow): ScheduleRecord {
  return {
    name: row.name,
    jobName: row.jobName,
    cron: row.cron,
    timezone: row.timezone,
    payload: row.payload,
    paused: row.paused,
    nextRunAt: row.nextRunAt,
    lastRunAt: row.lastRunAt,
    lastJobId: row.lastJobId,
  };
}

/** Told after a schedule changed, so a runner can mirror it (`after` is undefined once removed). */
export type ScheduleChanged = (
  before: ScheduleRow | undefined,
  after: ScheduleRow | undefined,
) => Promise<void>;

export function createSchedules(core: JobsCore, changed: ScheduleChanged = async () => {}): Schedules {
  const { db } = core.deps;

  async function find(name: string): Promise<ScheduleRow | undefined> {
    const [row] = await db.select().from(jobSchedules).where(eq(jobSchedules.name, name));
    return row;
  }

  async function existing(name: string): Promise<ScheduleRow> {
    const row = await find(name);
    if (!row) throw new NotFound("Schedule", { schedule: name });
    return row;
  }

  /** Writes the changes and tells the runner; returns the new row. */
  async function update(before: ScheduleRow, changes: PgUpdateSetSource<typeof jobSchedules>) {
    const [after] = await db
      .update(jobSchedules)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(jobSchedules.name, before.name))
      .returning();
    if (!after) throw new NotFound("Schedule", { schedule: before.name });
    await changed(before, after);
    return toScheduleRecord(after);
  }

  return {
    /**
     * Creates or replaces a schedule. Omitted fields take their defaults (UTC, `{}` payload), except
     * `paused`, which keeps the current state so that editing a paused schedule does not resume it.
     */
    async upsert(input: ScheduleInput) {
      const name = input.name.trim();
      if (!name) throw new Invalid("A schedule needs a name", { field: "name" });
      const job = core.job(input.jobName);
      const timezone = input.timezone ?? "UTC";
      const cron = input.cron.trim();
      checkCron(cron, timezone);
      const payload = core.parsePayload(job, input.payload ?? {});
      const before = await find(name);
      const paused = input.paused ?? before?.paused ?? false;
      const sameTiming = before && !before.paused && before.cron === cron && before.timezone === timezone;
      const next = paused ? null : sameTiming ? before.nextRunAt : nextRunAt(cron, timezone);
      const values = { jobName: job.name, cron, timezone, payload: payload ?? {}, paused, nextRunAt: next };
      const [after] = await db
        .insert(jobSchedules)
        .values({ name, ...values })
        .onConflictDoUpdate({ target: jobSchedules.name, set: { ...values, updatedAt: sql`now()` } })
        .returning();
      if (!after) throw new Error(`Could not save schedule "${name}"`);
      await changed(before, after);
      return toScheduleRecord(after);
    },
    async get(name) {
      const row = await find(name);
      return row && toScheduleRecord(row);
    },
    async list() {
      const rows = await db.select().from(jobSchedules).orderBy(asc(jobSchedules.name));
      return rows.map(toScheduleRecord);
    },
    async pause(name) {
      return update(await existing(name), { paused: true, nextRunAt: null });
    },
    async resume(name) {
      const before = await existing(name);
      return update(before, { paused: false, nextRunAt: nextRunAt(before.cron, before.timezone) });
    },
    async remove(name) {
      const before = await existing(name);
      await db.delete(jobSchedules).where(eq(jobSchedules.name, name));
      await changed(before, undefined);
    },
  };
}

/** Records that a schedule fired at `firedAt` as job `jobId`, and when it fires next. */
export async function markFired(db: Db, schedule: ScheduleRow, firedAt: Date, jobId: string): Promise<void> {
  const from = new Date(Math.max(Date.now(), firedAt.getTime()));
  await db
    .update(jobSchedules)
    .set({
      lastRunAt: firedAt,
      lastJobId: jobId,
      nextRunAt: schedule.paused ? null : nextRunAt(schedule.cron, schedule.timezone, from),
      updatedAt: sql`now()`,
    })
    .where(eq(jobSchedules.name, schedule.name));
}
