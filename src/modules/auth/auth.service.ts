import { hash, verify } from "@node-rs/argon2";
import type { Clock } from "../../platform/clock.js";
import { type Db, inTransaction } from "../../platform/db/index.js";
import { AppError, Conflict, Forbidden, Locked, RateLimited, Unauthorized } from "../../platform/errors.js";
import type { Logger } from "../../platform/log.js";
import type { Mailer } from "../../platform/mail/index.js";
import type { Actor, AuditLog, RequestMeta } from "../audit/index.js";
import type { Membership, WorkspacesService } from "../workspaces/index.js";
import * as emails from "./auth.emails.js";
import type { AccountType, CodePurpose } from "./auth.tables.js";
import { type Codes, codeRules } from "./codes.js";
import { type Devices, deviceName } from "./devices.js";
import type { IssuedTokens, Sessions } from "./sessions.js";
import {
  maskEmail,
  normalizeEmail,
  type PublicUser,
  publicUser,
  type UserRecord,
  type UserStore,
} from "./users.store.js";

export const loginRules = { maxFailures: 5, lockMs: 15 * 60_000 };

/** What a successful sign-in hands back, to programs in the body and to the web app as cookies too. */
export interface SignedIn extends IssuedTokens {
  user: PublicUser;
  workspaces: Membership[];
  /** Set when the browser chose to be trusted: the device cookie's value. */
  deviceCookie?: string;
}

export type LoginOutcome =
  | { codeRequired: true; message: string; maskedEmail: string }
  | ({ codeRequired: false } & SignedIn);

// A real argon2id hash of a random password: unknown e-mails cost as much time as known ones.
const timingDecoy = hash(crypto.randomUUID());

export function userActor(user: Pick<UserRecord, "id" | "email">): Actor {
  return { type: "user", id: user.id, label: user.email };
}

export interface AuthServiceDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  mail: Mailer;
  audit: AuditLog;
  users: UserStore;
  codes: Codes;
  sessions: Sessions;
  devices: Devices;
  workspaces: WorkspacesService;
  appUrl: string;
  signupEnabled: boolean;
}

