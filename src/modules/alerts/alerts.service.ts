import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { NotFound } from "../../platform/errors.js";
import type { Jobs } from "../../platform/jobs/index.js";
import type { Mailer } from "../../platform/mail/index.js";
import type { RequestContext } from "../auth/context.js";
import type { MemberDirectory } from "../auth/index.js";
import { buildOption, renderSvg, suggestCharts, svgToPng } from "../charts/index.js";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";
import { assertCan } from "../workspaces/index.js";
import { alertFirings, alerts } from "./alerts.tables.js";
import { type AlertCondition, evaluate } from "./conditions.js";
import {
  creatorContext,
  DeliveryFailed,
  emailHtml,
  memberRecipients,
  recipientEmails,
  scheduleOrUndo,
  sendEach,
  tellAuthor,
} from "./delivery.js";

export type AlertRecord = typeof alerts.$inferSelect;
export const ALERT_CHECK_JOB = "alerts.check";
const scheduleName = (id: string) => `alert:${id}`;

export interface AlertInput {
  name: string;
  question: string;
  sql: string;
  sourceId?: string | undefined;
  condition: AlertCondition;
  cron: string;
  timezone?: string | undefined;
  recipients?: string[] | undefined;
  enabled?: boolean | undefined;
}

export interface AlertsDeps {
  db: Db;
  clock: Clock;
  jobs: Pick<Jobs, "enqueue" | "schedules">;
  mail: Mailer;
  directory: MemberDirectory;
  sql: (
    ctx: RequestContext,
    input: { sql: string; maxRows: number; sourceId?: string | undefined },
  ) => Promise<{ columns: ResultColumn[]; rows: JsonValue[][] }>;
  appUrl: string;
}

/**
 * Alerts on questions: checked on their schedule by the `alerts.check` job. A firing e-mails each
 * recipient once (keyed by the check's job, so a retry sends nothing twice) with the chart inline;
 * a check whose query or chart fails sends nothing, is retried, and after the last try its author
 * is told why.
 */
