import { and, desc, eq, inArray, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Forbidden, NotFound } from "../../platform/errors.js";
import type { RequestContext } from "../auth/context.js";
import { assertCan } from "../workspaces/index.js";
import { savedQueries } from "./ask.tables.js";

export type SavedQueryRecord = typeof savedQueries.$inferSelect;

/** Most verified pairs handed to the engines as examples. */
const MAX_VERIFIED = 200;

export interface QueryFilters {
  saved?: boolean | undefined;
  favorite?: boolean | undefined;
  verified?: boolean | undefined;
  shared?: boolean | undefined;
}

/**
 * Saved question → SQL pairs. Each is its author's history; `shared` ones every member sees,
 * `verified` ones are the workspace's examples (marked by analysts and up, after the SQL ran).
 */
export function createQueriesService(deps: {
  db: Db;
  clock: Clock;
  /** Runs the SQL through the guarded path: what a pair must pass to be verified. */
  check: (ctx: RequestContext, sql: string, sourceId: string | undefined) => Promise<void>;
}) {
  const { db, clock } = deps;

  const visibleTo = (ctx: RequestContext) =>
    or(eq(savedQueries.userId, ctx.userId), eq(savedQueries.shared, true), eq(savedQueries.verified, true));

  async function visible(ctx: RequestContext, id: string): Promise<SavedQueryRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Query", { id });
    const [row] = await db
      .select()
      .from(savedQueries)
      .where(and(eq(savedQueries.id, id), eq(savedQueries.workspaceId, ctx.workspaceId), visibleTo(ctx)));
    if (!row) throw new NotFound("Query", { id });
    return row;
  }

  async function insert(
    ctx: RequestContext,
    input: {
      question: string;
      sql: string;
      sourceId?: string | undefined;
      answerId?: string;
      saved: boolean;
      favorite?: boolean;
    },
  ): Promise<SavedQueryRecord> {
    const now = clock.now();
    const [row] = await db
      .insert(savedQueries)
      .values({
        workspaceId: ctx.workspaceId,
        userId: ctx.userId,
        question: input.question,
        sql: input.sql,
        sourceId: input.sourceId ?? null,
        answerId: input.answerId ?? null,
        saved: input.saved,
        favorite: input.favorite ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new Error("query insert returned no row");
    return row;
  }

  return {
    visible,

    /**
     * The caller's own queries; with `shared` or `verified`, the workspace's that are; with
     * `saved` or `favorite`, the caller's saved pairs or favorites; with `answerId`, the visible
     * pairs recorded from that answer. Newest first.
     */
    async list(
      ctx: RequestContext,
      query: QueryFilters & { answerId?: string | undefined; limit: number; cursor?: string | undefined },
    ) {
      const order = newestFirst(savedQueries, query.cursor);
      const filters: (SQL | undefined)[] = [eq(savedQueries.workspaceId, ctx.workspaceId), order.where];
      if (query.answerId !== undefined)
        filters.push(eq(savedQueries.answerId, query.answerId), visibleTo(ctx));
      else if (!query.shared && !query.verified) filters.push(eq(savedQueries.userId, ctx.userId));
      if (query.saved !== undefined) {
        filters.push(eq(savedQueries.userId, ctx.userId), eq(savedQueries.saved, query.saved));
      }
      if (query.shared !== undefined) filters.push(eq(savedQueries.shared, query.shared));
      if (query.verified !== undefined) filters.push(eq(savedQueries.verified, query.verified));
      if (query.favorite !== undefined) {
        filters.push(eq(savedQueries.userId, ctx.userId), eq(savedQueries.favorite, query.favorite));
      }
      if (query.shared === false || query.verified === false) filters.push(visibleTo(ctx));
      const rows = await db
        .select()
        .from(savedQueries)
        .where(and(...filters))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(rows, query.limit);
    },

    /** A question → SQL pair a person saves. Sharing it with the workspace takes `data.write`. */
    async create(
      ctx: RequestContext,
      input: {
        question: string;
        sql: string;
        sourceId?: string | undefined;
        favorite?: boolean | undefined;
        shared?: boolean | undefined;
      },
    ): Promise<SavedQueryRecord> {
      if (input.shared) assertCan(ctx.role, "data.write");
      const row = await insert(ctx, { ...input, saved: true, favorite: input.favorite ?? false });
      if (!input.shared) return row;
      const [shared] = await db
        .update(savedQueries)
        .set({ shared: true })
        .where(eq(savedQueries.id, row.id))
        .returning();
      return shared ?? row;
    },

    /** The history entry of an answered question. */
    record(
      ctx: RequestContext,
      input: { question: string; sql: string; sourceId?: string | undefined; answerId: string },
    ) {
      return insert(ctx, { ...input, saved: false });
    },

    /** The caller's own history entries of these answers, by answer id. */
    async ownOfAnswers(ctx: RequestContext, answerIds: string[]): Promise<Map<string, SavedQueryRecord>> {
      if (answerIds.length === 0) return new Map();
      const rows = await db
        .select()
        .from(savedQueries)
        .where(
          and(
            eq(savedQueries.workspaceId, ctx.workspaceId),
            eq(savedQueries.userId, ctx.userId),
            inArray(savedQueries.answerId, answerIds),
          ),
        )
        .orderBy(savedQueries.createdAt);
      return new Map(rows.map((row) => [row.answerId ?? "", row]));
    },

    /**
     * Save, favorite, edit or share one's own pair; verify any visible pair (analysts and up).
     * Verifying runs the SQL through the guarded path first; editing a verified pair's SQL
     * unverifies it.
     */
    async update(
      ctx: RequestContext,
      id: string,
      input: {
        question?: string | undefined;
        sql?: string | undefined;
        saved?: boolean | undefined;
        favorite?: boolean | undefined;
        shared?: boolean | undefined;
        verified?: boolean | undefined;
      },
    ): Promise<SavedQueryRecord> {
      const row = await visible(ctx, id);
      const ownChange =
        input.question !== undefined ||
        input.sql !== undefined ||
        input.saved !== undefined ||
        input.favorite !== undefined ||
        input.shared !== undefined;
      if (ownChange && row.userId !== ctx.userId) {
        throw new Forbidden("Only the author of a saved query can edit, favorite or share it");
      }
      if (input.shared || input.verified !== undefined) assertCan(ctx.role, "data.write");
      const sql = input.sql ?? row.sql;
      const sqlChanged = input.sql !== undefined && input.sql !== row.sql;
      if (input.verified) await deps.check(ctx, sql, row.sourceId ?? undefined);
      const verified = input.verified ?? (sqlChanged ? false : row.verified);
      const now = clock.now();
      const [updated] = await db
        .update(savedQueries)
        .set({
          ...(input.question !== undefined ? { question: input.question } : {}),
          sql,
          ...(input.saved !== undefined ? { saved: input.saved } : {}),
          ...(input.favorite !== undefined ? { favorite: input.favorite } : {}),
          ...(input.shared !== undefined ? { shared: input.shared } : {}),
          verified,
          ...(verified && !row.verified ? { verifiedBy: ctx.userId, verifiedAt: now } : {}),
          ...(!verified ? { verifiedBy: null, verifiedAt: null } : {}),
          updatedAt: now,
        })
        .where(eq(savedQueries.id, row.id))
        .returning();
      if (!updated) throw new NotFound("Query", { id });
      return updated;
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      const row = await visible(ctx, id);
      if (row.userId !== ctx.userId) throw new Forbidden("Only the author of a saved query can delete it");
      await db.delete(savedQueries).where(eq(savedQueries.id, row.id));
    },

    /** The workspace's verified pairs for one scope (the warehouse, or one live source), newest first. */
    async verifiedPairs(
      workspaceId: string,
      sourceId?: string,
    ): Promise<{ question: string; sql: string }[]> {
      const rows = await db
        .select({ question: savedQueries.question, sql: savedQueries.sql, sourceId: savedQueries.sourceId })
        .from(savedQueries)
        .where(and(eq(savedQueries.workspaceId, workspaceId), eq(savedQueries.verified, true)))
        .orderBy(desc(savedQueries.verifiedAt))
        .limit(MAX_VERIFIED);
      return rows
        .filter((row) => (row.sourceId ?? undefined) === sourceId)
        .map(({ question, sql }) => ({ question, sql }));
    },

    async removeWorkspace(workspaceId: string): Promise<void> {
      await db.delete(savedQueries).where(eq(savedQueries.workspaceId, workspaceId));
    },
  };
}

export type QueriesService = ReturnType<typeof createQueriesService>;
