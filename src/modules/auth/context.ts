import type { FastifyRequest } from "fastify";
import { Forbidden, Unauthorized } from "../../platform/errors.js";
import type { Actor, RequestMeta } from "../audit/index.js";
import type { Permission, Role } from "../workspaces/permissions.js";
import type { UserRecord } from "./users.store.js";

/**
 * Who a route admits. `workspace` (the default for every route): a signed-in member of the
 * request's workspace; `user`: anyone signed in; `public`: anyone.
 */
export type AccessLevel = "public" | "user" | "workspace";

/** The signed-in caller: a person with a session, or an API key acting for its workspace. */
export interface Principal {
  user: UserRecord;
  via: "session" | "api_key";
  sessionId?: string;
  apiKey?: { id: string; name: string; workspaceId: string; role: Role };
  actor: Actor;
}

/** Carried by every workspace-scoped service call; every query filters by `workspaceId`. */
export interface RequestContext {
  workspaceId: string;
  userId: string;
  role: Role;
  actor: Actor;
  meta: RequestMeta;
}

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: AccessLevel;
    /** Checked against the caller's role in the request's workspace; 403 when missing. */
    permission?: Permission;
    /** Operator pages (outbox, jobs): instance admins only; everyone else gets a 404. */
    operator?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
    ctx?: RequestContext;
  }
}

export function metaOf(request: FastifyRequest): RequestMeta {
  const agent = request.headers["user-agent"];
  return { ip: request.ip ?? null, userAgent: typeof agent === "string" ? agent.slice(0, 512) : null };
}

/** The caller of a route with access `user` or `workspace`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Unauthorized();
  return request.principal;
}

/** The caller of a route about a person's own account (devices, invitations): never an API key. */
export function personOf(request: FastifyRequest): Principal {
  const who = principalOf(request);
  if (who.via === "api_key") {
    throw new Forbidden("API keys act for a workspace, not for a person: sign in to do this");
  }
  return who;
}

/** The workspace context of a route with access `workspace`. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.ctx) throw new Unauthorized();
  return request.ctx;
}
