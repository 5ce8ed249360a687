import { and, asc, count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import { type Db, inTransaction } from "../../platform/db/index.js";
import { Conflict, Forbidden, NotFound } from "../../platform/errors.js";
import type { EventBus } from "../../platform/events/index.js";
import { decodeCursor, encodeCursor } from "../../platform/http/pagination.js";
import type { Actor, AuditLog, RequestMeta } from "../audit/index.js";
import type { RequestContext } from "../auth/context.js";
import type { UserRecord } from "../auth/users.store.js";
import { assertCan, type Role } from "./permissions.js";
import { memberships, workspaces } from "./workspaces.tables.js";

export type WorkspaceRecord = typeof workspaces.$inferSelect;

export interface Membership {
  id: string;
  name: string;
  role: Role;
  isDemo: boolean;
  createdAt: Date;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
}

/** The users this module shows as members; the auth module owns them. */
export interface UserLookup {
  byIds(ids: string[]): Promise<Map<string, UserRecord>>;
}

const memberCursor = z.object({ t: z.string(), id: z.uuid() });
// Ids come from URLs: anything but a UUID names nothing (and would make PostgreSQL fail).
const isUuid = (value: string) => z.uuid().safeParse(value).success;

/** Published when a workspace is deleted, so modules that keep its data elsewhere remove it too. */
export const workspaceDeletedEvent = "workspace_deleted";

export function createWorkspacesService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  users: UserLookup;
  events?: Pick<EventBus, "publish">;
}) {
  const { db, clock, audit, users } = deps;

  async function membership(workspaceId: string, userId: string, tx: Db = db) {
    if (!isUuid(workspaceId) || !isUuid(userId)) return undefined;
    const [row] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
    return row?.role;
  }

  async function ownerCount(workspaceId: string, tx: Db): Promise<number> {
    const [row] = await tx
      .select({ value: count() })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner")));
    return Number(row?.value ?? 0);
  }

  async function memberOf(ctx: RequestContext, userId: string, tx: Db = db): Promise<Member> {
    const role = await membership(ctx.workspaceId, userId, tx);
    const user = (await users.byIds([userId])).get(userId);
    if (!role || !user) throw new NotFound("Member", { userId });
    const [row] = await tx
      .select({ createdAt: memberships.createdAt })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, userId)));
    return { userId, email: user.email, name: user.name, role, joinedAt: row?.createdAt ?? clock.now() };
  }

  return {
    membership,

    /** Creates a workspace owned by `ownerId`, recorded in its audit log as created by `actor`. */
    async create(
      input: { name: string; ownerId: string; isDemo?: boolean; actor: Actor; meta?: RequestMeta },
      tx: Db = db,
    ) {
      const now = clock.now();
      const [workspace] = await tx
        .insert(workspaces)
        .values({ name: input.name, isDemo: input.isDemo ?? false, createdAt: now, updatedAt: now })
        .returning();
      if (!workspace) throw new Error("workspace insert returned no row");
      await tx
        .insert(memberships)
        .values({ workspaceId: workspace.id, userId: input.ownerId, role: "owner", createdAt: now });
      await audit.record(
        {
          workspaceId: workspace.id,
          action: "workspace.created",
          actor: input.actor,
          target: { type: "workspace", id: workspace.id, label: workspace.name },
          ...(input.meta ? { meta: input.meta } : {}),
        },
        tx,
      );
      return workspace;
    },

    /** Every workspace of a user, oldest membership first (the first is the default). */
    async membershipsOf(userId: string): Promise<Membership[]> {
      const rows = await db
        .select({
          id: workspaces.id,
          name: workspaces.name,
          isDemo: workspaces.isDemo,
          createdAt: workspaces.createdAt,
          role: memberships.role,
          joinedAt: memberships.createdAt,
        })
        .from(memberships)
        .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(memberships.createdAt), asc(workspaces.id));
      return rows.map(({ joinedAt: _joined, ...row }) => row);
    },

    /** A workspace the user belongs to; any other id is a 404. */
    async get(userId: string, id: string): Promise<Membership> {
      if (!isUuid(id)) throw new NotFound("Workspace", { id });
      const [row] = await db
        .select({
          id: workspaces.id,
          name: workspaces.name,
          isDemo: workspaces.isDemo,
          createdAt: workspaces.createdAt,
          role: memberships.role,
        })
        .from(memberships)
        .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
        .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, id)));
      if (!row) throw new NotFound("Workspace", { id });
      return row;
    },

    async rename(ctx: RequestContext, id: string, name: string): Promise<Membership> {
      if (id !== ctx.workspaceId) {
        // Acting on another of one's workspaces: the role there decides.
        const role = await membership(id, ctx.userId);
        if (!role) throw new NotFound("Workspace", { id });
        assertCan(role, "workspace.update");
      } else {
        assertCan(ctx.role, "workspace.update");
      }
      await inTransaction(db, async (tx) => {
        await tx.update(workspaces).set({ name, updatedAt: clock.now() }).where(eq(workspaces.id, id));
        await audit.record(
          {
            workspaceId: id,
            action: "workspace.updated",
            actor: ctx.actor,
            target: { type: "workspace", id, label: name },
            meta: ctx.meta,
            metadata: { name },
          },
          tx,
        );
      });
      return this.get(ctx.userId, id);
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      const role = await membership(id, ctx.userId);
      if (!role) throw new NotFound("Workspace", { id });
      assertCan(role, "workspace.delete");
      const [target] = await db
        .select({ isDemo: workspaces.isDemo })
        .from(workspaces)
        .where(eq(workspaces.id, id));
      if (target?.isDemo) {
        // Its sign-in is public on the login page: one visitor must not delete it for everyone.
        throw new Conflict("The demo workspace cannot be deleted", { code: "demo_workspace" });
      }
      if (ctx.actor.type === "api_key") throw new Forbidden("API keys cannot delete workspaces");
      await inTransaction(db, async (tx) => {
        const [row] = await tx.delete(workspaces).where(eq(workspaces.id, id)).returning();
        await audit.record(
          {
            // Kept under the deleted workspace's id: the deleter's other workspaces never see it.
            workspaceId: id,
            action: "workspace.deleted",
            actor: ctx.actor,
            target: { type: "workspace", id, label: row?.name ?? null },
            meta: ctx.meta,
          },
          tx,
        );
      });
      await deps.events?.publish({ type: workspaceDeletedEvent, workspaceId: id, data: {} });
    },

    async members(
      ctx: RequestContext,
      page: { limit: number; cursor?: string },
    ): Promise<{ items: Member[]; nextCursor: string | null }> {
      const after = decodeCursor(page.cursor, memberCursor);
      const rows = await db
        .select()
        .from(memberships)
        .where(
          and(
            eq(memberships.workspaceId, ctx.workspaceId),
            after ? gt(memberships.userId, after.id) : undefined,
          ),
        )
        .orderBy(asc(memberships.userId))
        .limit(page.limit + 1);
      const slice = rows.slice(0, page.limit);
      const people = await users.byIds(slice.map((row) => row.userId));
      const items = slice.flatMap((row) => {
        const user = people.get(row.userId);
        return user
          ? [
              {
                userId: row.userId,
                email: user.email,
                name: user.name,
                role: row.role,
                joinedAt: row.createdAt,
              },
            ]
          : [];
      });
      const last = slice.at(-1);
      return {
        items,
        nextCursor: rows.length > page.limit && last ? encodeCursor({ t: "", id: last.userId }) : null,
      };
    },

    memberOf,

    async addMember(workspaceId: string, userId: string, role: Role, tx: Db = db): Promise<boolean> {
      const inserted = await tx
        .insert(memberships)
        .values({ workspaceId, userId, role, createdAt: clock.now() })
        .onConflictDoNothing()
        .returning();
      return inserted.length > 0;
    },

    /** Owners alone grant or take away the owner role; a workspace always keeps one owner. */
    async changeRole(ctx: RequestContext, userId: string, role: Role): Promise<Member> {
      assertCan(ctx.role, "members.manage");
      await inTransaction(db, async (tx) => {
        const current = await membership(ctx.workspaceId, userId, tx);
        if (!current) throw new NotFound("Member", { userId });
        if (current === role) return;
        if (current === "owner" || role === "owner") assertCan(ctx.role, "owners.manage");
        if (current === "owner" && (await ownerCount(ctx.workspaceId, tx)) <= 1) {
          throw new Conflict("A workspace needs at least one owner: make someone else owner first", {
            code: "last_owner",
          });
        }
        await tx
          .update(memberships)
          .set({ role })
          .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, userId)));
        await audit.record(
          {
            workspaceId: ctx.workspaceId,
            action: "member.role_changed",
            actor: ctx.actor,
            target: { type: "user", id: userId },
            meta: ctx.meta,
            metadata: { from: current, to: role },
          },
          tx,
        );
      });
      return memberOf(ctx, userId);
    },

    /** Admins remove members (owners only by owners); anyone may leave, except the last owner. */
    async removeMember(ctx: RequestContext, userId: string): Promise<void> {
      const leaving = userId === ctx.userId && ctx.actor.type === "user";
      if (!leaving) assertCan(ctx.role, "members.manage");
      await inTransaction(db, async (tx) => {
        const current = await membership(ctx.workspaceId, userId, tx);
        if (!current) throw new NotFound("Member", { userId });
        if (current === "owner") {
          if (!leaving) assertCan(ctx.role, "owners.manage");
          if ((await ownerCount(ctx.workspaceId, tx)) <= 1) {
            throw new Conflict("A workspace needs at least one owner: make someone else owner first", {
              code: "last_owner",
            });
          }
        }
        await tx
          .delete(memberships)
          .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, userId)));
        await audit.record(
          {
            workspaceId: ctx.workspaceId,
            action: leaving ? "member.left" : "member.removed",
            actor: ctx.actor,
            target: { type: "user", id: userId },
            meta: ctx.meta,
            metadata: { role: current },
          },
          tx,
        );
      });
    },

    async memberIds(workspaceId: string): Promise<string[]> {
      const rows = await db
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(eq(memberships.workspaceId, workspaceId));
      return rows.map((row) => row.userId);
    },
  };
}

export type WorkspacesService = ReturnType<typeof createWorkspacesService>;
