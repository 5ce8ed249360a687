import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { type Db, inTransaction } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Conflict, Forbidden, Invalid, NotFound } from "../../platform/errors.js";
import { emailMessage, type Mailer } from "../../platform/mail/index.js";
import type { Actor, AuditLog, RequestMeta } from "../audit/index.js";
import type { RequestContext } from "../auth/context.js";
import type { UserRecord } from "../auth/users.store.js";
import { assertCan, type Role, roleRank } from "./permissions.js";
import type { UserLookup, WorkspacesService } from "./workspaces.service.js";
import { invitations, workspaces } from "./workspaces.tables.js";

export const invitationLifetimeMs = 7 * 24 * 60 * 60_000;

export type InvitationRecord = typeof invitations.$inferSelect;
export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export function invitationStatus(row: InvitationRecord, now: Date): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return "pending";
}

function invitationEmail(input: {
  workspace: string;
  inviter: string;
  role: Role;
  url: string;
  code: string;
}) {
  return emailMessage("workspace.invitation", {
    title: `${input.inviter} invited you to ${input.workspace}`,
    subject: `You're invited to the "${input.workspace}" workspace on Sightline`,
    paragraphs: [
      `${input.inviter} invited you to join the Sightline workspace "${input.workspace}" as ${input.role === "admin" || input.role === "analyst" ? "an" : "a"} ${input.role}.`,
      "Open the link to accept. If you have no Sightline account yet, you can create one with this e-mail address on the way. The invitation expires in 7 days.",
      `Invitation code: ${input.code}`,
    ],
    button: { label: "Accept invitation", url: input.url },
    footer: "If you did not expect this invitation, you can ignore it.",
  });
}

