import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Conflict, Invalid, NotFound } from "../../platform/errors.js";
import type { Logger } from "../../platform/log.js";
import type { AuditLog } from "../audit/index.js";
import type { RequestContext } from "../auth/context.js";
import type { DuckEngine } from "../warehouse/duckdb-engine.js";
import { assertCan } from "../workspaces/index.js";
import { analyseTables } from "./profile.js";
import type { MalformedRows } from "./quality.js";
import { candidatePairs, detectionLimits, type Pair, verifyPairs } from "./relationships.js";
import {
  type RelationshipOrigin,
  type RelationshipStatus,
  relationships,
  type SourceTable,
  sources,
} from "./sources.tables.js";
import type { Warehouses } from "./warehouses.js";

export type RelationshipRecord = typeof relationships.$inferSelect;

const pairKey = (pair: Pair) => [pair.fromTable, pair.fromColumn, pair.toTable, pair.toColumn].join("\u0000");

/** Tables of the workspace's sources: ready ones only, or every source's; warehouse ones only, or live ones too. */
async function tablesOf(
  db: Db,
  workspaceId: string,
  options: { readyOnly: boolean; live: boolean },
): Promise<SourceTable[]> {
  const rows = await db
    .select({ tables: sources.tables, status: sources.status, mode: sources.mode })
    .from(sources)
    .where(eq(sources.workspaceId, workspaceId));
  return rows
    .filter((row) => (!options.readyOnly || row.status === "ready") && (options.live || row.mode !== "live"))
    .flatMap((row) => row.tables);
}

export type Join = Pair & { confidence: number | null; origin: RelationshipOrigin };

/** The joins questions and dashboards may use: active relationships between tables that exist now. */
export async function joinsFor(db: Db, workspaceId: string): Promise<Join[]> {
  const names = new Set(
    (await tablesOf(db, workspaceId, { readyOnly: true, live: true })).map((t) => t.name),
  );
  const rows = await db
    .select()
    .from(relationships)
    .where(and(eq(relationships.workspaceId, workspaceId), eq(relationships.status, "active")));
  return rows
    .filter((row) => names.has(row.fromTable) && names.has(row.toTable))
    .map(({ fromTable, fromColumn, toTable, toColumn, confidence, origin }) => ({
      fromTable,
      fromColumn,
      toTable,
      toColumn,
      confidence,
      origin,
    }));
}

/**
 * Joins between a workspace's tables: detected from names and values after every load, added
 * by people, dismissed by people. A dismissed pair stays on record so detection never brings it back.
 */
