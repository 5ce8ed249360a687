import Bowser from "bowser";
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import { randomToken, safeEqual, sha256 } from "../../platform/crypto.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { NotFound } from "../../platform/errors.js";
import type { RequestMeta } from "../audit/index.js";
import { trustedDevices } from "./auth.tables.js";

export const deviceLifetimeMs = 30 * 24 * 60 * 60_000;

export type DeviceRecord = typeof trustedDevices.$inferSelect;

/** "Chrome on Linux", from the user agent; "Unknown device" when it says nothing useful. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  if (browser && os) return `${browser} on ${os}`;
  return browser || os || "Unknown device";
}

/**
 * Trusted browsers. The device cookie holds `<id>.<token>` (signed by the cookie plugin); the
 * token is stored as SHA-256, so a copy of the database cannot mint cookies.
 */
export function createDevices(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async trust(userId: string, meta: RequestMeta): Promise<{ device: DeviceRecord; cookie: string }> {
      const token = randomToken(24);
      const now = clock.now();
      const [device] = await db
        .insert(trustedDevices)
        .values({
          userId,
          tokenHash: sha256(token),
          name: deviceName(meta.userAgent),
          userAgent: meta.userAgent,
          ip: meta.ip,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + deviceLifetimeMs),
        })
        .returning();
      if (!device) throw new Error("device insert returned no row");
      return { device, cookie: `${device.id}.${token}` };
    },

    /** The user's trusted device named by a cookie value, if it is valid; marks it seen. */
    async recognise(
      userId: string,
      cookie: string | undefined,
      meta: RequestMeta,
    ): Promise<DeviceRecord | undefined> {
      if (!cookie) return undefined;
      const [id, token] = cookie.split(".");
      if (!id || !token || !z.uuid().safeParse(id).success) return undefined;
      const now = clock.now();
      const [device] = await db
        .select()
        .from(trustedDevices)
        .where(
          and(
            eq(trustedDevices.id, id),
            eq(trustedDevices.userId, userId),
            isNull(trustedDevices.revokedAt),
            gt(trustedDevices.expiresAt, now),
          ),
        );
      if (!device || !safeEqual(device.tokenHash, sha256(token))) return undefined;
      await db
        .update(trustedDevices)
        .set({ lastSeenAt: now, ip: meta.ip, userAgent: meta.userAgent })
        .where(eq(trustedDevices.id, device.id));
      return device;
    },

    /** The cookie's device id, when it is well formed (to mark "this device" in lists). */
    idOf(cookie: string | undefined): string | undefined {
      const id = cookie?.split(".")[0];
      return id && z.uuid().safeParse(id).success ? id : undefined;
    },

    async list(userId: string, page: { limit: number; cursor?: string }) {
      const order = newestFirst(trustedDevices, page.cursor);
      const rows = await db
        .select()
        .from(trustedDevices)
        .where(
          and(
            eq(trustedDevices.userId, userId),
            isNull(trustedDevices.revokedAt),
            gt(trustedDevices.expiresAt, clock.now()),
            order.where,
          ),
        )
        .orderBy(...order.orderBy)
        .limit(page.limit + 1);
      return order.page(rows, page.limit);
    },

    async revoke(userId: string, id: string): Promise<DeviceRecord> {
      if (!z.uuid().safeParse(id).success) throw new NotFound("Device", { id });
      const [row] = await db
        .update(trustedDevices)
        .set({ revokedAt: clock.now() })
        .where(
          and(eq(trustedDevices.id, id), eq(trustedDevices.userId, userId), isNull(trustedDevices.revokedAt)),
        )
        .returning();
      if (!row) throw new NotFound("Device", { id });
      return row;
    },

    async revokeAllOf(userId: string, tx: Db = db): Promise<void> {
      await tx
        .update(trustedDevices)
        .set({ revokedAt: clock.now() })
        .where(and(eq(trustedDevices.userId, userId), isNull(trustedDevices.revokedAt)));
    },
  };
}

export type Devices = ReturnType<typeof createDevices>;
