import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export type AccountType = "personal" | "business";
export type CodePurpose = "registration" | "login" | "password_reset";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A person who signs in. E-mail is stored lower-cased and is unique. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    accountType: text("account_type").$type<AccountType>().notNull(),
    emailVerifiedAt: ts("email_verified_at"),
    active: boolean("active").notNull().default(true),
    /** Operates the server: reads the outbox, jobs and schedules of every workspace. */
    instanceAdmin: boolean("instance_admin").notNull().default(false),
    /** The demo account printed by `sightline serve --demo`: signs in without an e-mail code. */
    isDemo: boolean("is_demo").notNull().default(false),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: ts("locked_until"),
    lastWorkspaceId: uuid("last_workspace_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_email_idx").on(table.email)],
);

/**
 * One-time e-mail codes. Only an HMAC of the code is stored; three wrong tries invalidate it and
 * set `lockedUntil`, which blocks verification of that purpose for the user until it passes.
 */
export const otpCodes = pgTable(
  "otp_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    purpose: text("purpose").$type<CodePurpose>().notNull(),
    codeHash: text("code_hash").notNull(),
    expiresAt: ts("expires_at").notNull(),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    consumedAt: ts("consumed_at"),
    invalidatedAt: ts("invalidated_at"),
    lockedUntil: ts("locked_until"),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [index("otp_codes_user_purpose_idx").on(table.userId, table.purpose, table.createdAt)],
);

/** A sign-in: the family of rotating refresh tokens issued from one code or password check. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    deviceId: uuid("device_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: ts("created_at").notNull(),
    lastUsedAt: ts("last_used_at").notNull(),
    revokedAt: ts("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

/** Refresh tokens, stored as SHA-256; a token is used once, and its reuse revokes the session. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("refresh_tokens_hash_idx").on(table.tokenHash),
    index("refresh_tokens_session_idx").on(table.sessionId),
  ],
);

/** Browsers a user chose to trust: sign-in from them skips the e-mail code for 30 days. */
export const trustedDevices = pgTable(
  "trusted_devices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    name: text("name").notNull(),
    userAgent: text("user_agent"),
    ip: text("ip"),
    createdAt: ts("created_at").notNull(),
    lastSeenAt: ts("last_seen_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (table) => [
    index("trusted_devices_user_idx").on(table.userId, table.createdAt),
    index("trusted_devices_active_idx").on(table.userId).where(sql`revoked_at is null`),
  ],
);
