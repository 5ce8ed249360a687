import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import { randomToken, safeEqual, sha256 } from "../../platform/crypto.js";
import { type Db, inTransaction } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Forbidden, NotFound } from "../../platform/errors.js";
import type { AuditLog } from "../audit/index.js";
import type { RequestContext } from "../auth/context.js";
import { assertCan, lowerRole, type Role, roleRank } from "./permissions.js";
import { apiKeys } from "./workspaces.tables.js";

export type ApiKeyRecord = typeof apiKeys.$inferSelect;

/** Only touch `last_used_at` this often: a key used in a loop should not write on every call. */
const lastUsedResolutionMs = 60_000;
const keyPattern = /^sl_([a-z0-9]{8})_([A-Za-z0-9_-]{32,64})$/;

export function isApiKey(value: string): boolean {
  return keyPattern.test(value);
}

export function createApiKeysService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  roleOf: (workspaceId: string, userId: string) => Promise<Role | undefined>;
}) {
  const { db, clock, audit, roleOf } = deps;

  return {
    /** Creates a key and returns its secret: the only time anyone sees it. */
    async create(
      ctx: RequestContext,
      input: { name: string; role: Role; expiresInDays?: number },
    ): Promise<{ key: ApiKeyRecord; secret: string }> {
      assertCan(ctx.role, "apiKeys.manage");
      if (ctx.actor.type === "api_key") throw new Forbidden("API keys cannot create API keys");
      if (roleRank[input.role] > roleRank[ctx.role]) {
        throw new Forbidden(`A key cannot have more rights than you: your role is ${ctx.role}`);
      }
      const prefix = randomToken(12)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "")
        .slice(0, 8)
        .padEnd(8, "0");
      const secret = `sl_${prefix}_${randomToken(32)}`;
      const now = clock.now();
      return inTransaction(db, async (tx) => {
        const [key] = await tx
          .insert(apiKeys)
          .values({
            workspaceId: ctx.workspaceId,
            name: input.name,
            prefix,
            keyHash: sha256(secret),
            role: input.role,
            createdBy: ctx.userId,
            createdAt: now,
            expiresAt: input.expiresInDays
              ? new Date(now.getTime() + input.expiresInDays * 86_400_000)
              : null,
          })
          .returning();
        if (!key) throw new Error("api key insert returned no row");
        await audit.record(
          {
            workspaceId: ctx.workspaceId,
            action: "api_key.created",
            actor: ctx.actor,
            target: { type: "api_key", id: key.id, label: key.name },
            meta: ctx.meta,
            metadata: { role: key.role, prefix },
          },
          tx,
        );
        return { key, secret };
      });
    },

    async list(ctx: RequestContext, page: { limit: number; cursor?: string }) {
      assertCan(ctx.role, "apiKeys.manage");
      const order = newestFirst(apiKeys, page.cursor);
      const rows = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.workspaceId, ctx.workspaceId), order.where))
        .orderBy(...order.orderBy)
        .limit(page.limit + 1);
      return order.page(rows, page.limit);
    },

    async revoke(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "apiKeys.manage");
      if (!z.uuid().safeParse(id).success) throw new NotFound("API key", { id });
      await inTransaction(db, async (tx) => {
        const [key] = await tx
          .update(apiKeys)
          .set({ revokedAt: clock.now() })
          .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, ctx.workspaceId), isNull(apiKeys.revokedAt)))
          .returning();
        if (!key) throw new NotFound("API key", { id });
        await audit.record(
          {
            workspaceId: ctx.workspaceId,
            action: "api_key.revoked",
            actor: ctx.actor,
            target: { type: "api_key", id, label: key.name },
            meta: ctx.meta,
          },
          tx,
        );
      });
    },

    /** Whether a key is still usable (not revoked or expired, creator still a member). */
    async stillValid(id: string): Promise<boolean> {
      const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
      if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= clock.now())) return false;
      return (await roleOf(key.workspaceId, key.createdBy)) !== undefined;
    },

    /**
     * The key a secret names, if it is live. Its role is capped by its creator's current role,
     * and it stops working when the creator leaves the workspace.
     */
    async authenticate(secret: string): Promise<{ key: ApiKeyRecord; role: Role } | undefined> {
      const match = keyPattern.exec(secret);
      if (!match?.[1]) return undefined;
      const [key] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, match[1]));
      const now = clock.now();
      if (!key || !safeEqual(key.keyHash, sha256(secret))) return undefined;
      if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return undefined;
      const creatorRole = await roleOf(key.workspaceId, key.createdBy);
      if (!creatorRole) return undefined;
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > lastUsedResolutionMs) {
        await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, key.id));
      }
      return { key, role: lowerRole(key.role, creatorRole) };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
