import { publicUrl } from "../../config.js";
import { deriveKey } from "../../platform/crypto.js";
import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import { createAuditLog, registerAuditRoutes } from "../audit/index.js";
import { registerApiKeysRoutes } from "../workspaces/api-keys.routes.js";
import type { Role } from "../workspaces/index.js";
import {
  createApiKeysService,
  createInvitationsService,
  createWorkspacesService,
} from "../workspaces/index.js";
import { registerWorkspacesRoutes } from "../workspaces/workspaces.routes.js";
import { registerAuthRoutes } from "./auth.routes.js";
import { createAuthService, userActor } from "./auth.service.js";
import { createAuthenticator } from "./authenticate.js";
import { createCodes } from "./codes.js";
import { createDevices } from "./devices.js";
import { createFirstRun, demoAccount } from "./first-run.js";
import { createAuthLimits } from "./rate-limits.js";
import { createSessions } from "./sessions.js";
import { registerSetupRoutes } from "./setup.routes.js";
import { createUserStore } from "./users.store.js";

export {
  type AccessLevel,
  contextOf,
  metaOf,
  type Principal,
  principalOf,
  type RequestContext,
} from "./context.js";
export { demoAccount };

/**
 * Identity and tenancy: accounts and sessions (auth), workspaces, members, invitations and API
 * keys (workspaces), and the audit log. They are built together because each needs the others:
 * every request is authenticated against sessions and API keys and resolved to a workspace
 * membership before any route runs.
 */
/** Who is in a workspace, for modules that write to people (alerts, subscriptions). */
export interface MemberDirectory {
  /** The members' ids, e-mail addresses and roles. */
  members(workspaceId: string): Promise<{ userId: string; email: string; name: string; role: Role }[]>;
  roleOf(workspaceId: string, userId: string): Promise<Role | undefined>;
}

export function createIdentityModules(platform: Platform): Module[] & { directory: MemberDirectory } {
  const { config, clock, mail, log } = platform;
  const db = platform.database.db;
  const appUrl = publicUrl(config);
  const audit = createAuditLog({ db, clock });
  const users = createUserStore({ db, clock });
  const workspaces = createWorkspacesService({ db, clock, audit, users, events: platform.events });
  const apiKeys = createApiKeysService({
    db,
    clock,
    audit,
    roleOf: (workspaceId, userId) => workspaces.membership(workspaceId, userId),
  });
  const invitations = createInvitationsService({ db, clock, audit, mail, users, workspaces, appUrl });
  const codes = createCodes({ db, clock, key: deriveKey(platform.secretKey, "one-time-codes") });
  const sessions = createSessions({ db, clock, key: deriveKey(platform.secretKey, "access-tokens") });
  const devices = createDevices({ db, clock });
  const auth = createAuthService({
    db,
    clock,
    log,
    mail,
    audit,
    users,
    codes,
    sessions,
    devices,
    workspaces,
    appUrl,
    signupEnabled: config.SIGNUP_ENABLED,
  });
  const firstRun = createFirstRun({ db, log, audit, users, devices, workspaces, auth });
  const limits = createAuthLimits({
    perIp: config.AUTH_RATE_LIMIT_IP,
    perAccount: config.AUTH_RATE_LIMIT_ACCOUNT,
    windowMs: config.AUTH_RATE_LIMIT_WINDOW_MS,
    ...(platform.redis ? { redis: platform.redis } : {}),
  });
  const authenticator = createAuthenticator({
    sessions,
    users,
    workspaces,
    apiKeys,
    secureCookies: appUrl.startsWith("https:"),
    allowedOrigins: config.CORS_ORIGINS.split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  });
  const names = async (ids: string[]) =>
    new Map([...(await users.byIds(ids)).values()].map((user) => [user.id, user.name]));

  const directory: MemberDirectory = {
    async members(workspaceId) {
      const ids = await workspaces.memberIds(workspaceId);
      const people = await users.byIds(ids);
      const found = await Promise.all(
        ids.map(async (userId) => {
          const user = people.get(userId);
          const role = await workspaces.membership(workspaceId, userId);
          return user && role ? [{ userId, email: user.email, name: user.name, role }] : [];
        }),
      );
      return found.flat();
    },
    roleOf: (workspaceId, userId) => workspaces.membership(workspaceId, userId),
  };
  const modules: Module[] = [
    {
      name: "auth",
      routes(api) {
        // First of all modules: every route registered after this one is authenticated.
        api.addHook("onRequest", authenticator.hook);
        // The OpenAPI document says which routes need credentials, from the same config.
        api.addHook("onRoute", (route) => {
          if ((route.config?.auth ?? "workspace") === "public" || !route.schema || route.schema.hide) return;
          route.schema = { ...route.schema, security: [{ bearer: [] }, { apiKey: [] }] };
        });
        registerSetupRoutes(api, {
          firstRun,
          authenticator,
          limits,
          signupEnabled: config.SIGNUP_ENABLED,
          demoEnabled: config.DEMO,
        });
        registerAuthRoutes(api, { auth, authenticator, limits, devices });
      },
      async start() {
        if (config.DEMO) await firstRun.ensureDemo();
      },
      authorizeEvents: authenticator.authorizeEvents,
    },
    {
      name: "workspaces",
      routes(api) {
        registerWorkspacesRoutes(api, {
          workspaces,
          invitations,
          inviterNames: names,
          async create(userId, name, meta) {
            const user = await users.byId(userId);
            if (!user) throw new Error(`user ${userId} vanished`);
            const workspace = await workspaces.create({
              name,
              ownerId: userId,
              actor: userActor(user),
              meta,
            });
            return workspaces.get(userId, workspace.id);
          },
        });
        registerApiKeysRoutes(api, { apiKeys, userNames: names });
      },
    },
    {
      name: "audit",
      routes(api) {
        registerAuditRoutes(api, { audit, memberIds: (workspaceId) => workspaces.memberIds(workspaceId) });
      },
    },
  ];
  return Object.assign(modules, { directory });
}
