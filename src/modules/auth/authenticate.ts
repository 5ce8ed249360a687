import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { randomToken, safeEqual } from "../../platform/crypto.js";
import { Forbidden, NotFound, Unauthorized } from "../../platform/errors.js";
import type { EventAccess } from "../../platform/events/ws.routes.js";
import { type ApiKeysService, assertCan, isApiKey, type WorkspacesService } from "../workspaces/index.js";
import { userActor } from "./auth.service.js";
import { metaOf, type Principal, type RequestContext } from "./context.js";
import type { Sessions } from "./sessions.js";
import { tokenLifetimes } from "./sessions.js";
import type { UserStore } from "./users.store.js";

export const cookieNames = {
  access: "sl_access",
  refresh: "sl_refresh",
  csrf: "sl_csrf",
  device: "sl_device",
};

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const uuid = z.uuid();

/** The web app asks for cookies with this header; programs get tokens in the body only. */
export function wantsCookies(request: FastifyRequest): boolean {
  return request.headers["x-sightline-client"] === "web";
}

/**
 * Double-submit CSRF check: a request authenticated by cookie must echo the readable `sl_csrf`
 * cookie in `x-csrf-token`. Another site can make the browser send the cookies, not read them.
 */
export function assertCsrf(request: FastifyRequest): void {
  if (!unsafeMethods.has(request.method)) return;
  const cookie = request.cookies[cookieNames.csrf];
  const header = request.headers["x-csrf-token"];
  if (!cookie || typeof header !== "string" || !safeEqual(cookie, header)) {
    throw new Forbidden("Missing or wrong CSRF token: reload the page and try again", "csrf_failed");
  }
}