export function createAlertsService(deps: AlertsDeps) {
  const { db, clock } = deps;

  async function find(ctx: RequestContext, id: string): Promise<AlertRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Alert", { id });
    const [row] = await db
      .select()
      .from(alerts)
      .where(and(eq(alerts.id, id), eq(alerts.workspaceId, ctx.workspaceId)));
    if (!row) throw new NotFound("Alert", { id });
    return row;
  }

  /** The alert's schedule follows it: created, changed, paused while disabled, removed with it. */
  const schedule = (alert: AlertRecord, undo: () => Promise<unknown>) =>
    scheduleOrUndo(
      deps.jobs,
      {
        name: scheduleName(alert.id),
        jobName: ALERT_CHECK_JOB,
        cron: alert.cron,
        timezone: alert.timezone,
        payload: { alertId: alert.id },
        paused: !alert.enabled,
      },
      undo,
    );

  /** The question's chart as a PNG for the e-mail: the best chart for its result. */
  function chartPng(title: string, result: { columns: ResultColumn[]; rows: JsonValue[][] }) {
    const spec = suggestCharts(result)[0]?.spec ?? { type: "table" as const };
    return svgToPng(renderSvg(buildOption({ ...spec, title }, result), { width: 640, height: 360 }));
  }

  const service = {
    async list(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
      const order = newestFirst(alerts, query.cursor);
      const rows = await db
        .select()
        .from(alerts)
        .where(and(eq(alerts.workspaceId, ctx.workspaceId), order.where))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(rows, query.limit);
    },

    get: find,

    async create(ctx: RequestContext, input: AlertInput): Promise<AlertRecord> {
      assertCan(ctx.role, "data.write");
      await deps.sql(ctx, { sql: input.sql, maxRows: 1, sourceId: input.sourceId });
      const recipients = await memberRecipients(deps.directory, ctx, input.recipients);
      const now = clock.now();
      const [row] = await db
        .insert(alerts)
        .values({
          workspaceId: ctx.workspaceId,
          name: input.name,
          question: input.question,
          sql: input.sql,
          sourceId: input.sourceId ?? null,
          condition: input.condition,
          cron: input.cron,
          timezone: input.timezone ?? "UTC",
          recipients,
          enabled: input.enabled ?? true,
          createdBy: ctx.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("insert returned no alert");
      // A cron the scheduler refuses leaves nothing behind.
      await schedule(row, () => db.delete(alerts).where(eq(alerts.id, row.id)));
      return row;
    },

    async update(ctx: RequestContext, id: string, patch: Partial<AlertInput>): Promise<AlertRecord> {
      assertCan(ctx.role, "data.write");
      const alert = await find(ctx, id);
      if (patch.sql)
        await deps.sql(ctx, {
          sql: patch.sql,
          maxRows: 1,
          sourceId: patch.sourceId ?? alert.sourceId ?? undefined,
        });
      const recipients = patch.recipients
        ? await memberRecipients(deps.directory, ctx, patch.recipients)
        : undefined;
      const [row] = await db
        .update(alerts)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.question !== undefined ? { question: patch.question } : {}),
          ...(patch.sql !== undefined ? { sql: patch.sql } : {}),
          ...(patch.condition !== undefined ? { condition: patch.condition, lastValue: null } : {}),
          ...(patch.cron !== undefined ? { cron: patch.cron } : {}),
          ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
          ...(recipients ? { recipients } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(alerts.id, alert.id))
        .returning();
      if (!row) throw new NotFound("Alert", { id });
      await schedule(row, () =>
        db.update(alerts).set({ cron: alert.cron, timezone: alert.timezone }).where(eq(alerts.id, alert.id)),
      );
      return row;
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "data.write");
      const alert = await find(ctx, id);
      await deps.jobs.schedules.remove(scheduleName(alert.id)).catch(() => undefined);
      await db.delete(alerts).where(eq(alerts.id, alert.id));
    },

    async snooze(ctx: RequestContext, id: string, until: Date | null): Promise<AlertRecord> {
      assertCan(ctx.role, "data.write");
      const alert = await find(ctx, id);
      const [row] = await db
        .update(alerts)
        .set({ snoozedUntil: until, updatedAt: clock.now() })
        .where(eq(alerts.id, alert.id))
        .returning();
      if (!row) throw new NotFound("Alert", { id });
      return row;
    },

    /** Checks now, outside the schedule: a job like any other. */
    async checkNow(ctx: RequestContext, id: string) {
      assertCan(ctx.role, "data.write");
      const alert = await find(ctx, id);
      return deps.jobs.enqueue(ALERT_CHECK_JOB, { alertId: alert.id });
    },

    async firings(ctx: RequestContext, id: string, query: { limit: number; cursor?: string | undefined }) {
      const alert = await find(ctx, id);
      const order = newestFirst(alertFirings, query.cursor);
      const rows = await db
        .select()
        .from(alertFirings)
        .where(and(eq(alertFirings.alertId, alert.id), order.where))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(rows, query.limit);
    },

    /**
     * One check (the job's handler): run the question, decide, and e-mail when it fires. Errors
     * propagate so the job is retried; on the last attempt the failure is recorded and the author told.
     */
    async check(
      alertId: string,
      job: { jobId: string; lastAttempt: boolean },
    ): Promise<{ fired: boolean; skipped?: string }> {
      const [alert] = await db.select().from(alerts).where(eq(alerts.id, alertId));
      if (!alert) return { fired: false, skipped: "the alert was deleted" };
      if (!alert.enabled) return { fired: false, skipped: "the alert is off" };
      try {
        const ctx = await creatorContext(deps.directory, alert.workspaceId, alert.createdBy);
        const result = await deps.sql(ctx, {
          sql: alert.sql,
          maxRows: 5_000,
          sourceId: alert.sourceId ?? undefined,
        });
        const outcome = evaluate(alert.condition, result, alert.lastValue ?? null);
        const now = clock.now();
        await db
          .update(alerts)
          .set({ lastValue: outcome.value, lastCheckedAt: now })
          .where(eq(alerts.id, alert.id));
        if (!outcome.fired) return { fired: false };
        if (alert.snoozedUntil && alert.snoozedUntil > now) return { fired: false, skipped: "snoozed" };
        // The chart is drawn before anything is sent: a failure here sends nothing.
        const png = chartPng(alert.name, result);
        const emails = await recipientEmails(deps.directory, alert.workspaceId, alert.recipients);
        const mailIds = await sendEach(deps.mail, emails, `alert:${alert.id}:${job.jobId}`, {
          subject: `Alert: ${alert.name}`,
          template: "alerts.fired",
          text: `${alert.name}\n\n${outcome.message}\n\nQuestion: ${alert.question}\n\n${deps.appUrl}/alerts`,
          html: emailHtml({
            heading: alert.name,
            paragraphs: [outcome.message, `Question: ${alert.question}`],
            imageCid: "chart",
            link: { href: `${deps.appUrl}/alerts`, label: "Open alerts in Sightline" },
          }),
          attachments: [{ filename: "chart.png", content: png, contentType: "image/png", cid: "chart" }],
        });
        await db
          .insert(alertFirings)
          .values({
            alertId: alert.id,
            workspaceId: alert.workspaceId,
            jobId: job.jobId,
            status: "sent",
            value: outcome.value,
            message: outcome.message,
            mailIds,
            createdAt: now,
          })
          .onConflictDoNothing();
        return { fired: true };
      } catch (error) {
        if (job.lastAttempt || error instanceof DeliveryFailed)
          await service.failed(alert, job.jobId, error as Error);
        if (error instanceof DeliveryFailed) return { fired: false, skipped: error.message };
        throw error;
      }
    },

    /** Records a check that could not be made and tells the author, once per job. */
    async failed(alert: AlertRecord, jobId: string, error: Error) {
      const message = `The alert could not be checked: ${error.message}`;
      const mailIds = await tellAuthor(deps, alert, `alert-failed:${alert.id}:${jobId}`, {
        subject: `Alert not checked: ${alert.name}`,
        template: "alerts.failed",
        lines: [message, "No alert e-mail was sent."],
        link: { href: `${deps.appUrl}/alerts`, label: "Open alerts" },
      });
      await db
        .insert(alertFirings)
        .values({
          alertId: alert.id,
          workspaceId: alert.workspaceId,
          jobId,
          status: "failed",
          value: null,
          message,
          mailIds,
          createdAt: clock.now(),
        })
        .onConflictDoNothing();
    },

    async removeWorkspace(workspaceId: string) {
      const rows = await db.select({ id: alerts.id }).from(alerts).where(eq(alerts.workspaceId, workspaceId));
      for (const row of rows) await deps.jobs.schedules.remove(scheduleName(row.id)).catch(() => undefined);
      await db.delete(alerts).where(eq(alerts.workspaceId, workspaceId));
    },
  };
  return service;
}

export type AlertsService = ReturnType<typeof createAlertsService>;
