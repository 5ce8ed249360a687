import { and, eq, gte, inArray, isNull, like, lte, or, type SQL } from "drizzle-orm";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { auditEvents } from "./audit.tables.js";

export type Actor =
  | { type: "user"; id: string; label: string }
  | { type: "api_key"; id: string; label: string }
  | { type: "system"; id?: undefined; label: string };

/** Where a request came from, recorded with every event it causes. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface AuditInput {
  workspaceId?: string | null;
  action: string;
  actor: Actor;
  target?: { type: string; id: string; label?: string | null };
  meta?: RequestMeta;
  metadata?: Record<string, unknown>;
}

export type AuditRecord = typeof auditEvents.$inferSelect;

export interface AuditQuery {
  workspaceId: string;
  /** Account events (no workspace) of these users are shown too: the workspace's members. */
  memberIds: string[];
  action?: string;
  actorId?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export function createAuditLog(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    /** Records one event; pass a transaction so the event commits with the change it describes. */
    async record(input: AuditInput, tx: Db = db): Promise<void> {
      await tx.insert(auditEvents).values({
        workspaceId: input.workspaceId ?? null,
        action: input.action,
        actorType: input.actor.type,
        actorId: input.actor.id ?? null,
        actorLabel: input.actor.label,
        targetType: input.target?.type ?? null,
        targetId: input.target?.id ?? null,
        targetLabel: input.target?.label ?? null,
        ip: input.meta?.ip ?? null,
        userAgent: input.meta?.userAgent ?? null,
        metadata: input.metadata ?? {},
        createdAt: clock.now(),
      });
    },

    /** Newest first. `action` matches a prefix: `auth.` selects every sign-in event. */
    async list(query: AuditQuery): Promise<{ items: AuditRecord[]; nextCursor: string | null }> {
      // A failed sign-in or lockout names the member as its target, not its actor.
      const scope =
        query.memberIds.length > 0
          ? or(
              eq(auditEvents.workspaceId, query.workspaceId),
              and(
                isNull(auditEvents.workspaceId),
                or(
                  inArray(auditEvents.actorId, query.memberIds),
                  and(eq(auditEvents.targetType, "user"), inArray(auditEvents.targetId, query.memberIds)),
                ),
              ),
            )
          : eq(auditEvents.workspaceId, query.workspaceId);
      const conditions: (SQL | undefined)[] = [scope];
      if (query.action) conditions.push(like(auditEvents.action, `${escapeLike(query.action)}%`));
      if (query.actorId) conditions.push(eq(auditEvents.actorId, query.actorId));
      if (query.targetId) conditions.push(eq(auditEvents.targetId, query.targetId));
      if (query.from) conditions.push(gte(auditEvents.createdAt, query.from));
      if (query.to) conditions.push(lte(auditEvents.createdAt, query.to));
      const order = newestFirst(auditEvents, query.cursor);
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(...conditions, order.where))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(rows, query.limit);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
