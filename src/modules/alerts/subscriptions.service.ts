import { stringify } from "csv-stringify/sync";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Invalid, NotFound } from "../../platform/errors.js";
import type { Jobs } from "../../platform/jobs/index.js";
import type { Mailer } from "../../platform/mail/index.js";
import type { RequestContext } from "../auth/context.js";
import type { MemberDirectory } from "../auth/index.js";
import { buildOption, renderSvg, suggestCharts, svgToPng } from "../charts/index.js";
import { type DashboardsService, dashboardPdf, dashboardPng } from "../dashboards/index.js";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";
import { assertCan } from "../workspaces/index.js";
import { deliveries, type SubscriptionTarget, subscriptions } from "./alerts.tables.js";
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

export type SubscriptionRecord = typeof subscriptions.$inferSelect;
export const SUBSCRIPTION_JOB = "subscriptions.deliver";
const scheduleName = (id: string) => `subscription:${id}`;
/** Rows a question's CSV carries at most. */
const CSV_MAX_ROWS = 50_000;

export interface SubscriptionInput {
  name: string;
  target: SubscriptionTarget;
  format: "pdf" | "png" | "csv";
  cron: string;
  timezone?: string | undefined;
  recipients?: string[] | undefined;
  enabled?: boolean | undefined;
}

/**
 * Dashboards and questions e-mailed on a schedule (the `subscriptions.deliver` job): a dashboard as
 * PDF or PNG, a question as CSV or a PNG chart. Everything is drawn before anything is sent, so a
 * failed query or drawing sends no blank report; it is retried and, past the last try, its author
 * is told. Each recipient gets one e-mail per delivery job, however often it is retried.
 */
