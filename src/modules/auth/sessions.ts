import { and, eq, isNull } from "drizzle-orm";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Clock } from "../../platform/clock.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { type Db, inTransaction } from "../../platform/db/index.js";
import { Unauthorized } from "../../platform/errors.js";
import type { RequestMeta } from "../audit/index.js";
import { refreshTokens, sessions } from "./auth.tables.js";

export const tokenLifetimes = {
  accessSeconds: 15 * 60,
  refreshMs: 30 * 24 * 60 * 60_000,
};

export interface IssuedTokens {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type SessionRecord = typeof sessions.$inferSelect;

/**
 * Access tokens are 15-minute JWTs naming the user and the session; refresh tokens are random,
 * stored as SHA-256, and rotate on every use. Presenting a refresh token that was already
 * rotated means it was copied: the whole session (the token family) is revoked.
 */
export function createSessions(deps: { db: Db; clock: Clock; key: Buffer }) {
  const { db, clock, key } = deps;

  async function accessToken(userId: string, sessionId: string): Promise<string> {
    const now = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({ sid: sessionId, typ: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setIssuedAt(now)
      .setExpirationTime(now + tokenLifetimes.accessSeconds)
      .setIssuer("sightline")
      .sign(key);
  }

  async function refreshFor(sessionId: string, tx: Db): Promise<string> {
    const token = randomToken(32);
    const now = clock.now();
    await tx.insert(refreshTokens).values({
      sessionId,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + tokenLifetimes.refreshMs),
      createdAt: now,
    });
    return token;
  }

  async function revoke(sessionId: string, reason: string, tx: Db = db): Promise<void> {
    await tx
      .update(sessions)
      .set({ revokedAt: clock.now(), revokedReason: reason })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
  }

  return {
    async start(userId: string, meta: RequestMeta, deviceId?: string): Promise<IssuedTokens> {
      return inTransaction(db, async (tx) => {
        const now = clock.now();
        const [session] = await tx
          .insert(sessions)
          .values({
            userId,
            deviceId: deviceId ?? null,
            ip: meta.ip,
            userAgent: meta.userAgent,
            createdAt: now,
            lastUsedAt: now,
          })
          .returning();
        if (!session) throw new Error("session insert returned no row");
        return {
          sessionId: session.id,
          accessToken: await accessToken(userId, session.id),
          refreshToken: await refreshFor(session.id, tx),
          expiresIn: tokenLifetimes.accessSeconds,
        };
      });
    },

    /** Verifies an access token: signature, expiry (by the clock), and that it is one. */
    async verifyAccess(token: string): Promise<{ userId: string; sessionId: string }> {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: "sightline",
          algorithms: ["HS256"],
          currentDate: clock.now(),
        });
        if (payload.typ !== "access" || typeof payload.sub !== "string" || typeof payload.sid !== "string") {
          throw new Unauthorized("This is not an access token", "invalid_token");
        }
        return { userId: payload.sub, sessionId: payload.sid };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) {
          throw new Unauthorized("The access token has expired: refresh it", "token_expired");
        }
        if (error instanceof Unauthorized) throw error;
        throw new Unauthorized("The access token is not valid", "invalid_token");
      }
    },

    async get(sessionId: string): Promise<SessionRecord | undefined> {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
      return row;
    },

    /** Exchanges a refresh token for new tokens; a reused token revokes its family. */
    async rotate(refreshToken: string): Promise<IssuedTokens & { userId: string }> {
      const invalid = () =>
        new Unauthorized("The refresh token is not valid; sign in again", "invalid_refresh_token");
      const outcome = await inTransaction(db, async (tx) => {
        const [row] = await tx
          .select({ token: refreshTokens, session: sessions })
          .from(refreshTokens)
          .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
          .where(eq(refreshTokens.tokenHash, sha256(refreshToken)));
        if (!row || row.session.revokedAt) return { kind: "invalid" as const };
        const now = clock.now();
        if (row.token.expiresAt <= now) return { kind: "invalid" as const };
        const claimed = await tx
          .update(refreshTokens)
          .set({ usedAt: now })
          .where(and(eq(refreshTokens.id, row.token.id), isNull(refreshTokens.usedAt)))
          .returning({ id: refreshTokens.id });
        if (claimed.length === 0)
          return { kind: "reused" as const, sessionId: row.session.id, userId: row.session.userId };
        await tx.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, row.session.id));
        return {
          kind: "rotated" as const,
          userId: row.session.userId,
          sessionId: row.session.id,
          refreshToken: await refreshFor(row.session.id, tx),
        };
      });
      if (outcome.kind === "invalid") throw invalid();
      if (outcome.kind === "reused") {
        await revoke(outcome.sessionId, "refresh_token_reused");
        throw Object.assign(invalid(), { reusedSession: outcome });
      }
      return {
        userId: outcome.userId,
        sessionId: outcome.sessionId,
        refreshToken: outcome.refreshToken,
        accessToken: await accessToken(outcome.userId, outcome.sessionId),
        expiresIn: tokenLifetimes.accessSeconds,
      };
    },

    /** The session a refresh token belongs to, without using the token. */
    async sessionOfRefresh(refreshToken: string): Promise<SessionRecord | undefined> {
      const [row] = await db
        .select({ session: sessions })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(eq(refreshTokens.tokenHash, sha256(refreshToken)));
      return row?.session;
    },

    revoke,

    async revokeAllOf(userId: string, reason: string, tx: Db = db): Promise<void> {
      await tx
        .update(sessions)
        .set({ revokedAt: clock.now(), revokedReason: reason })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
