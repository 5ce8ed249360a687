import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Ai } from "../../platform/ai/index.js";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Conflict, Invalid, NotFound } from "../../platform/errors.js";
import type { EventBus } from "../../platform/events/index.js";
import type { Jobs } from "../../platform/jobs/index.js";
import type { Mailer } from "../../platform/mail/index.js";
import type { RequestContext } from "../auth/context.js";
import { assertCan } from "../workspaces/index.js";
import { type DraftInput, type DraftOutput, type Guidelines, offlineDraft } from "./drafter.js";
import {
  type DraftStatus,
  draftFeedback,
  draftGuidelines,
  draftRequests,
  drafts,
  draftVersions,
  type Thread,
} from "./drafts.tables.js";
import { draftPrompt } from "./prompt.js";

export const DRAFT_JOB = "drafts.generate";
export const DRAFT_ENGINE = "drafts.reply";

export type DraftRecord = typeof drafts.$inferSelect;
export type VersionRecord = typeof draftVersions.$inferSelect;

export const draftOutputSchema = z.object({
  subject: z.string().min(1).max(300),
  body: z.string().min(1).max(20_000),
  summaryOfChanges: z.string().max(2_000),
});

const defaultGuidelines: Guidelines = {
  tone: "friendly and professional",
  signature: "",
  dos: [],
  donts: [],
};
const finished: DraftStatus[] = ["approved", "rejected"];

/**
 * Reply drafts for client threads: each version is made by the `drafts.generate` job (the offline
 * drafter, or the configured model through the AI platform), from the thread, the workspace's
 * guidelines and, for a revision, the previous version and the feedback. A version is written once
 * whatever happens to its job; approving e-mails the reply once.
 */