export function createRelationshipsService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  warehouses: Pick<Warehouses, "get">;
  log: Pick<Logger, "info" | "warn">;
}) {
  const { db, clock, audit, warehouses, log } = deps;
  /** One detection at a time per workspace: two loads finishing together would race on the same pairs. */
  const running = new Map<string, Promise<unknown>>();

  async function owned(ctx: Pick<RequestContext, "workspaceId">, id: string): Promise<RelationshipRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Relationship", { id });
    const [row] = await db
      .select()
      .from(relationships)
      .where(and(eq(relationships.id, id), eq(relationships.workspaceId, ctx.workspaceId)));
    if (!row) throw new NotFound("Relationship", { id });
    return row;
  }

  /** Deletes detected pairs whose tables no longer exist (their source was deleted). */
  async function prune(workspaceId: string): Promise<number> {
    const names = new Set(
      (await tablesOf(db, workspaceId, { readyOnly: false, live: false })).map((t) => t.name),
    );
    const detected = await db
      .select({ id: relationships.id, fromTable: relationships.fromTable, toTable: relationships.toTable })
      .from(relationships)
      .where(and(eq(relationships.workspaceId, workspaceId), eq(relationships.origin, "detected")));
    const gone = detected
      .filter((row) => !names.has(row.fromTable) || !names.has(row.toTable))
      .map((row) => row.id);
    if (gone.length > 0) await db.delete(relationships).where(inArray(relationships.id, gone));
    return gone.length;
  }

  async function detectNow(workspaceId: string) {
    const started = performance.now();
    let removed = await prune(workspaceId);
    const engine = await warehouses.get(workspaceId);
    const present = new Set(await engine.tables());
    const tables = (await tablesOf(db, workspaceId, { readyOnly: true, live: false })).filter((table) =>
      present.has(table.name),
    );
    const candidates = candidatePairs(tables);
    const capped = candidates.length > detectionLimits.maxCandidates;
    if (capped)
      log.warn(
        { workspaceId, candidates: candidates.length },
        "too many candidate joins; checking the first ones",
      );
    const found = await verifyPairs(engine, tables, candidates.slice(0, detectionLimits.maxCandidates));

    const existing = await db.select().from(relationships).where(eq(relationships.workspaceId, workspaceId));
    const known = new Map(existing.map((row) => [pairKey(row), row]));
    const now = clock.now();
    let added = 0;
    for (const pair of found) {
      const row = known.get(pairKey(pair));
      if (row) {
        // Confidence follows the data; status and origin stay what they are (a dismissal sticks).
        await db
          .update(relationships)
          .set({ confidence: pair.confidence, updatedAt: now })
          .where(eq(relationships.id, row.id));
        continue;
      }
      const inserted = await db
        .insert(relationships)
        .values({
          ...pair,
          workspaceId,
          origin: "detected",
          status: "active",
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: relationships.id });
      added += inserted.length;
    }
    if (!capped) {
      // Active detected pairs the data no longer bears out go; they come back if the data does.
      const checked = new Set(tables.map((table) => table.name));
      const still = new Set(found.map(pairKey));
      const stale = existing
        .filter((row) => row.origin === "detected" && row.status === "active" && !still.has(pairKey(row)))
        .filter((row) => checked.has(row.fromTable) && checked.has(row.toTable))
        .map((row) => row.id);
      if (stale.length > 0) await db.delete(relationships).where(inArray(relationships.id, stale));
      removed += stale.length;
    }
    const after = await db.select().from(relationships).where(eq(relationships.workspaceId, workspaceId));
    const foundKeys = new Set(found.map(pairKey));
    log.info(
      {
        workspaceId,
        candidates: candidates.length,
        found: found.length,
        added,
        removed,
        ms: Math.round(performance.now() - started),
      },
      "relationships detected",
    );
    return { found: after.filter((row) => foundKeys.has(pairKey(row))), added, removed };
  }

  function detect(workspaceId: string): ReturnType<typeof detectNow> {
    const previous = running.get(workspaceId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => detectNow(workspaceId));
    const settled = next.catch(() => undefined);
    running.set(workspaceId, settled);
    void settled.then(() => {
      if (running.get(workspaceId) === settled) running.delete(workspaceId);
    });
    return next;
  }

  return {
    owned,
    prune,
    detect,

    /** The profile and quality report of freshly loaded tables, for the source's row; never throws. */
    analyse(engine: Pick<DuckEngine, "query">, tables: string[], malformed?: MalformedRows) {
      return analyseTables(engine, tables, { log, ...(malformed ? { malformed } : {}) });
    },

    /** Detection after data changed: failures are logged, never passed on to the load that triggered it. */
    async refresh(workspaceId: string): Promise<void> {
      try {
        await detect(workspaceId);
      } catch (error) {
        log.warn({ err: error, workspaceId }, "could not detect relationships");
      }
    },

    /** Detection on request, by a person who may change data. */
    async detectFor(ctx: RequestContext) {
      assertCan(ctx.role, "data.write");
      return detect(ctx.workspaceId);
    },

    async list(
      ctx: RequestContext,
      query: {
        table?: string | undefined;
        status?: RelationshipStatus | undefined;
        limit: number;
        cursor?: string | undefined;
      },
    ) {
      const order = newestFirst(relationships, query.cursor);
      const filters: (SQL | undefined)[] = [eq(relationships.workspaceId, ctx.workspaceId), order.where];
      if (query.table)
        filters.push(or(eq(relationships.fromTable, query.table), eq(relationships.toTable, query.table)));
      if (query.status) filters.push(eq(relationships.status, query.status));
      const rows = await db
        .select()
        .from(relationships)
        .where(and(...filters))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(rows, query.limit);
    },

    /** A join a person knows of; both columns must exist in the workspace's ready sources. */
    async create(ctx: RequestContext, input: Pair): Promise<RelationshipRecord> {
      assertCan(ctx.role, "data.write");
      const tables = await tablesOf(db, ctx.workspaceId, { readyOnly: true, live: true });
      for (const [table, column] of [
        [input.fromTable, input.fromColumn],
        [input.toTable, input.toColumn],
      ] as const) {
        const found = tables.find((entry) => entry.name === table);
        if (!found) throw new Invalid(`There is no table ${table} in this workspace`, { table });
        if (!found.columns.some((entry) => entry.name === column)) {
          throw new Invalid(`Table ${table} has no column ${column}`, { table, column });
        }
      }
      if (input.fromTable === input.toTable && input.fromColumn === input.toColumn) {
        throw new Invalid("A column cannot refer to itself");
      }
      const now = clock.now();
      const [row] = await db
        .insert(relationships)
        .values({
          ...input,
          workspaceId: ctx.workspaceId,
          origin: "manual",
          status: "active",
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        const [taken] = await db
          .select()
          .from(relationships)
          .where(
            and(
              eq(relationships.workspaceId, ctx.workspaceId),
              eq(relationships.fromTable, input.fromTable),
              eq(relationships.fromColumn, input.fromColumn),
              eq(relationships.toTable, input.toTable),
              eq(relationships.toColumn, input.toColumn),
            ),
          );
        throw new Conflict(
          taken?.status === "dismissed"
            ? "This relationship exists but was dismissed: set its status to active instead"
            : "This relationship already exists",
          { id: taken?.id },
        );
      }
      await record(ctx, "relationship.created", row);
      return row;
    },

    async setStatus(
      ctx: RequestContext,
      id: string,
      status: RelationshipStatus,
    ): Promise<RelationshipRecord> {
      assertCan(ctx.role, "data.write");
      const row = await owned(ctx, id);
      if (row.status === status) return row;
      const [updated] = await db
        .update(relationships)
        .set({ status, updatedAt: clock.now() })
        .where(eq(relationships.id, row.id))
        .returning();
      if (!updated) throw new NotFound("Relationship", { id });
      await record(
        ctx,
        status === "dismissed" ? "relationship.dismissed" : "relationship.confirmed",
        updated,
      );
      return updated;
    },

    /** Deletes a manual relationship; a detected one is dismissed instead, so detection does not bring it back. */
    async remove(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "data.write");
      const row = await owned(ctx, id);
      if (row.origin === "manual") {
        await db.delete(relationships).where(eq(relationships.id, row.id));
        await record(ctx, "relationship.deleted", row);
        return;
      }
      await db
        .update(relationships)
        .set({ status: "dismissed", updatedAt: clock.now() })
        .where(eq(relationships.id, row.id));
      await record(ctx, "relationship.dismissed", row);
    },

    async removeWorkspace(workspaceId: string): Promise<void> {
      await db.delete(relationships).where(eq(relationships.workspaceId, workspaceId));
    },

    /** The joins questions and dashboards may use: active relationships between tables that exist now. */
    joinsFor(workspaceId: string): Promise<Join[]> {
      return joinsFor(db, workspaceId);
    },
  };

  async function record(ctx: RequestContext, action: string, row: RelationshipRecord) {
    await audit.record({
      workspaceId: ctx.workspaceId,
      action,
      actor: ctx.actor,
      target: {
        type: "relationship",
        id: row.id,
        label: `${row.fromTable}.${row.fromColumn} → ${row.toTable}.${row.toColumn}`,
      },
      meta: ctx.meta,
    });
  }
}

export type RelationshipsService = ReturnType<typeof createRelationshipsService>;
