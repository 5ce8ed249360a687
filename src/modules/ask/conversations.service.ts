import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Forbidden, NotFound } from "../../platform/errors.js";
import type { RequestContext } from "../auth/context.js";
import type { QueryResult } from "../warehouse/duckdb-engine.js";
import { assertCan } from "../workspaces/index.js";
import { type AskFailure, answers, conversations } from "./ask.tables.js";
import type { SavedQueryRecord } from "./queries.service.js";
import type { AskAnswer } from "./types.js";

export type ConversationRecord = typeof conversations.$inferSelect;
export type AnswerRecord = typeof answers.$inferSelect;

/** Most answers a conversation returns with it; older ones stay stored. */
const MAX_ANSWERS = 200;
const TITLE_CHARS = 120;

export const titleOf = (question: string) => {
  const line = question.replace(/\s+/g, " ").trim();
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
};

/**
 * Conversations are their author's; a shared one every member of the workspace may read. Only
 * the author asks in, renames, shares, deletes it or edits an answer's SQL.
 */
export function createConversationsService(deps: {
  db: Db;
  clock: Clock;
  /** Runs an edited statement through the guarded `sql()` path, capped like answers. */
  run: (ctx: RequestContext, sql: string, sourceId: string | undefined) => Promise<QueryResult>;
  /** The caller's own history entries of these answers (the queries service's). */
  history: (ctx: RequestContext, answerIds: string[]) => Promise<Map<string, SavedQueryRecord>>;
}) {
  const { db, clock } = deps;

  /** A conversation the caller may read: their own, or one shared with the workspace. */
  async function visible(ctx: RequestContext, id: string): Promise<ConversationRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Conversation", { id });
    const [row] = await db
      .select()
      .from(conversations)
      .where(and(eq(conversations.id, id), eq(conversations.workspaceId, ctx.workspaceId)));
    if (!row || (row.userId !== ctx.userId && !row.shared)) throw new NotFound("Conversation", { id });
    return row;
  }

  /** A conversation the caller may change: their own. */
  async function own(ctx: RequestContext, id: string): Promise<ConversationRecord> {
    const row = await visible(ctx, id);
    if (row.userId !== ctx.userId) throw new Forbidden("Only the author of a conversation can change it");
    return row;
  }

  async function create(ctx: RequestContext, input: { title: string }): Promise<ConversationRecord> {
    const now = clock.now();
    const [row] = await db
      .insert(conversations)
      .values({
        workspaceId: ctx.workspaceId,
        userId: ctx.userId,
        title: titleOf(input.title) || "New conversation",
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new Error("conversation insert returned no row");
    return row;
  }

  /** An answer in a conversation the caller may change; with `conversationId`, in that one. */
  async function ownAnswer(ctx: RequestContext, answerId: string, conversationId?: string) {
    if (conversationId !== undefined) await own(ctx, conversationId);
    const [row] = z.uuid().safeParse(answerId).success
      ? await db
          .select()
          .from(answers)
          .where(and(eq(answers.id, answerId), eq(answers.workspaceId, ctx.workspaceId)))
      : [];
    if (!row || (conversationId !== undefined && row.conversationId !== conversationId)) {
      throw new NotFound("Answer", { id: answerId });
    }
    if (conversationId === undefined) await own(ctx, row.conversationId);
    return row;
  }

  return {
    visible,
    own,
    ownAnswer,
    create,

    /** Conversations newest first, each with how many questions it holds and the last one asked. */
    async list(
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined; shared?: boolean | undefined },
    ) {
      const order = newestFirst(conversations, query.cursor);
      const whose = query.shared ? eq(conversations.shared, true) : eq(conversations.userId, ctx.userId);
      const rows = await db
        .select()
        .from(conversations)
        .where(and(eq(conversations.workspaceId, ctx.workspaceId), whose, order.where))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      const page = order.page(rows, query.limit);
      const ids = page.items.map((row) => row.id);
      const stats = ids.length
        ? await db
            .select({
              conversationId: answers.conversationId,
              answers: sql<number>`count(*)::int`,
              lastQuestion: sql<string>`(array_agg(${answers.question} order by ${answers.createdAt} desc, ${answers.id} desc))[1]`,
            })
            .from(answers)
            .where(inArray(answers.conversationId, ids))
            .groupBy(answers.conversationId)
        : [];
      const byId = new Map(stats.map((stat) => [stat.conversationId, stat]));
      return {
        items: page.items.map((row) => ({
          ...row,
          answers: byId.get(row.id)?.answers ?? 0,
          lastQuestion: byId.get(row.id)?.lastQuestion ?? null,
        })),
        nextCursor: page.nextCursor,
      };
    },

    /** A conversation with its answers, oldest first, and the caller's history entry of each. */
    async get(ctx: RequestContext, id: string) {
      const conversation = await visible(ctx, id);
      const recent = await db
        .select()
        .from(answers)
        .where(eq(answers.conversationId, conversation.id))
        .orderBy(desc(answers.createdAt), desc(answers.id))
        .limit(MAX_ANSWERS);
      const history = await deps.history(
        ctx,
        recent.map((row) => row.id),
      );
      return {
        conversation,
        answers: recent.reverse().map((row) => ({ ...row, query: history.get(row.id) ?? null })),
      };
    },

    /**
     * Stores an edited statement under an answer of the caller's, after running it through the
     * guarded path (a refused or failing one is not stored); `null` goes back to the answer.
     */
    async editAnswer(
      ctx: RequestContext,
      conversationId: string,
      answerId: string,
      statement: string | null,
    ): Promise<AnswerRecord & { query: SavedQueryRecord | null }> {
      const row = await ownAnswer(ctx, answerId, conversationId);
      const result =
        statement === null ? undefined : await deps.run(ctx, statement, row.sourceId ?? undefined);
      const edited =
        statement !== null && result
          ? {
              sql: statement,
              columns: result.columns,
              rows: result.rows,
              truncated: result.truncated,
              editedAt: clock.now().toISOString(),
            }
          : null;
      const [updated] = await db.update(answers).set({ edited }).where(eq(answers.id, row.id)).returning();
      if (!updated) throw new NotFound("Answer", { id: answerId });
      const history = await deps.history(ctx, [updated.id]);
      return { ...updated, query: history.get(updated.id) ?? null };
    },

    async update(
      ctx: RequestContext,
      id: string,
      input: { title?: string | undefined; shared?: boolean | undefined },
    ) {
      const row = await own(ctx, id);
      if (input.shared) assertCan(ctx.role, "data.write");
      const [updated] = await db
        .update(conversations)
        .set({
          ...(input.title !== undefined ? { title: titleOf(input.title) || row.title } : {}),
          ...(input.shared !== undefined ? { shared: input.shared } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(conversations.id, row.id))
        .returning();
      if (!updated) throw new NotFound("Conversation", { id });
      return updated;
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      const row = await own(ctx, id);
      await db.delete(conversations).where(eq(conversations.id, row.id));
    },

    /** The conversation a question goes into: the caller's own, or a new one titled by the question. */
    async forQuestion(ctx: RequestContext, id: string | undefined, question: string) {
      return id ? own(ctx, id) : create(ctx, { title: question });
    },

    /** The conversation's last answered question, which a follow-up refers to. */
    async lastAnswer(conversationId: string): Promise<AskAnswer | undefined> {
      const [row] = await db
        .select({ answer: answers.answer })
        .from(answers)
        .where(and(eq(answers.conversationId, conversationId), isNotNull(answers.answer)))
        .orderBy(desc(answers.createdAt), desc(answers.id))
        .limit(1);
      return row?.answer ?? undefined;
    },

    /** Stores a question with its answer or its failure. */
    async record(
      ctx: RequestContext,
      conversationId: string,
      input: {
        question: string;
        sourceId?: string | undefined;
        answer?: AskAnswer;
        error?: AskFailure;
        durationMs: number;
      },
    ): Promise<AnswerRecord> {
      const now = clock.now();
      const [row] = await db
        .insert(answers)
        .values({
          workspaceId: ctx.workspaceId,
          conversationId,
          userId: ctx.userId,
          question: input.question,
          sourceId: input.sourceId ?? null,
          answer: input.answer ?? null,
          error: input.error ?? null,
          durationMs: Math.round(input.durationMs),
          createdAt: now,
        })
        .returning();
      if (!row) throw new Error("answer insert returned no row");
      await db.update(conversations).set({ updatedAt: now }).where(eq(conversations.id, conversationId));
      return row;
    },

    async removeWorkspace(workspaceId: string): Promise<void> {
      await db.delete(conversations).where(eq(conversations.workspaceId, workspaceId));
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
