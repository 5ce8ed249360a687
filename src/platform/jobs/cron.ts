import { Cron } from "croner";
import { Invalid } from "../errors.js";
import type { ScheduleShorthand } from "./types.js";

/** The cron each shorthand stands for; both runners (croner and BullMQ) read the expansion. */
export const shorthands: Record<ScheduleShorthand, string> = {
  hourly: "0 * * * *",
  daily: "0 0 * * *",
  weekly: "0 0 * * 0",
  monthly: "0 0 1 * *",
};

function isShorthand(cron: string): cron is ScheduleShorthand {
  return Object.hasOwn(shorthands, cron);
}

/** A shorthand's cron expression, or the expression itself. */
export function expandCron(cron: string): string {
  const trimmed = cron.trim();
  return isShorthand(trimmed) ? shorthands[trimmed] : trimmed;
}

/** Throws `Invalid` unless the time zone is an IANA name the runtime knows. */
export function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    throw new Invalid(`Unknown time zone "${timezone}": use an IANA name such as "Europe/Berlin" or "UTC"`, {
      field: "timezone",
    });
  }
}

/** Throws `Invalid` unless `cron` is a 5- or 6-field expression (seconds first) or a shorthand. */
export function checkCron(cron: string, timezone: string): void {
  checkTimezone(timezone);
  try {
    new Cron(expandCron(cron), { timezone, mode: "5-or-6-parts" });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
    throw new Invalid(
      `Invalid cron "${cron}": ${reason}. Use 5 fields (minute hour day month weekday), 6 with seconds first, ` +
        `or one of ${Object.keys(shorthands).join(", ")}`,
      { field: "cron" },
    );
  }
}

/** The first time after `from` the cron fires in `timezone`, or null when it never fires again. */
export function nextRunAt(cron: string, timezone: string, from: Date = new Date()): Date | null {
  return new Cron(expandCron(cron), { timezone, mode: "5-or-6-parts" }).nextRun(from);
}

/** The idempotency key of a schedule's run at `at`: a fire seen twice (two processes) enqueues once. */
export function scheduleRunKey(scheduleName: string, at: Date): string {
  return `schedule:${scheduleName}:${at.toISOString()}`;
}
