import { randomInt } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Clock } from "../../platform/clock.js";
import { hmac, safeEqual } from "../../platform/crypto.js";
import type { Db } from "../../platform/db/index.js";
import { AppError, RateLimited } from "../../platform/errors.js";
import { type CodePurpose, otpCodes } from "./auth.tables.js";

export const codeRules = {
  lifetimeMs: 10 * 60_000,
  maxAttempts: 3,
  lockMs: 15 * 60_000,
  resendCooldownMs: 60_000,
};

export class InvalidCode extends AppError {
  constructor(message: string, code: "invalid_code" | "code_expired", extra: Record<string, unknown> = {}) {
    super(400, code, message, extra);
  }
}

/**
 * Six-digit e-mail codes: single use, 10 minutes, three tries. A new code replaces the previous
 * one of the same purpose. Only an HMAC of each code is stored.
 */
export function createCodes(deps: { db: Db; clock: Clock; key: Buffer }) {
  const { db, clock, key } = deps;
  const hashOf = (userId: string, purpose: CodePurpose, code: string) =>
    hmac(key, `${userId}:${purpose}:${code}`);

  async function lockedUntil(userId: string, purpose: CodePurpose): Promise<Date | undefined> {
    const [row] = await db
      .select({ lockedUntil: otpCodes.lockedUntil })
      .from(otpCodes)
      .where(
        and(
          eq(otpCodes.userId, userId),
          eq(otpCodes.purpose, purpose),
          gt(otpCodes.lockedUntil, clock.now()),
        ),
      )
      .orderBy(desc(otpCodes.lockedUntil))
      .limit(1);
    return row?.lockedUntil ?? undefined;
  }

  function lockedError(until: Date): RateLimited {
    const seconds = Math.max(1, Math.ceil((until.getTime() - clock.now().getTime()) / 1000));
    return new RateLimited(
      `Too many wrong codes: try again in ${Math.ceil(seconds / 60)} minutes with a new code`,
      seconds,
      "verification_locked",
    );
  }

  /** The newest code of a purpose still waiting to be used, if any. */
  async function pending(userId: string, purpose: CodePurpose) {
    const [row] = await db
      .select()
      .from(otpCodes)
      .where(
        and(
          eq(otpCodes.userId, userId),
          eq(otpCodes.purpose, purpose),
          isNull(otpCodes.consumedAt),
          isNull(otpCodes.invalidatedAt),
        ),
      )
      .orderBy(desc(otpCodes.createdAt))
      .limit(1);
    return row;
  }

  return {
    lockedUntil,
    lockedError,
    pending,

    /** Issues a new code, invalidating any earlier one of the same purpose. Returns the code. */
    async issue(
      userId: string,
      purpose: CodePurpose,
      tx: Db = db,
    ): Promise<{ code: string; expiresAt: Date }> {
      const now = clock.now();
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const expiresAt = new Date(now.getTime() + codeRules.lifetimeMs);
      await tx
        .update(otpCodes)
        .set({ invalidatedAt: now })
        .where(
          and(
            eq(otpCodes.userId, userId),
            eq(otpCodes.purpose, purpose),
            isNull(otpCodes.consumedAt),
            isNull(otpCodes.invalidatedAt),
          ),
        );
      await tx.insert(otpCodes).values({
        userId,
        purpose,
        codeHash: hashOf(userId, purpose, code),
        expiresAt,
        createdAt: now,
      });
      return { code, expiresAt };
    },

    /** When the newest code of this purpose was sent, for the resend cooldown. */
    async lastIssuedAt(userId: string, purpose: CodePurpose): Promise<Date | undefined> {
      const [row] = await db
        .select({ createdAt: otpCodes.createdAt })
        .from(otpCodes)
        .where(and(eq(otpCodes.userId, userId), eq(otpCodes.purpose, purpose)))
        .orderBy(desc(otpCodes.createdAt))
        .limit(1);
      return row?.createdAt;
    },

    /** Consumes the code or throws: wrong (with tries left), expired, or locked after three misses. */
    async verify(userId: string, purpose: CodePurpose, code: string): Promise<void> {
      const until = await lockedUntil(userId, purpose);
      if (until) throw lockedError(until);
      const row = await pending(userId, purpose);
      const now = clock.now();
      if (!row) throw new InvalidCode("This code is not valid: request a new one", "invalid_code");
      if (row.expiresAt <= now) {
        throw new InvalidCode("This code has expired: request a new one", "code_expired");
      }
      if (!safeEqual(row.codeHash, hashOf(userId, purpose, code))) {
        const [counted] = await db
          .update(otpCodes)
          .set({ failedAttempts: sql`${otpCodes.failedAttempts} + 1` })
          .where(eq(otpCodes.id, row.id))
          .returning({ failedAttempts: otpCodes.failedAttempts });
        const failed = counted?.failedAttempts ?? codeRules.maxAttempts;
        if (failed >= codeRules.maxAttempts) {
          const lockEnds = new Date(now.getTime() + codeRules.lockMs);
          await db
            .update(otpCodes)
            .set({ invalidatedAt: now, lockedUntil: lockEnds })
            .where(eq(otpCodes.id, row.id));
          throw lockedError(lockEnds);
        }
        const attemptsLeft = codeRules.maxAttempts - failed;
        throw new InvalidCode(
          `Wrong code: ${attemptsLeft} ${attemptsLeft === 1 ? "try" : "tries"} left`,
          "invalid_code",
          { attemptsLeft },
        );
      }
      // The condition makes two concurrent uses of one code succeed once.
      const used = await db
        .update(otpCodes)
        .set({ consumedAt: now })
        .where(and(eq(otpCodes.id, row.id), isNull(otpCodes.consumedAt), isNull(otpCodes.invalidatedAt)))
        .returning({ id: otpCodes.id });
      if (used.length === 0) throw new InvalidCode("This code was already used", "invalid_code");
    },
  };
}

export type Codes = ReturnType<typeof createCodes>;