export function createAuthService(deps: AuthServiceDeps) {
  const { db, clock, log, mail, audit, users, codes, sessions, devices, workspaces, appUrl } = deps;
  const minutes = (ms: number) => Math.round(ms / 60_000);
  const sent = (email: string, what: string) => ({
    message: `${what} ${maskEmail(email)}. It expires in ${minutes(codeRules.lifetimeMs)} minutes.`,
    maskedEmail: maskEmail(email),
  });

  async function signIn(user: UserRecord, meta: RequestMeta, deviceId?: string): Promise<SignedIn> {
    const tokens = await sessions.start(user.id, meta, deviceId);
    return { ...tokens, user: publicUser(user), workspaces: await workspaces.membershipsOf(user.id) };
  }

  async function sendCode(user: UserRecord, purpose: CodePurpose, meta: RequestMeta): Promise<void> {
    const { code } = await codes.issue(user.id, purpose);
    const lifetime = minutes(codeRules.lifetimeMs);
    const message =
      purpose === "registration"
        ? emails.verificationEmail({ name: user.name, code, minutes: lifetime })
        : purpose === "login"
          ? emails.loginCodeEmail({
              name: user.name,
              code,
              minutes: lifetime,
              device: deviceName(meta.userAgent),
              ip: meta.ip,
            })
          : emails.passwordResetEmail({ name: user.name, code, minutes: lifetime });
    await mail.send({ to: user.email, ...message });
  }

  /** Seconds until another code of this purpose may be sent, or 0. */
  async function cooldown(userId: string, purpose: CodePurpose): Promise<number> {
    const last = await codes.lastIssuedAt(userId, purpose);
    if (!last) return 0;
    const left = last.getTime() + codeRules.resendCooldownMs - clock.now().getTime();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  async function assertCanSignIn(user: UserRecord): Promise<void> {
    if (user.lockedUntil && user.lockedUntil > clock.now()) {
      const seconds = Math.ceil((user.lockedUntil.getTime() - clock.now().getTime()) / 1000);
      throw new Locked(
        `Too many failed sign-ins: the account is locked for ${Math.ceil(seconds / 60)} more minutes`,
        seconds,
        "account_locked",
      );
    }
    if (!user.emailVerifiedAt) {
      throw new Forbidden(
        "Confirm your e-mail address first: enter the code we sent you",
        "email_not_verified",
      );
    }
    if (!user.active) throw new Forbidden("This account is deactivated", "account_disabled");
  }

  async function hashPassword(password: string): Promise<string> {
    return hash(password);
  }

  return {
    signIn,
    signupEnabled: deps.signupEnabled,
    hashPassword,
    memberships: (userId: string) => workspaces.membershipsOf(userId),

    async register(
      input: { email: string; password: string; name: string; accountType: AccountType },
      meta: RequestMeta,
    ): Promise<{ message: string; email: string }> {
      if (!deps.signupEnabled) {
        throw new Forbidden(
          "Sign-up is closed on this server: ask a workspace admin for an invitation",
          "signup_disabled",
        );
      }
      const email = normalizeEmail(input.email);
      const answer = {
        message: `We sent a 6-digit code to ${maskEmail(email)}. Enter it to confirm your address; it expires in ${minutes(codeRules.lifetimeMs)} minutes.`,
        email: maskEmail(email),
      };
      const existing = await users.byEmail(email);
      if (existing) {
        // The same answer as a new sign-up, so the form cannot tell who has an account.
        if (existing.emailVerifiedAt) {
          await mail.send({
            to: existing.email,
            ...emails.duplicateRegistrationEmail({
              name: existing.name,
              loginUrl: `${appUrl}/login`,
              resetUrl: `${appUrl}/forgot-password`,
            }),
          });
          await audit.record({
            action: "auth.register_duplicate",
            actor: { type: "system", label: email },
            target: { type: "user", id: existing.id, label: existing.email },
            meta,
          });
        } else if ((await cooldown(existing.id, "registration")) === 0) {
          await sendCode(existing, "registration", meta);
        }
        return answer;
      }
      const passwordHash = await hashPassword(input.password);
      const user = await inTransaction(db, async (tx) => {
        const created = await users.create(
          { email, name: input.name, passwordHash, accountType: input.accountType },
          tx,
        );
        const workspace = await workspaces.create(
          { name: `${input.name}'s workspace`, ownerId: created.id, actor: userActor(created), meta },
          tx,
        );
        await users.update(created.id, { lastWorkspaceId: workspace.id }, tx);
        await audit.record(
          {
            action: "auth.register",
            actor: userActor(created),
            target: { type: "user", id: created.id, label: created.email },
            meta,
            metadata: { accountType: input.accountType },
          },
          tx,
        );
        return created;
      }).catch(async (error: unknown) => {
        // Two sign-ups with one address at once: the loser answers like a duplicate.
        if (await users.byEmail(email)) return undefined;
        throw error;
      });
      if (user) await sendCode(user, "registration", meta);
      return answer;
    },

    async verifyRegistration(input: { email: string; code: string }, meta: RequestMeta): Promise<SignedIn> {
      const user = await users.byEmail(input.email);
      if (!user) throw new AppError(400, "invalid_code", "This code is not valid: request a new one");
      if (user.emailVerifiedAt) {
        throw new Conflict("This e-mail address is already confirmed: sign in", { code: "already_verified" });
      }
      await codes.verify(user.id, "registration", input.code);
      const verified = await users.update(user.id, { emailVerifiedAt: clock.now() });
      await audit.record({ action: "auth.email_verified", actor: userActor(verified), meta });
      const memberships = await workspaces.membershipsOf(verified.id);
      await mail.send({
        to: verified.email,
        idempotencyKey: `welcome:${verified.id}`,
        ...emails.welcomeEmail({
          name: verified.name,
          workspaceName: memberships[0]?.name ?? "your workspace",
          appUrl,
        }),
      });
      await audit.record({
        action: "auth.login",
        actor: userActor(verified),
        meta,
        metadata: { method: "registration" },
      });
      return signIn(verified, meta);
    },

    /** Checks the password; then signs in at once (trusted device, demo) or e-mails a code. */
    async login(
      input: { email: string; password: string },
      meta: RequestMeta,
      deviceCookie: string | undefined,
    ): Promise<LoginOutcome> {
      const user = await users.byEmail(input.email);
      const invalid = () => new Unauthorized("Wrong e-mail address or password", "invalid_credentials");
      if (!user) {
        await verify(await timingDecoy, input.password).catch(() => false);
        throw invalid();
      }
      if (user.lockedUntil && user.lockedUntil > clock.now()) await assertCanSignIn(user);
      const ok = await verify(user.passwordHash, input.password).catch(() => false);
      if (!ok) {
        const failures = await users.addFailedLogin(user.id);
        await audit.record({
          action: "auth.login_failed",
          actor: { type: "system", label: user.email },
          target: { type: "user", id: user.id, label: user.email },
          meta,
          metadata: { consecutiveFailures: failures },
        });
        if (failures >= loginRules.maxFailures) {
          const until = new Date(clock.now().getTime() + loginRules.lockMs);
          await users.update(user.id, { lockedUntil: until, failedLogins: 0 });
          await audit.record({
            action: "auth.locked",
            actor: { type: "system", label: "sightline" },
            target: { type: "user", id: user.id, label: user.email },
            meta,
          });
          await mail
            .send({
              to: user.email,
              ...emails.lockoutEmail({
                name: user.name,
                minutes: minutes(loginRules.lockMs),
                resetUrl: `${appUrl}/forgot-password`,
                ip: meta.ip,
              }),
            })
            .catch((error: unknown) => log.warn({ err: error, userId: user.id }, "lockout e-mail failed"));
          throw new Locked(
            `Too many failed sign-ins: the account is locked for ${minutes(loginRules.lockMs)} minutes`,
            Math.ceil(loginRules.lockMs / 1000),
            "account_locked",
          );
        }
        throw invalid();
      }
      if (user.failedLogins > 0 || user.lockedUntil)
        await users.update(user.id, { failedLogins: 0, lockedUntil: null });
      await assertCanSignIn(user);
      const trusted =
        user.accountType === "personal" ? await devices.recognise(user.id, deviceCookie, meta) : undefined;
      if (user.isDemo || trusted) {
        await audit.record({
          action: "auth.login",
          actor: userActor(user),
          meta,
          metadata: {
            method: user.isDemo ? "demo" : "trusted_device",
            ...(trusted ? { deviceId: trusted.id } : {}),
          },
        });
        return { codeRequired: false, ...(await signIn(user, meta, trusted?.id)) };
      }
      await sendCode(user, "login", meta);
      return { codeRequired: true, ...sent(user.email, "We sent a sign-in code to") };
    },

    async verifyLogin(
      input: { email: string; code: string; trustDevice?: boolean | undefined },
      meta: RequestMeta,
    ): Promise<SignedIn> {
      const user = await users.byEmail(input.email);
      if (!user) throw new AppError(400, "invalid_code", "This code is not valid: request a new one");
      await codes.verify(user.id, "login", input.code);
      await assertCanSignIn(user);
      let deviceCookie: string | undefined;
      let deviceId: string | undefined;
      // Business accounts confirm every sign-in by code: trusting their browser would change nothing.
      if (input.trustDevice && user.accountType === "personal") {
        const trusted = await devices.trust(user.id, meta);
        deviceCookie = trusted.cookie;
        deviceId = trusted.device.id;
        await audit.record({
          action: "device.trusted",
          actor: userActor(user),
          target: { type: "device", id: trusted.device.id, label: trusted.device.name },
          meta,
        });
      }
      await audit.record({
        action: "auth.login",
        actor: userActor(user),
        meta,
        metadata: { method: "code" },
      });
      return { ...(await signIn(user, meta, deviceId)), ...(deviceCookie ? { deviceCookie } : {}) };
    },

    /** Sends a fresh code when one is due: never within 60 s of the last, never unasked-for. */
    async resend(input: { email: string; purpose: CodePurpose }, meta: RequestMeta) {
      const user = await users.byEmail(input.email);
      const answer = sent(input.email.trim().toLowerCase(), "If a code was pending, we sent a new one to");
      if (!user) return answer;
      const wait = await cooldown(user.id, input.purpose);
      if (wait > 0) {
        throw new RateLimited(`Wait ${wait} s before asking for another code`, wait, "resend_cooldown");
      }
      const locked = await codes.lockedUntil(user.id, input.purpose);
      if (locked) throw codes.lockedError(locked);
      const due =
        input.purpose === "registration"
          ? !user.emailVerifiedAt
          : // A login code is only ever sent after the password was checked: resend replaces a pending one.
            (await codes.pending(user.id, input.purpose)) !== undefined;
      if (due) await sendCode(user, input.purpose, meta);
      return answer;
    },

    async requestPasswordReset(input: { email: string }, meta: RequestMeta) {
      const email = normalizeEmail(input.email);
      const user = await users.byEmail(email);
      if (user?.active && (await cooldown(user.id, "password_reset")) === 0) {
        await sendCode(user, "password_reset", meta);
        await audit.record({
          action: "auth.password_reset_requested",
          actor: { type: "system", label: email },
          target: { type: "user", id: user.id, label: email },
          meta,
        });
      }
      return sent(email, "If an account uses this address, we sent a reset code to");
    },

    /** Sets the new password and signs the user out everywhere. */
    async confirmPasswordReset(input: { email: string; code: string; password: string }, meta: RequestMeta) {
      const user = await users.byEmail(input.email);
      if (!user) throw new AppError(400, "invalid_code", "This code is not valid: request a new one");
      await codes.verify(user.id, "password_reset", input.code);
      const passwordHash = await hashPassword(input.password);
      await inTransaction(db, async (tx) => {
        await users.update(
          user.id,
          {
            passwordHash,
            failedLogins: 0,
            lockedUntil: null,
            // The code proved the address works.
            emailVerifiedAt: user.emailVerifiedAt ?? clock.now(),
          },
          tx,
        );
        await sessions.revokeAllOf(user.id, "password_reset", tx);
        await devices.revokeAllOf(user.id, tx);
        await audit.record({ action: "auth.password_reset", actor: userActor(user), meta }, tx);
      });
      await mail.send({
        to: user.email,
        ...emails.passwordChangedEmail({ name: user.name, loginUrl: `${appUrl}/login` }),
      });
      return {
        message: "Your password is changed and every session was signed out. Sign in with the new password.",
      };
    },

    async refresh(refreshToken: string, meta: RequestMeta): Promise<SignedIn> {
      let rotated: Awaited<ReturnType<Sessions["rotate"]>>;
      try {
        rotated = await sessions.rotate(refreshToken);
      } catch (error) {
        const reused = (error as { reusedSession?: { sessionId: string; userId: string } }).reusedSession;
        if (reused) {
          log.warn(
            { userId: reused.userId, sessionId: reused.sessionId },
            "refresh token reused: session revoked",
          );
          // Targets the user, so the admins of their workspaces see it.
          await audit.record({
            action: "auth.refresh_reuse",
            actor: { type: "system", label: "sightline" },
            target: { type: "user", id: reused.userId },
            meta,
            metadata: { sessionId: reused.sessionId },
          });
        }
        throw error;
      }
      const user = await users.byId(rotated.userId);
      if (!user?.active) {
        await sessions.revoke(rotated.sessionId, "account_disabled");
        throw new Unauthorized("This account can no longer sign in", "invalid_refresh_token");
      }
      return { ...rotated, user: publicUser(user), workspaces: await workspaces.membershipsOf(user.id) };
    },

    async logout(
      input: { refreshToken?: string | undefined; sessionId?: string | undefined },
      meta: RequestMeta,
    ) {
      const session = input.refreshToken
        ? await sessions.sessionOfRefresh(input.refreshToken)
        : input.sessionId
          ? await sessions.get(input.sessionId)
          : undefined;
      if (!session || session.revokedAt) return;
      await sessions.revoke(session.id, "logout");
      const user = await users.byId(session.userId);
      if (user) await audit.record({ action: "auth.logout", actor: userActor(user), meta });
    },

    async revokeDevice(user: UserRecord, id: string, meta: RequestMeta) {
      const device = await devices.revoke(user.id, id);
      await audit.record({
        action: "device.revoked",
        actor: userActor(user),
        target: { type: "device", id, label: device.name },
        meta,
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