export function createSubscriptionsService(deps: {
  db: Db;
  clock: Clock;
  jobs: Pick<Jobs, "enqueue" | "schedules">;
  mail: Mailer;
  directory: MemberDirectory;
  dashboards: Pick<DashboardsService, "drawAll" | "get">;
  sql: (
    ctx: RequestContext,
    input: { sql: string; maxRows: number; sourceId?: string | undefined },
  ) => Promise<{ columns: ResultColumn[]; rows: JsonValue[][]; truncated?: boolean }>;
  appUrl: string;
}) {
  const { db, clock } = deps;

  async function find(ctx: RequestContext, id: string): Promise<SubscriptionRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Subscription", { id });
    const [row] = await db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.id, id), eq(subscriptions.workspaceId, ctx.workspaceId)));
    if (!row) throw new NotFound("Subscription", { id });
    return row;
  }

  /** The subscription's schedule follows it: created, changed, paused while off, removed with it. */
  const schedule = (row: SubscriptionRecord, undo: () => Promise<unknown>) =>
    scheduleOrUndo(
      deps.jobs,
      {
        name: scheduleName(row.id),
        jobName: SUBSCRIPTION_JOB,
        cron: row.cron,
        timezone: row.timezone,
        payload: { subscriptionId: row.id },
        paused: !row.enabled,
      },
      undo,
    );

  /** The target must exist and be readable by its author; the format must fit it. */
  async function checkedTarget(
    ctx: RequestContext,
    target: SubscriptionTarget,
    format: SubscriptionInput["format"],
  ) {
    if (target.kind === "dashboard") {
      if (format === "csv") throw new Invalid("A dashboard is sent as PDF or PNG", { field: "format" });
      await deps.dashboards.get(ctx, target.dashboardId);
    } else {
      if (format === "pdf") throw new Invalid("A question is sent as CSV or PNG", { field: "format" });
      await deps.sql(ctx, { sql: target.sql, maxRows: 1, sourceId: target.sourceId });
    }
  }

  /** What a delivery attaches, drawn in full before anything is sent. */
  async function render(ctx: RequestContext, row: SubscriptionRecord) {
    const stamp = clock.now().toISOString().slice(0, 10);
    if (row.target.kind === "dashboard") {
      const drawn = await deps.dashboards.drawAll(ctx, row.target.dashboardId);
      const content = row.format === "pdf" ? await dashboardPdf(drawn) : dashboardPng(drawn);
      return {
        title: drawn.dashboard.title,
        attachment: {
          filename: `${drawn.dashboard.title}-${stamp}.${row.format}`,
          content,
          contentType: row.format === "pdf" ? "application/pdf" : "image/png",
        },
        summary: `${drawn.widgets.length} widgets${drawn.filters.length ? ", filtered" : ""}.`,
      };
    }
    const result = await deps.sql(ctx, {
      sql: row.target.sql,
      maxRows: CSV_MAX_ROWS,
      sourceId: row.target.sourceId,
    });
    if (row.format === "csv") {
      const content = stringify([
        result.columns.map((column) => column.name),
        ...result.rows.map((cells) =>
          cells.map((cell) => (cell === null ? "" : typeof cell === "object" ? JSON.stringify(cell) : cell)),
        ),
      ]);
      return {
        title: row.target.title,
        attachment: { filename: `${row.target.title}-${stamp}.csv`, content, contentType: "text/csv" },
        summary: `${result.rows.length.toLocaleString("en-US")} rows${result.truncated ? " (the first ones)" : ""}.`,
      };
    }
    const spec = suggestCharts(result)[0]?.spec ?? { type: "table" as const };
    const png = svgToPng(
      renderSvg(buildOption({ ...spec, title: row.target.title }, result), { width: 800, height: 450 }),
    );
    return {
      title: row.target.title,
      attachment: { filename: `${row.target.title}-${stamp}.png`, content: png, contentType: "image/png" },
      summary: `${result.rows.length.toLocaleString("en-US")} rows.`,
    };
  }

  const service = {
    async list(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
      const order = newestFirst(subscriptions, query.cursor);
      const rows = await db
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.workspaceId, ctx.workspaceId), order.where))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(rows, query.limit);
    },

    get: find,

    async create(ctx: RequestContext, input: SubscriptionInput): Promise<SubscriptionRecord> {
      assertCan(ctx.role, "data.write");
      await checkedTarget(ctx, input.target, input.format);
      const recipients = await memberRecipients(deps.directory, ctx, input.recipients);
      const now = clock.now();
      const [row] = await db
        .insert(subscriptions)
        .values({
          workspaceId: ctx.workspaceId,
          name: input.name,
          target: input.target,
          format: input.format,
          cron: input.cron,
          timezone: input.timezone ?? "UTC",
          recipients,
          enabled: input.enabled ?? true,
          createdBy: ctx.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("insert returned no subscription");
      // A cron the scheduler refuses leaves nothing behind.
      await schedule(row, () => db.delete(subscriptions).where(eq(subscriptions.id, row.id)));
      return row;
    },

    async update(
      ctx: RequestContext,
      id: string,
      patch: Partial<SubscriptionInput>,
    ): Promise<SubscriptionRecord> {
      assertCan(ctx.role, "data.write");
      const current = await find(ctx, id);
      if (patch.target || patch.format)
        await checkedTarget(ctx, patch.target ?? current.target, patch.format ?? current.format);
      const recipients = patch.recipients
        ? await memberRecipients(deps.directory, ctx, patch.recipients)
        : undefined;
      const [row] = await db
        .update(subscriptions)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.target !== undefined ? { target: patch.target } : {}),
          ...(patch.format !== undefined ? { format: patch.format } : {}),
          ...(patch.cron !== undefined ? { cron: patch.cron } : {}),
          ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
          ...(recipients ? { recipients } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(subscriptions.id, current.id))
        .returning();
      if (!row) throw new NotFound("Subscription", { id });
      await schedule(row, () =>
        db
          .update(subscriptions)
          .set({ cron: current.cron, timezone: current.timezone })
          .where(eq(subscriptions.id, current.id)),
      );
      return row;
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "data.write");
      const row = await find(ctx, id);
      await deps.jobs.schedules.remove(scheduleName(row.id)).catch(() => undefined);
      await db.delete(subscriptions).where(eq(subscriptions.id, row.id));
    },

    async sendNow(ctx: RequestContext, id: string) {
      assertCan(ctx.role, "data.write");
      const row = await find(ctx, id);
      return deps.jobs.enqueue(SUBSCRIPTION_JOB, { subscriptionId: row.id });
    },

    async deliveries(ctx: RequestContext, id: string, query: { limit: number; cursor?: string | undefined }) {
      const row = await find(ctx, id);
      const order = newestFirst(deliveries, query.cursor);
      const items = await db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.subscriptionId, row.id), order.where))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(items, query.limit);
    },

    /** One delivery (the job's handler). */
    async deliver(subscriptionId: string, job: { jobId: string; lastAttempt: boolean }) {
      const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
      if (!row) return { sent: false, skipped: "the subscription was deleted" };
      if (!row.enabled) return { sent: false, skipped: "the subscription is off" };
      try {
        const ctx = await creatorContext(deps.directory, row.workspaceId, row.createdBy);
        const rendered = await render(ctx, row);
        const emails = await recipientEmails(deps.directory, row.workspaceId, row.recipients);
        const mailIds = await sendEach(deps.mail, emails, `subscription:${row.id}:${job.jobId}`, {
          subject: `${row.name}: ${rendered.title}`,
          template: "subscriptions.delivery",
          text: `${rendered.title}\n\n${rendered.summary} Attached: ${rendered.attachment.filename}.\n\n${deps.appUrl}`,
          html: emailHtml({
            heading: rendered.title,
            paragraphs: [rendered.summary, `Attached: ${rendered.attachment.filename}.`],
            link: { href: deps.appUrl, label: "Open Sightline" },
          }),
          attachments: [rendered.attachment],
        });
        await db
          .insert(deliveries)
          .values({
            subscriptionId: row.id,
            workspaceId: row.workspaceId,
            jobId: job.jobId,
            status: "sent",
            message: rendered.summary,
            mailIds,
            createdAt: clock.now(),
          })
          .onConflictDoNothing();
        return { sent: true };
      } catch (error) {
        if (job.lastAttempt || error instanceof DeliveryFailed) {
          const message = `The report could not be made: ${(error as Error).message}`;
          const mailIds = await tellAuthor(deps, row, `subscription-failed:${row.id}:${job.jobId}`, {
            subject: `Report not sent: ${row.name}`,
            template: "subscriptions.failed",
            lines: [message, "Nothing was sent to its recipients."],
          });
          await db
            .insert(deliveries)
            .values({
              subscriptionId: row.id,
              workspaceId: row.workspaceId,
              jobId: job.jobId,
              status: "failed",
              message,
              mailIds,
              createdAt: clock.now(),
            })
            .onConflictDoNothing();
        }
        if (error instanceof DeliveryFailed) return { sent: false, skipped: error.message };
        throw error;
      }
    },

    async removeWorkspace(workspaceId: string) {
      const rows = await db
        .select({ id: subscriptions.id })
        .from(subscriptions)
        .where(eq(subscriptions.workspaceId, workspaceId));
      for (const row of rows) await deps.jobs.schedules.remove(scheduleName(row.id)).catch(() => undefined);
      await db.delete(subscriptions).where(eq(subscriptions.workspaceId, workspaceId));
    },
  };
  return service;
}

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;