export function createDraftsService(deps: {
  db: Db;
  clock: Clock;
  jobs: Pick<Jobs, "enqueue">;
  ai: Pick<Ai, "generateObject" | "provider">;
  mail: Mailer;
  events: Pick<EventBus, "publish">;
}) {
  const { db, clock } = deps;

  async function find(ctx: Pick<RequestContext, "workspaceId">, id: string): Promise<DraftRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Draft", { id });
    const [row] = await db
      .select()
      .from(drafts)
      .where(and(eq(drafts.id, id), eq(drafts.workspaceId, ctx.workspaceId)));
    if (!row) throw new NotFound("Draft", { id });
    return row;
  }

  async function guidelinesOf(workspaceId: string): Promise<Guidelines> {
    const [row] = await db.select().from(draftGuidelines).where(eq(draftGuidelines.workspaceId, workspaceId));
    return row
      ? { tone: row.tone, signature: row.signature, dos: row.dos, donts: row.donts }
      : defaultGuidelines;
  }

  /** A request with an Idempotency-Key answers as the first one did, and does nothing new. */
  async function once<T extends Record<string, unknown>>(
    ctx: RequestContext,
    endpoint: string,
    key: string | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    if (!key) return work();
    const [known] = await db
      .select()
      .from(draftRequests)
      .where(
        and(
          eq(draftRequests.workspaceId, ctx.workspaceId),
          eq(draftRequests.endpoint, endpoint),
          eq(draftRequests.key, key),
        ),
      );
    if (known) return known.response as T;
    const response = await work();
    await db
      .insert(draftRequests)
      .values({ workspaceId: ctx.workspaceId, endpoint, key, response, createdAt: clock.now() })
      .onConflictDoNothing();
    return response;
  }

  async function enqueue(draft: DraftRecord, suffix = "") {
    await deps.jobs.enqueue(
      DRAFT_JOB,
      { draftId: draft.id, version: draft.version },
      { idempotencyKey: `draft:${draft.id}:v${draft.version}${suffix}` },
    );
  }

  async function detail(rows: DraftRecord[]) {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const versions = await db
      .select()
      .from(draftVersions)
      .where(inArray(draftVersions.draftId, ids))
      .orderBy(asc(draftVersions.version));
    const feedback = await db
      .select()
      .from(draftFeedback)
      .where(inArray(draftFeedback.draftId, ids))
      .orderBy(asc(draftFeedback.version));
    return rows.map((row) => ({
      draft: row,
      versions: versions.filter((version) => version.draftId === row.id),
      feedback: feedback.filter((entry) => entry.draftId === row.id),
    }));
  }

  const service = {
    guidelines: (ctx: RequestContext) => guidelinesOf(ctx.workspaceId),

    async setGuidelines(ctx: RequestContext, input: Guidelines): Promise<Guidelines> {
      assertCan(ctx.role, "data.write");
      const values = { ...input, updatedAt: clock.now() };
      await db
        .insert(draftGuidelines)
        .values({ workspaceId: ctx.workspaceId, ...values })
        .onConflictDoUpdate({ target: draftGuidelines.workspaceId, set: values });
      return guidelinesOf(ctx.workspaceId);
    },

    /** A thread in, a draft queued: the first version is made in the background. */
    async send(ctx: RequestContext, thread: Thread, key?: string) {
      assertCan(ctx.role, "data.write");
      if (!thread.messages.some((message) => message.role === "client" && message.content.trim()))
        throw new Invalid("The thread needs at least one message from the client to reply to", {
          field: "messages",
        });
      return once(ctx, "send-messages", key, async () => {
        const now = clock.now();
        const [draft] = await db
          .insert(drafts)
          .values({
            workspaceId: ctx.workspaceId,
            user: thread.user,
            thread,
            status: "queued",
            version: 1,
            createdBy: ctx.userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!draft) throw new Error("insert returned no draft");
        await enqueue(draft);
        return { draftId: draft.id, status: "queued" as const };
      });
    },

    /** Feedback on the latest version: the next version is made from it in the background. */
    async feedback(ctx: RequestContext, draftId: string, feedback: string, key?: string) {
      assertCan(ctx.role, "data.write");
      return once(ctx, "process-feedback", key, async () => {
        const draft = await find(ctx, draftId);
        if (draft.status !== "ready")
          throw new Conflict(`Feedback goes to a ready draft; this one is ${draft.status}`, {
            draftStatus: draft.status,
          });
        const version = draft.version + 1;
        const [updated] = await db.transaction(async (tx) => {
          await tx
            .insert(draftFeedback)
            .values({ draftId: draft.id, version, feedback, createdAt: clock.now() });
          return tx
            .update(drafts)
            .set({ status: "revising", version, updatedAt: clock.now() })
            .where(and(eq(drafts.id, draft.id), eq(drafts.status, "ready")))
            .returning();
        });
        if (!updated) throw new Conflict("The draft changed meanwhile; try again");
        await enqueue(updated);
        return { draftId: draft.id, version, status: "revising" as const };
      });
    },

    async reject(ctx: RequestContext, draftId: string, reason?: string) {
      assertCan(ctx.role, "data.write");
      const draft = await find(ctx, draftId);
      if (finished.includes(draft.status))
        throw new Conflict(`The draft is already ${draft.status}`, { draftStatus: draft.status });
      const [row] = await db
        .update(drafts)
        .set({ status: "rejected", rejectReason: reason ?? null, updatedAt: clock.now() })
        .where(eq(drafts.id, draft.id))
        .returning();
      return row ?? draft;
    },

    /** Approves the latest version; with `send`, e-mails it to the thread's client, once. */
    async approve(
      ctx: RequestContext,
      draftId: string,
      options: { send?: boolean | undefined; to?: string | undefined },
    ) {
      assertCan(ctx.role, "data.write");
      const draft = await find(ctx, draftId);
      if (draft.status !== "ready" && draft.status !== "approved")
        throw new Conflict(`Only a ready draft can be approved; this one is ${draft.status}`, {
          draftStatus: draft.status,
        });
      const [latest] = await db
        .select()
        .from(draftVersions)
        .where(and(eq(draftVersions.draftId, draft.id), eq(draftVersions.version, draft.version)));
      if (!latest) throw new Conflict("The draft has no version to approve yet");
      let mailId = draft.mailId;
      if (options.send) {
        const to =
          options.to ??
          [...draft.thread.messages]
            .reverse()
            .find((message) => message.role === "client" && message.sender.includes("@"))?.sender;
        if (!to) throw new Invalid("The thread names no client e-mail address; give `to`", { field: "to" });
        const sent = await deps.mail.send({
          to,
          subject: latest.subject,
          text: latest.body,
          template: "drafts.reply",
          idempotencyKey: `draft-approve:${draft.id}`,
        });
        mailId = sent.id;
      }
      const [row] = await db
        .update(drafts)
        .set({ status: "approved", mailId, updatedAt: clock.now() })
        .where(eq(drafts.id, draft.id))
        .returning();
      return row ?? draft;
    },

    /** A failed draft's version is made again. */
    async retry(ctx: RequestContext, draftId: string) {
      assertCan(ctx.role, "data.write");
      const draft = await find(ctx, draftId);
      if (draft.status !== "failed")
        throw new Conflict(`Only a failed draft is retried; this one is ${draft.status}`, {
          draftStatus: draft.status,
        });
      const [row] = await db
        .update(drafts)
        .set({ status: draft.version === 1 ? "queued" : "revising", error: null, updatedAt: clock.now() })
        .where(eq(drafts.id, draft.id))
        .returning();
      if (!row) throw new NotFound("Draft", { id: draftId });
      await enqueue(row, `:retry:${clock.now().getTime()}`);
      return row;
    },

    async list(
      ctx: RequestContext,
      query: {
        user?: string | undefined;
        status?: DraftStatus | undefined;
        limit: number;
        cursor?: string | undefined;
      },
    ) {
      const order = newestFirst(drafts, query.cursor);
      const filters: (SQL | undefined)[] = [eq(drafts.workspaceId, ctx.workspaceId), order.where];
      if (query.user) filters.push(eq(drafts.user, query.user));
      if (query.status) filters.push(eq(drafts.status, query.status));
      const rows = await db
        .select()
        .from(drafts)
        .where(and(...filters))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      const page = order.page(rows, query.limit);
      return { items: await detail(page.items), nextCursor: page.nextCursor };
    },

    async get(ctx: RequestContext, id: string) {
      const [found] = await detail([await find(ctx, id)]);
      if (!found) throw new NotFound("Draft", { id });
      return found;
    },

    /**
     * Makes one version (the job's handler). A version already written is not written again — a
     * job run twice, or again after its worker died, leaves exactly one.
     */
    async generate(draftId: string, version: number, job: { lastAttempt: boolean }) {
      const [draft] = await db.select().from(drafts).where(eq(drafts.id, draftId));
      if (!draft || finished.includes(draft.status) || draft.version !== version) return { skipped: true };
      const [existing] = await db
        .select()
        .from(draftVersions)
        .where(and(eq(draftVersions.draftId, draftId), eq(draftVersions.version, version)));
      try {
        if (!existing) {
          if (draft.status === "queued")
            await db
              .update(drafts)
              .set({ status: "generating", updatedAt: clock.now() })
              .where(eq(drafts.id, draftId));
          const guidelines = await guidelinesOf(draft.workspaceId);
          const [previous] =
            version > 1
              ? await db
                  .select()
                  .from(draftVersions)
                  .where(and(eq(draftVersions.draftId, draftId), eq(draftVersions.version, version - 1)))
              : [];
          const [asked] =
            version > 1
              ? await db
                  .select()
                  .from(draftFeedback)
                  .where(and(eq(draftFeedback.draftId, draftId), eq(draftFeedback.version, version)))
              : [];
          const input: DraftInput = {
            thread: draft.thread,
            guidelines,
            ...(previous
              ? {
                  previous: {
                    subject: previous.subject,
                    body: previous.body,
                    summaryOfChanges: previous.summaryOfChanges,
                  },
                }
              : {}),
            ...(asked ? { feedback: asked.feedback } : {}),
          };
          const { object } = await deps.ai.generateObject({
            engine: DRAFT_ENGINE,
            schema: draftOutputSchema,
            schemaName: "draft_reply",
            ...draftPrompt(input),
            offlineInput: input,
          });
          await db
            .insert(draftVersions)
            .values({
              draftId,
              version,
              ...object,
              feedback: asked?.feedback ?? null,
              engine: deps.ai.provider,
              createdAt: clock.now(),
            })
            .onConflictDoNothing();
        }
        await db
          .update(drafts)
          .set({ status: "ready", error: null, updatedAt: clock.now() })
          .where(and(eq(drafts.id, draftId), eq(drafts.version, version)));
        await deps.events.publish({
          type: "draft_ready",
          workspaceId: draft.workspaceId,
          data: { draftId, version },
        });
        return { version };
      } catch (error) {
        if (job.lastAttempt) {
          const message = (error as Error).message;
          await db
            .update(drafts)
            .set({ status: "failed", error: message, updatedAt: clock.now() })
            .where(eq(drafts.id, draftId));
          await deps.events.publish({
            type: "draft_failed",
            workspaceId: draft.workspaceId,
            data: { draftId, version, error: message },
          });
        }
        throw error;
      }
    },

    async removeWorkspace(workspaceId: string) {
      await db.delete(drafts).where(eq(drafts.workspaceId, workspaceId));
      await db.delete(draftGuidelines).where(eq(draftGuidelines.workspaceId, workspaceId));
      await db.delete(draftRequests).where(eq(draftRequests.workspaceId, workspaceId));
    },
  };
  return service;
}

/** The offline engine behind `drafts.reply`: the deterministic drafter. */
export const offlineDraftEngine = {
  object: async (call: { offlineInput?: unknown }): Promise<DraftOutput> =>
    offlineDraft(call.offlineInput as DraftInput),
};

export type DraftsService = ReturnType<typeof createDraftsService>;