export function createInvitationsService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  mail: Mailer;
  users: UserLookup & { byEmail(email: string): Promise<UserRecord | undefined> };
  workspaces: WorkspacesService;
  appUrl: string;
}) {
  const { db, clock, audit, mail, users, appUrl } = deps;

  async function workspaceName(id: string): Promise<string> {
    const [row] = await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, id));
    return row?.name ?? "a workspace";
  }

  async function owned(ctx: RequestContext, id: string): Promise<InvitationRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Invitation", { id });
    const [row] = await db
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, id), eq(invitations.workspaceId, ctx.workspaceId)));
    if (!row) throw new NotFound("Invitation", { id });
    return row;
  }

  async function send(ctx: RequestContext, row: InvitationRecord, token: string): Promise<void> {
    const inviter = (await users.byIds([ctx.userId])).get(ctx.userId);
    await mail.send({
      to: row.email,
      ...invitationEmail({
        workspace: await workspaceName(row.workspaceId),
        inviter: inviter?.name ?? "A colleague",
        role: row.role,
        url: `${appUrl}/invite/${token}`,
        code: token,
      }),
    });
  }

  async function byToken(token: string): Promise<InvitationRecord | undefined> {
    const [row] = await db
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, sha256(token)));
    return row;
  }

  return {
    status: (row: InvitationRecord) => invitationStatus(row, clock.now()),

    /** Invites an address; a pending invitation to the same address is replaced. */
    async create(ctx: RequestContext, input: { email: string; role: Role }): Promise<InvitationRecord> {
      assertCan(ctx.role, "members.manage");
      if (input.role === "owner") assertCan(ctx.role, "owners.manage");
      if (roleRank[input.role] > roleRank[ctx.role]) {
        throw new Forbidden(`You cannot invite someone with more rights than you (${ctx.role})`);
      }
      const email = input.email.trim().toLowerCase();
      const existing = await users.byEmail(email);
      if (existing && (await deps.workspaces.membership(ctx.workspaceId, existing.id))) {
        throw new Conflict(`${email} is already a member of this workspace`, { code: "already_member" });
      }
      const token = randomToken(24);
      const now = clock.now();
      const row = await inTransaction(db, async (tx) => {
        await tx
          .update(invitations)
          .set({ revokedAt: now })
          .where(
            and(
              eq(invitations.workspaceId, ctx.workspaceId),
              eq(invitations.email, email),
              isNull(invitations.acceptedAt),
              isNull(invitations.revokedAt),
            ),
          );
        const [created] = await tx
          .insert(invitations)
          .values({
            workspaceId: ctx.workspaceId,
            email,
            role: input.role,
            tokenHash: sha256(token),
            invitedBy: ctx.userId,
            expiresAt: new Date(now.getTime() + invitationLifetimeMs),
            createdAt: now,
          })
          .returning();
        if (!created) throw new Error("invitation insert returned no row");
        await audit.record(
          {
            workspaceId: ctx.workspaceId,
            action: "member.invited",
            actor: ctx.actor,
            target: { type: "invitation", id: created.id, label: email },
            meta: ctx.meta,
            metadata: { role: input.role },
          },
          tx,
        );
        return created;
      });
      await send(ctx, row, token);
      return row;
    },

    async list(ctx: RequestContext, page: { limit: number; cursor?: string }) {
      assertCan(ctx.role, "members.manage");
      const order = newestFirst(invitations, page.cursor);
      const rows = await db
        .select()
        .from(invitations)
        .where(and(eq(invitations.workspaceId, ctx.workspaceId), order.where))
        .orderBy(...order.orderBy)
        .limit(page.limit + 1);
      return order.page(rows, page.limit);
    },

    async revoke(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "members.manage");
      const row = await owned(ctx, id);
      if (invitationStatus(row, clock.now()) !== "pending") {
        throw new Conflict(`This invitation is already ${invitationStatus(row, clock.now())}`);
      }
      await inTransaction(db, async (tx) => {
        await tx.update(invitations).set({ revokedAt: clock.now() }).where(eq(invitations.id, id));
        await audit.record(
          {
            workspaceId: ctx.workspaceId,
            action: "invitation.revoked",
            actor: ctx.actor,
            target: { type: "invitation", id, label: row.email },
            meta: ctx.meta,
          },
          tx,
        );
      });
    },

    /** Sends the invitation again with a new link and a fresh 7 days; the old link stops working. */
    async resend(ctx: RequestContext, id: string): Promise<InvitationRecord> {
      assertCan(ctx.role, "members.manage");
      const row = await owned(ctx, id);
      const status = invitationStatus(row, clock.now());
      if (status === "accepted" || status === "revoked")
        throw new Conflict(`This invitation is already ${status}`);
      const token = randomToken(24);
      const [updated] = await db
        .update(invitations)
        .set({ tokenHash: sha256(token), expiresAt: new Date(clock.now().getTime() + invitationLifetimeMs) })
        .where(eq(invitations.id, id))
        .returning();
      if (!updated) throw new NotFound("Invitation", { id });
      await send(ctx, updated, token);
      return updated;
    },

    /** What the invitation page shows before anyone signs in. */
    async lookup(token: string) {
      const row = await byToken(token);
      if (!row) throw new NotFound("Invitation");
      const inviter = row.invitedBy ? (await users.byIds([row.invitedBy])).get(row.invitedBy) : undefined;
      return { row, workspaceName: await workspaceName(row.workspaceId), inviterName: inviter?.name ?? null };
    },

    /** Joins the signed-in user to the workspace; the invitation must be addressed to their e-mail. */
    async accept(user: UserRecord, token: string, actor: Actor, meta: RequestMeta) {
      const row = await byToken(token);
      if (!row) throw new NotFound("Invitation");
      const status = invitationStatus(row, clock.now());
      if (status !== "pending")
        throw new Invalid(`This invitation is ${status}`, { code: `invitation_${status}` });
      if (row.email !== user.email) {
        throw new Forbidden(
          `This invitation was sent to another e-mail address; sign in as that address to accept it`,
          "invitation_email_mismatch",
        );
      }
      await inTransaction(db, async (tx) => {
        const claimed = await tx
          .update(invitations)
          .set({ acceptedAt: clock.now(), acceptedBy: user.id })
          .where(
            and(eq(invitations.id, row.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
          )
          .returning();
        if (claimed.length === 0) throw new Conflict("This invitation was just used");
        await deps.workspaces.addMember(row.workspaceId, user.id, row.role, tx);
        await audit.record(
          {
            workspaceId: row.workspaceId,
            action: "member.joined",
            actor,
            target: { type: "user", id: user.id, label: user.email },
            meta,
            metadata: { role: row.role, invitationId: row.id },
          },
          tx,
        );
      });
      return deps.workspaces.get(user.id, row.workspaceId);
    },
  };
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;
