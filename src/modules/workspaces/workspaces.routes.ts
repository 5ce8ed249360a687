import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { NotFound } from "../../platform/errors.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf, metaOf, personOf, principalOf } from "../auth/context.js";
import { maskEmail } from "../auth/users.store.js";
import type { InvitationRecord, InvitationsService } from "./invitations.service.js";
import { roles } from "./permissions.js";
import type { Member, Membership, WorkspacesService } from "./workspaces.service.js";

const role = z.enum(roles);
const workspaceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: role.describe("Your role in it."),
    isDemo: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Workspace" });
const memberSchema = z
  .object({ userId: z.uuid(), email: z.string(), name: z.string(), role, joinedAt: z.iso.datetime() })
  .meta({ id: "Member" });
const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role,
    invitedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Invitation" });
const idParams = z.object({ id: z.string().describe("Object id.") });
const userParams = z.object({ userId: z.string().describe("User id of the member.") });
const workspaceName = z.string().trim().min(1).max(100).describe("Workspace name.");
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const workspaceOut = (row: Membership) => ({ ...row, createdAt: row.createdAt.toISOString() });
const memberOut = (row: Member) => ({ ...row, joinedAt: row.joinedAt.toISOString() });

export function registerWorkspacesRoutes(
  app: FastifyInstance,
  deps: {
    workspaces: WorkspacesService;
    invitations: InvitationsService;
    create: (userId: string, name: string, meta: ReturnType<typeof metaOf>) => Promise<Membership>;
    inviterNames: (ids: string[]) => Promise<Map<string, string>>;
  },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { workspaces, invitations } = deps;

  async function invitationsOut(rows: InvitationRecord[]) {
    const names = await deps.inviterNames(rows.flatMap((row) => (row.invitedBy ? [row.invitedBy] : [])));
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role,
      invitedBy: row.invitedBy
        ? { id: row.invitedBy, name: names.get(row.invitedBy) ?? "Former member" }
        : null,
      status: invitations.status(row),
      expiresAt: row.expiresAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
    }));
  }

  typed.get(
    "/workspaces",
    {
      config: { auth: "user" },
      schema: {
        operationId: "listWorkspaces",
        summary: "The workspaces you belong to",
        tags: ["workspaces"],
        querystring: pageQuery,
        response: { 200: pageOf(workspaceSchema), ...errors },
      },
    },
    async (request) => {
      const who = principalOf(request);
      const all = await workspaces.membershipsOf(who.user.id);
      const visible = who.apiKey ? all.filter((row) => row.id === who.apiKey?.workspaceId) : all;
      const start = request.query.cursor
        ? Number(Buffer.from(request.query.cursor, "base64url").toString()) || 0
        : 0;
      const items = visible.slice(start, start + request.query.limit);
      const next = start + request.query.limit;
      return {
        items: items.map(workspaceOut),
        nextCursor: next < visible.length ? Buffer.from(String(next)).toString("base64url") : null,
      };
    },
  );

  typed.post(
    "/workspaces",
    {
      config: { auth: "user" },
      schema: {
        operationId: "createWorkspace",
        summary: "Create a workspace; you are its owner",
        tags: ["workspaces"],
        body: z.object({ name: workspaceName }),
        response: { 201: workspaceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const who = personOf(request);
      const created = await deps.create(who.user.id, request.body.name, metaOf(request));
      return reply.status(201).send(workspaceOut(created));
    },
  );

  typed.get(
    "/workspaces/:id",
    {
      config: { auth: "user" },
      schema: {
        operationId: "getWorkspace",
        summary: "One of your workspaces",
        tags: ["workspaces"],
        params: idParams,
        response: { 200: workspaceSchema, ...errors },
      },
    },
    async (request) => {
      const who = principalOf(request);
      if (who.apiKey && who.apiKey.workspaceId !== request.params.id) {
        throw new NotFound("Workspace", { id: request.params.id });
      }
      return workspaceOut(await workspaces.get(who.user.id, request.params.id));
    },
  );

  typed.patch(
    "/workspaces/:id",
    {
      schema: {
        operationId: "updateWorkspace",
        summary: "Rename a workspace (admins)",
        tags: ["workspaces"],
        params: idParams,
        body: z.object({ name: workspaceName }),
        response: { 200: workspaceSchema, ...errors },
      },
    },
    async (request) =>
      workspaceOut(await workspaces.rename(contextOf(request), request.params.id, request.body.name)),
  );

  typed.delete(
    "/workspaces/:id",
    {
      schema: {
        operationId: "deleteWorkspace",
        summary: "Delete a workspace and everything in it (owners)",
        tags: ["workspaces"],
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await workspaces.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    "/members",
    {
      config: { permission: "workspace.read" },
      schema: {
        operationId: "listMembers",
        summary: "Members of the current workspace",
        tags: ["members"],
        querystring: pageQuery,
        response: { 200: pageOf(memberSchema), ...errors },
      },
    },
    async (request) => {
      const page = await workspaces.members(contextOf(request), request.query);
      return { items: page.items.map(memberOut), nextCursor: page.nextCursor };
    },
  );

  typed.patch(
    "/members/:userId",
    {
      config: { permission: "members.manage" },
      schema: {
        operationId: "changeMemberRole",
        summary: "Change a member's role (admins; the owner role only by owners)",
        tags: ["members"],
        params: userParams,
        body: z.object({ role }),
        response: { 200: memberSchema, 409: problemSchema, ...errors },
      },
    },
    async (request) =>
      memberOut(await workspaces.changeRole(contextOf(request), request.params.userId, request.body.role)),
  );

  typed.delete(
    "/members/:userId",
    {
      schema: {
        operationId: "removeMember",
        summary: "Remove a member (admins), or leave the workspace (your own id)",
        tags: ["members"],
        params: userParams,
        response: { 204: z.null(), 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await workspaces.removeMember(contextOf(request), request.params.userId);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    "/invitations",
    {
      config: { permission: "members.manage" },
      schema: {
        operationId: "listInvitations",
        summary: "Invitations of the current workspace, newest first",
        tags: ["members"],
        querystring: pageQuery,
        response: { 200: pageOf(invitationSchema), ...errors },
      },
    },
    async (request) => {
      const page = await invitations.list(contextOf(request), request.query);
      return { items: await invitationsOut(page.items), nextCursor: page.nextCursor };
    },
  );

  typed.post(
    "/invitations",
    {
      config: { permission: "members.manage" },
      schema: {
        operationId: "createInvitation",
        summary: "Invite someone by e-mail (valid 7 days)",
        tags: ["members"],
        body: z.object({ email: z.email({ pattern: z.regexes.html5Email }).max(254), role }),
        response: { 201: invitationSchema, 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const row = await invitations.create(contextOf(request), request.body);
      const [out] = await invitationsOut([row]);
      if (!out) throw new NotFound("Invitation");
      return reply.status(201).send(out);
    },
  );

  typed.delete(
    "/invitations/:id",
    {
      config: { permission: "members.manage" },
      schema: {
        operationId: "revokeInvitation",
        summary: "Revoke a pending invitation",
        tags: ["members"],
        params: idParams,
        response: { 204: z.null(), 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await invitations.revoke(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    "/invitations/:id/resend",
    {
      config: { permission: "members.manage" },
      schema: {
        operationId: "resendInvitation",
        summary: "Send the invitation again with a new link",
        tags: ["members"],
        params: idParams,
        response: { 200: invitationSchema, 409: problemSchema, ...errors },
      },
    },
    async (request) => {
      const row = await invitations.resend(contextOf(request), request.params.id);
      const [out] = await invitationsOut([row]);
      if (!out) throw new NotFound("Invitation");
      return out;
    },
  );

  typed.get(
    "/invitations/lookup",
    {
      config: { auth: "public" },
      schema: {
        operationId: "lookupInvitation",
        summary: "What an invitation link offers, before signing in",
        tags: ["members"],
        querystring: z.object({ token: z.string().min(1).max(200) }),
        response: {
          200: z.object({
            workspaceName: z.string(),
            invitedBy: z.string().nullable(),
            email: z.string().describe("Masked address the invitation was sent to."),
            role,
            status: z.enum(["pending", "accepted", "revoked", "expired"]),
            expiresAt: z.iso.datetime(),
          }),
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const { row, workspaceName, inviterName } = await invitations.lookup(request.query.token);
      return {
        workspaceName,
        invitedBy: inviterName,
        email: maskEmail(row.email),
        role: row.role,
        status: invitations.status(row),
        expiresAt: row.expiresAt.toISOString(),
      };
    },
  );

  typed.post(
    "/invitations/accept",
    {
      config: { auth: "user" },
      schema: {
        operationId: "acceptInvitation",
        summary: "Join the workspace of an invitation sent to your e-mail address",
        tags: ["members"],
        body: z.object({ token: z.string().min(1).max(200) }),
        response: { 200: workspaceSchema, 409: problemSchema, ...errors },
      },
    },
    async (request) => {
      const who = personOf(request);
      return workspaceOut(await invitations.accept(who.user, request.body.token, who.actor, metaOf(request)));
    },
  );
}