export function createAuthenticator(deps: {
  sessions: Sessions;
  users: UserStore;
  workspaces: WorkspacesService;
  apiKeys: ApiKeysService;
  secureCookies: boolean;
  allowedOrigins: string[];
}) {
  const { sessions, users, workspaces, apiKeys } = deps;

  async function apiKeyPrincipal(secret: string): Promise<Principal> {
    const found = isApiKey(secret) ? await apiKeys.authenticate(secret) : undefined;
    if (!found) throw new Unauthorized("The API key is not valid, expired or revoked", "invalid_api_key");
    const user = await users.byId(found.key.createdBy);
    if (!user?.active)
      throw new Unauthorized("The API key's creator can no longer sign in", "invalid_api_key");
    return {
      user,
      via: "api_key",
      apiKey: {
        id: found.key.id,
        name: found.key.name,
        workspaceId: found.key.workspaceId,
        role: found.role,
      },
      actor: { type: "api_key", id: found.key.id, label: `${found.key.name} (sl_${found.key.prefix})` },
    };
  }

  async function sessionPrincipal(token: string): Promise<Principal> {
    const { userId, sessionId } = await sessions.verifyAccess(token);
    const session = await sessions.get(sessionId);
    if (!session || session.revokedAt || session.userId !== userId) {
      throw new Unauthorized("This session has ended: sign in again", "session_revoked");
    }
    const user = await users.byId(userId);
    if (!user?.active) throw new Unauthorized("This account can no longer sign in", "account_disabled");
    return { user, via: "session", sessionId, actor: userActor(user) };
  }

  /** Who sent the request, from `x-api-key`, `Authorization: Bearer`, or the web app's cookie. */
  async function principal(request: FastifyRequest): Promise<Principal | undefined> {
    const keyHeader = request.headers["x-api-key"];
    if (typeof keyHeader === "string" && keyHeader) return apiKeyPrincipal(keyHeader.trim());
    const authorization = request.headers.authorization;
    if (authorization) {
      const [scheme, token] = authorization.split(" ");
      if (scheme?.toLowerCase() !== "bearer" || !token) {
        throw new Unauthorized("Send `Authorization: Bearer <token>`", "invalid_token");
      }
      return isApiKey(token) ? apiKeyPrincipal(token) : sessionPrincipal(token);
    }
    const cookie = request.cookies[cookieNames.access];
    if (cookie) {
      assertCsrf(request);
      return sessionPrincipal(cookie);
    }
    return undefined;
  }

  async function context(request: FastifyRequest, who: Principal): Promise<RequestContext> {
    const header = request.headers["x-workspace-id"];
    const requested = typeof header === "string" && header ? header : undefined;
    const base = { userId: who.user.id, actor: who.actor, meta: metaOf(request) };
    if (who.apiKey) {
      if (requested && requested !== who.apiKey.workspaceId)
        throw new NotFound("Workspace", { id: requested });
      return { ...base, workspaceId: who.apiKey.workspaceId, role: who.apiKey.role };
    }
    if (requested && !uuid.safeParse(requested).success) throw new NotFound("Workspace", { id: requested });
    const preferred = requested ?? who.user.lastWorkspaceId ?? undefined;
    let workspaceId = preferred;
    let role = preferred ? await workspaces.membership(preferred, who.user.id) : undefined;
    if (!role) {
      if (requested) throw new NotFound("Workspace", { id: requested });
      const first = (await workspaces.membershipsOf(who.user.id))[0];
      if (!first) {
        throw new NotFound("Workspace", {
          code: "no_workspace",
          detail: "You belong to no workspace: create one or accept an invitation",
        });
      }
      workspaceId = first.id;
      role = first.role;
    }
    if (!workspaceId) throw new NotFound("Workspace");
    if (workspaceId !== who.user.lastWorkspaceId) {
      await users.update(who.user.id, { lastWorkspaceId: workspaceId });
    }
    return { ...base, workspaceId, role };
  }

  /** What `who` may receive now; `refresh` re-checks the same caller later. */
  async function eventAccess(who: Principal): Promise<EventAccess> {
    const refresh = async (): Promise<EventAccess> => {
      if (who.apiKey) {
        const live = await apiKeys.stillValid(who.apiKey.id);
        if (!live) throw new Unauthorized("The API key was revoked", "invalid_api_key");
        return eventAccess(who);
      }
      const session = who.sessionId ? await sessions.get(who.sessionId) : undefined;
      const user = await users.byId(who.user.id);
      if (!session || session.revokedAt || !user?.active) {
        throw new Unauthorized("This session has ended: sign in again", "session_revoked");
      }
      return eventAccess({ ...who, user });
    };
    if (who.apiKey) return { workspaceIds: new Set([who.apiKey.workspaceId]), operator: false, refresh };
    const memberships = await workspaces.membershipsOf(who.user.id);
    return {
      workspaceIds: new Set(memberships.map((membership) => membership.id)),
      operator: who.user.instanceAdmin,
      refresh,
    };
  }

  return {
    principal,
    context,

    /** The onRequest hook of every `/api/v1` route: authenticates, resolves the workspace, checks the role. */
    async hook(request: FastifyRequest): Promise<void> {
      if (request.routeOptions.url === undefined) return;
      const config = request.routeOptions.config;
      const access = config.auth ?? "workspace";
      if (access === "public") return;
      const who = await principal(request);
      if (!who) throw new Unauthorized("Sign in, or send an access token or API key", "unauthorized");
      request.principal = who;
      if (config.operator && (who.via !== "session" || !who.user.instanceAdmin)) {
        // Operator pages do not exist for anyone else.
        throw new NotFound("Page");
      }
      if (access === "workspace") {
        request.ctx = await context(request, who);
        if (config.permission) assertCan(request.ctx.role, config.permission);
      }
    },

    /** Which live events a WebSocket client may receive. */
    async authorizeEvents(request: FastifyRequest): Promise<EventAccess> {
      const origin = request.headers.origin;
      if (origin && request.cookies[cookieNames.access]) {
        const host = request.headers.host;
        const sameOrigin = (() => {
          try {
            return new URL(origin).host === host;
          } catch {
            return false;
          }
        })();
        if (!sameOrigin && !deps.allowedOrigins.includes(origin)) {
          throw new Forbidden("WebSocket connections from other sites are refused", "origin_refused");
        }
      }
      const who = await principal(request);
      if (!who) throw new Unauthorized("Sign in, or send an access token or API key", "unauthorized");
      return eventAccess(who);
    },

    setSessionCookies(reply: FastifyReply, tokens: { accessToken: string; refreshToken: string }): void {
      const common = { httpOnly: true, secure: deps.secureCookies } as const;
      reply.setCookie(cookieNames.access, tokens.accessToken, {
        ...common,
        sameSite: "lax",
        path: "/api",
        maxAge: tokenLifetimes.accessSeconds,
      });
      reply.setCookie(cookieNames.refresh, tokens.refreshToken, {
        ...common,
        sameSite: "strict",
        path: "/api/v1/auth",
        maxAge: tokenLifetimes.refreshMs / 1000,
      });
      reply.setCookie(cookieNames.csrf, randomToken(24), {
        httpOnly: false,
        secure: deps.secureCookies,
        sameSite: "strict",
        path: "/",
        maxAge: tokenLifetimes.refreshMs / 1000,
      });
    },

    clearSessionCookies(reply: FastifyReply): void {
      reply.clearCookie(cookieNames.access, { path: "/api" });
      reply.clearCookie(cookieNames.refresh, { path: "/api/v1/auth" });
      reply.clearCookie(cookieNames.csrf, { path: "/" });
    },

    setDeviceCookie(reply: FastifyReply, value: string, maxAgeSeconds: number): void {
      reply.setCookie(cookieNames.device, value, {
        httpOnly: true,
        secure: deps.secureCookies,
        sameSite: "lax",
        path: "/api/v1/auth",
        signed: true,
        maxAge: maxAgeSeconds,
      });
    },

    /** The device cookie's value, if its signature holds. */
    deviceCookie(request: FastifyRequest): string | undefined {
      const raw = request.cookies[cookieNames.device];
      if (!raw) return undefined;
      const unsigned = request.unsignCookie(raw);
      return unsigned.valid && unsigned.value ? unsigned.value : undefined;
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
