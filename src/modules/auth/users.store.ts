import { count, eq, inArray, sql } from "drizzle-orm";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { type AccountType, users } from "./auth.tables.js";

export type UserRecord = typeof users.$inferSelect;

/** What other modules may know of a user. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  accountType: AccountType;
  emailVerified: boolean;
  instanceAdmin: boolean;
  isDemo: boolean;
  createdAt: string;
}

export function publicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    accountType: user.accountType,
    emailVerified: user.emailVerifiedAt !== null,
    instanceAdmin: user.instanceAdmin,
    isDemo: user.isDemo,
    createdAt: user.createdAt.toISOString(),
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `te***@example.com`: enough for a person to recognise their address, not enough to harvest it. */
export function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  const shown = local.length <= 2 ? local.slice(0, 1) : local.slice(0, 2);
  return `${shown}***@${domain}`;
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  accountType: AccountType;
  verified?: boolean;
  instanceAdmin?: boolean;
  isDemo?: boolean;
}

export function createUserStore(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async byEmail(email: string, tx: Db = db): Promise<UserRecord | undefined> {
      const [row] = await tx
        .select()
        .from(users)
        .where(eq(users.email, normalizeEmail(email)));
      return row;
    },
    async byId(id: string, tx: Db = db): Promise<UserRecord | undefined> {
      const [row] = await tx.select().from(users).where(eq(users.id, id));
      return row;
    },
    async byIds(ids: string[]): Promise<Map<string, UserRecord>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select()
        .from(users)
        .where(inArray(users.id, [...new Set(ids)]));
      return new Map(rows.map((row) => [row.id, row]));
    },
    async create(input: NewUser, tx: Db = db): Promise<UserRecord> {
      const now = clock.now();
      const [row] = await tx
        .insert(users)
        .values({
          email: normalizeEmail(input.email),
          name: input.name,
          passwordHash: input.passwordHash,
          accountType: input.accountType,
          emailVerifiedAt: input.verified ? now : null,
          instanceAdmin: input.instanceAdmin ?? false,
          isDemo: input.isDemo ?? false,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("user insert returned no row");
      return row;
    },
    async update(
      id: string,
      patch: Partial<Omit<UserRecord, "id" | "createdAt">>,
      tx: Db = db,
    ): Promise<UserRecord> {
      const [row] = await tx
        .update(users)
        .set({ ...patch, updatedAt: clock.now() })
        .where(eq(users.id, id))
        .returning();
      if (!row) throw new Error(`user ${id} vanished`);
      return row;
    },
    /** Counts one failed password atomically; returns the new count. */
    async addFailedLogin(id: string): Promise<number> {
      const [row] = await db
        .update(users)
        .set({ failedLogins: sql`${users.failedLogins} + 1` })
        .where(eq(users.id, id))
        .returning({ failedLogins: users.failedLogins });
      return row?.failedLogins ?? 0;
    },
    async count(tx: Db = db): Promise<number> {
      const [row] = await tx.select({ value: count() }).from(users);
      return Number(row?.value ?? 0);
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
