import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { latestMail, logIn, setUpOwner, signUp, type TestSession } from "../../../test/helpers/auth.js";
import { accept, addMember, invitationToken, invite, inWorkspace } from "../../../test/helpers/workspaces.js";
import { manualClock } from "../../platform/clock.js";

/** Workspaces, members and invitations, as the people in a workspace see them. */
describe("workspaces, members and invitations", () => {
  const clock = manualClock();
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ clock });
    await setUpOwner(app);
  });
  afterAll(async () => app?.dispose());

  const call = (
    session: TestSession | undefined,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    app.http.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...session?.headers, ...headers },
      ...(payload ? { payload } : {}),
    });

  /** A fresh workspace owned by `<prefix>-owner`, with an admin, an analyst and a viewer. */
  async function team(prefix: string) {
    const owner = await signUp(app, `${prefix}-owner@example.com`, { name: `${prefix} owner` });
    const admin = await addMember(app, owner, `${prefix}-admin@example.com`, "admin");
    const analyst = await addMember(app, owner, `${prefix}-analyst@example.com`, "analyst");
    const viewer = await addMember(app, owner, `${prefix}-viewer@example.com`, "viewer");
    return { owner, admin, analyst, viewer, workspaceId: owner.workspaceId };
  }

  async function roles(session: TestSession): Promise<Record<string, string>> {
    const page = (await call(session, "GET", "/members")).json();
    return Object.fromEntries(
      page.items.map((member: { email: string; role: string }) => [member.email, member.role]),
    );
  }

  async function auditActions(session: TestSession, query = ""): Promise<{ action: string }[]> {
    const response = await call(session, "GET", `/audit-events?limit=200${query}`);
    expect(response.statusCode).toBe(200);
    return response.json().items;
  }

  describe("workspaces", () => {
    it("lists, creates, reads, renames and deletes the caller's workspaces", async () => {
      const wanda = await signUp(app, "wanda@example.com", { name: "Wanda" });
      const initial = (await call(wanda, "GET", "/workspaces")).json();
      expect(initial).toEqual({
        items: [
          {
            id: wanda.workspaceId,
            name: "Wanda's workspace",
            role: "owner",
            isDemo: false,
            createdAt: expect.any(String),
          },
        ],
        nextCursor: null,
      });

      clock.advance(1_000);
      const created = await call(wanda, "POST", "/workspaces", { name: "  Side project  " });
      expect(created.statusCode).toBe(201);
      const side = created.json();
      expect(side).toMatchObject({ name: "Side project", role: "owner", isDemo: false });
      const listed = (await call(wanda, "GET", "/workspaces")).json().items;
      expect(listed.map((row: { name: string }) => row.name)).toEqual(["Wanda's workspace", "Side project"]);
      expect((await call(wanda, "GET", `/workspaces/${side.id}`)).json()).toEqual(side);

      // Renaming another of one's workspaces than the current one: the role there decides.
      const renamed = await call(wanda, "PATCH", `/workspaces/${side.id}`, { name: "Main project" });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ id: side.id, name: "Main project" });
      expect((await call(wanda, "GET", `/workspaces/${side.id}`)).json().name).toBe("Main project");
      const sideLog = await auditActions(inWorkspace(wanda, side.id), "&action=workspace.");
      expect(sideLog.map((event) => event.action).sort()).toEqual(["workspace.created", "workspace.updated"]);

      const deleted = await call(wanda, "DELETE", `/workspaces/${side.id}`);
      expect(deleted.statusCode).toBe(204);
      expect((await call(wanda, "GET", `/workspaces/${side.id}`)).statusCode).toBe(404);
      expect((await call(wanda, "GET", "/workspaces")).json().items).toEqual(initial.items);
      expect((await call(inWorkspace(wanda, side.id), "GET", "/members")).statusCode).toBe(404);
    });

    it("pages through many workspaces with a cursor", async () => {
      const paula = await signUp(app, "paula@example.com", { name: "Paula" });
      for (const name of ["Two", "Three"]) {
        clock.advance(1_000);
        await call(paula, "POST", "/workspaces", { name });
      }
      const first = (await call(paula, "GET", "/workspaces?limit=2")).json();
      expect(first.items.map((row: { name: string }) => row.name)).toEqual(["Paula's workspace", "Two"]);
      const second = (await call(paula, "GET", `/workspaces?limit=2&cursor=${first.nextCursor}`)).json();
      expect(second).toEqual({ items: [expect.objectContaining({ name: "Three" })], nextCursor: null });
    });

    it("answers 404 for a workspace the caller is not in, and leaves it untouched", async () => {
      const owner = await signUp(app, "keeper@example.com", { name: "Keeper" });
      const outsider = await signUp(app, "outsider@example.com");
      for (const [method, payload] of [
        ["GET", undefined],
        ["PATCH", { name: "Taken over" }],
        ["DELETE", undefined],
      ] as const) {
        const response = await call(outsider, method, `/workspaces/${owner.workspaceId}`, payload);
        expect(response.statusCode, method).toBe(404);
        expect(response.json().code).toBe("not_found");
      }
      expect((await call(owner, "GET", `/workspaces/${owner.workspaceId}`)).json().name).toBe(
        "Keeper's workspace",
      );
      const asMember = await call(inWorkspace(outsider, owner.workspaceId), "GET", "/members");
      expect(asMember.statusCode).toBe(404);
      for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000", owner.user.id]) {
        expect((await call(outsider, "GET", `/workspaces/${id}`)).statusCode, id).toBe(404);
        expect((await call(outsider, "PATCH", `/workspaces/${id}`, { name: "x" })).statusCode, id).toBe(404);
        expect((await call(outsider, "DELETE", `/workspaces/${id}`)).statusCode, id).toBe(404);
      }
    });

    it("lets admins rename a workspace, owners alone delete it, and refuses an empty name", async () => {
      const { owner, admin, analyst, workspaceId } = await team("rename");
      expect((await call(analyst, "PATCH", `/workspaces/${workspaceId}`, { name: "Nope" })).statusCode).toBe(
        403,
      );
      const byAdmin = await call(admin, "PATCH", `/workspaces/${workspaceId}`, { name: "Renamed by admin" });
      expect(byAdmin.statusCode).toBe(200);
      expect(byAdmin.json()).toMatchObject({ name: "Renamed by admin", role: "admin" });
      const empty = await call(owner, "PATCH", `/workspaces/${workspaceId}`, { name: "   " });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().errors).toEqual([expect.objectContaining({ path: "body.name" })]);

      const byAdminDelete = await call(admin, "DELETE", `/workspaces/${workspaceId}`);
      expect(byAdminDelete.statusCode).toBe(403);
      expect((await call(owner, "GET", `/workspaces/${workspaceId}`)).json().name).toBe("Renamed by admin");
      expect((await call(owner, "DELETE", `/workspaces/${workspaceId}`)).statusCode).toBe(204);
      // Everyone in it loses it, not only the owner.
      expect((await call(admin, "GET", "/members")).statusCode).toBe(404);
    });

    it("uses the x-workspace-id header, else the workspace used last, else the first", async () => {
      const owner = await signUp(app, "hub@example.com", { name: "Hub" });
      await invite(app, owner, "guest@example.com", "viewer");
      const token = await invitationToken(app, "guest@example.com");
      const guestSession = await signUp(app, "guest@example.com");
      clock.advance(1_000);
      expect((await accept(app, guestSession, token)).statusCode).toBe(200);
      const guest = inWorkspace(guestSession, owner.workspaceId);
      const current = async (headers: Record<string, string>) =>
        (await call(undefined, "GET", "/auth/me", undefined, headers)).json().currentWorkspaceId;
      const bearer = { authorization: guest.headers.authorization as string };
      // Joining did not switch: the guest's own workspace stays the default.
      const own = (await call(undefined, "GET", "/workspaces", undefined, bearer)).json().items[0].id;
      expect(own).not.toBe(owner.workspaceId);
      expect(await current(bearer)).toBe(own);
      const members = await call(undefined, "GET", "/members", undefined, bearer);
      expect(members.json().items.map((member: { email: string }) => member.email)).toEqual([
        "guest@example.com",
      ]);

      expect(await current({ ...bearer, "x-workspace-id": owner.workspaceId })).toBe(owner.workspaceId);
      expect(await current(bearer)).toBe(owner.workspaceId);
      expect((await call(undefined, "GET", "/members", undefined, bearer)).json().items).toHaveLength(2);

      // The last one is gone: fall back to the first.
      expect((await call(guest, "DELETE", `/members/${guest.user.id}`)).statusCode).toBe(204);
      expect(await current(bearer)).toBe(own);
    });
  });

  describe("members", () => {
    it("lists the members of the current workspace with their roles, page by page", async () => {
      const { owner, viewer } = await team("list");
      expect(await roles(viewer)).toEqual({
        "list-owner@example.com": "owner",
        "list-admin@example.com": "admin",
        "list-analyst@example.com": "analyst",
        "list-viewer@example.com": "viewer",
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { userId: string }[]; nextCursor: string | null } = (
          await call(owner, "GET", `/members?limit=3${cursor ? `&cursor=${cursor}` : ""}`)
        ).json();
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((member: { userId: string }) => member.userId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(4);
      expect(seen).toContain(owner.user.id);
      const forged = Buffer.from(JSON.stringify({ t: "never", id: "x" })).toString("base64url");
      for (const url of [
        `/members?cursor=${forged}`,
        `/invitations?cursor=${forged}`,
        "/members?cursor=bm9wZQ",
      ]) {
        expect((await call(owner, "GET", url)).statusCode, url).toBe(400);
      }
    });

    it("lets an admin change the role of a non-owner, and records it", async () => {
      const { admin, analyst, viewer } = await team("promote");
      const changed = await call(admin, "PATCH", `/members/${analyst.user.id}`, { role: "viewer" });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({
        userId: analyst.user.id,
        email: "promote-analyst@example.com",
        role: "viewer",
      });
      expect((await roles(viewer))["promote-analyst@example.com"]).toBe("viewer");
      // The new role holds at once: a viewer cannot see who is invited.
      expect((await call(analyst, "GET", "/invitations")).statusCode).toBe(403);

      const [event] = await auditActions(admin, "&action=member.role_changed");
      expect(event).toMatchObject({
        actor: { type: "user", id: admin.user.id },
        target: { type: "user", id: analyst.user.id },
        metadata: { from: "analyst", to: "viewer" },
      });
      const unknown = await call(admin, "PATCH", "/members/00000000-0000-4000-8000-000000000000", {
        role: "viewer",
      });
      expect(unknown.statusCode).toBe(404);
      expect((await call(admin, "PATCH", `/members/${viewer.user.id}`, { role: "boss" })).statusCode).toBe(
        400,
      );
      expect((await call(admin, "PATCH", "/members/not-a-user", { role: "viewer" })).statusCode).toBe(404);
      expect((await call(admin, "DELETE", "/members/not-a-user")).statusCode).toBe(404);
    });

    it("refuses an admin who grants or takes away the owner role", async () => {
      const { owner, admin, analyst } = await team("owners");
      for (const [method, url, payload] of [
        ["PATCH", `/members/${analyst.user.id}`, { role: "owner" }],
        ["PATCH", `/members/${admin.user.id}`, { role: "owner" }],
        ["PATCH", `/members/${owner.user.id}`, { role: "admin" }],
        ["DELETE", `/members/${owner.user.id}`, undefined],
      ] as const) {
        const response = await call(admin, method, url, payload);
        expect(response.statusCode, `${method} ${url}`).toBe(403);
        expect(response.json().code).toBe("forbidden");
      }
      expect(await roles(owner)).toMatchObject({
        "owners-owner@example.com": "owner",
        "owners-admin@example.com": "admin",
        "owners-analyst@example.com": "analyst",
      });
      // An owner may.
      expect((await call(owner, "PATCH", `/members/${admin.user.id}`, { role: "owner" })).statusCode).toBe(
        200,
      );
      expect((await roles(owner))["owners-admin@example.com"]).toBe("owner");
    });

    it("keeps the last owner: no demotion, no leaving, until there is another", async () => {
      const { owner, admin } = await team("last");
      const demote = await call(owner, "PATCH", `/members/${owner.user.id}`, { role: "admin" });
      expect(demote.statusCode).toBe(409);
      expect(demote.json().code).toBe("last_owner");
      const leave = await call(owner, "DELETE", `/members/${owner.user.id}`);
      expect(leave.statusCode).toBe(409);
      expect(leave.json().code).toBe("last_owner");
      expect((await roles(owner))["last-owner@example.com"]).toBe("owner");

      expect((await call(owner, "PATCH", `/members/${admin.user.id}`, { role: "owner" })).statusCode).toBe(
        200,
      );
      expect((await call(owner, "PATCH", `/members/${owner.user.id}`, { role: "admin" })).statusCode).toBe(
        200,
      );
      // Now the other owner is the last one.
      const second = await call(admin, "DELETE", `/members/${admin.user.id}`);
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe("last_owner");
    });

    it("lets a member leave with their own id", async () => {
      const { admin, viewer, workspaceId } = await team("leave");
      const left = await call(viewer, "DELETE", `/members/${viewer.user.id}`);
      expect(left.statusCode).toBe(204);
      expect(await roles(admin)).not.toHaveProperty("leave-viewer@example.com");
      const theirs = (await call(viewer, "GET", "/workspaces"))
        .json()
        .items.map((row: { id: string }) => row.id);
      expect(theirs).not.toContain(workspaceId);
      expect((await call(viewer, "GET", "/members")).statusCode).toBe(404);
      const [event] = await auditActions(admin, "&action=member.left");
      expect(event).toMatchObject({ actor: { id: viewer.user.id }, target: { id: viewer.user.id } });
    });

    it("lets admins remove members, and nobody below admin remove anyone else", async () => {
      const { admin, analyst, viewer } = await team("remove");
      for (const target of [viewer, admin]) {
        const refused = await call(analyst, "DELETE", `/members/${target.user.id}`);
        expect(refused.statusCode).toBe(403);
      }
      expect((await call(viewer, "DELETE", `/members/${analyst.user.id}`)).statusCode).toBe(403);
      expect(Object.keys(await roles(admin))).toHaveLength(4);

      expect((await call(admin, "DELETE", `/members/${analyst.user.id}`)).statusCode).toBe(204);
      expect(await roles(admin)).not.toHaveProperty("remove-analyst@example.com");
      // The removed member's next request to the workspace finds nothing.
      expect((await call(analyst, "GET", "/members")).statusCode).toBe(404);
      const [event] = await auditActions(admin, "&action=member.removed");
      expect(event).toMatchObject({ actor: { id: admin.user.id }, target: { id: analyst.user.id } });
      expect((await call(admin, "DELETE", `/members/${analyst.user.id}`)).statusCode).toBe(404);
    });
  });

  describe("invitations", () => {
    it("e-mails an invitation with a link and lists it as pending", async () => {
      const owner = await signUp(app, "ivy@example.com", { name: "Ivy Inviter" });
      const created = await call(owner, "POST", "/invitations", {
        email: "Newbie@Example.com",
        role: "analyst",
      });
      expect(created.statusCode).toBe(201);
      const invitation = created.json();
      expect(invitation).toMatchObject({
        email: "newbie@example.com",
        role: "analyst",
        status: "pending",
        invitedBy: { id: owner.user.id, name: "Ivy Inviter" },
      });
      expect(new Date(invitation.expiresAt).getTime() - new Date(invitation.createdAt).getTime()).toBe(
        7 * 24 * 60 * 60_000,
      );

      const mail = await latestMail(app, "newbie@example.com", "workspace.invitation");
      expect(mail.subject).toContain("Ivy Inviter's workspace");
      expect(mail.text).toContain("Ivy Inviter invited you");
      expect(mail.text).toContain("an analyst");
      expect(mail.text).toMatch(/https?:\/\/[^\s]+\/invite\/[A-Za-z0-9_-]{20,}/);
      expect(mail.html).toContain(`/invite/${await invitationToken(app, "newbie@example.com")}`);

      const list = (await call(owner, "GET", "/invitations")).json();
      expect(list.items).toEqual([invitation]);
      const log = await auditActions(owner, "&action=member.invited");
      expect(log[0]).toMatchObject({
        target: { type: "invitation", id: invitation.id },
        metadata: { role: "analyst" },
      });
    });

    it("shows what a link offers without signing in, with the address masked", async () => {
      const owner = await signUp(app, "lookup-owner@example.com", { name: "Lou" });
      await invite(app, owner, "gustavo@example.com", "viewer");
      const token = await invitationToken(app, "gustavo@example.com");
      const response = await call(undefined, "GET", `/invitations/lookup?token=${token}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        workspaceName: "Lou's workspace",
        invitedBy: "Lou",
        email: "gu***@example.com",
        role: "viewer",
        status: "pending",
        expiresAt: expect.any(String),
      });
      expect(response.body).not.toContain("gustavo");
      const unknown = await call(undefined, "GET", "/invitations/lookup?token=nope-not-a-token");
      expect(unknown.statusCode).toBe(404);
      // The rest of the invitation routes are not public.
      expect((await call(undefined, "POST", "/invitations/accept", { token })).statusCode).toBe(401);
      expect((await call(undefined, "GET", "/invitations")).statusCode).toBe(401);
    });

    it("joins the invited user with the invited role, once, and records it", async () => {
      const owner = await signUp(app, "join-owner@example.com", { name: "Joan" });
      await invite(app, owner, "Joiner@Example.com", "admin");
      const token = await invitationToken(app, "joiner@example.com");
      const joiner = await signUp(app, "joiner@example.com");
      const accepted = await accept(app, joiner, token, { "user-agent": "JoinTest/1.0" });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({
        id: owner.workspaceId,
        name: "Joan's workspace",
        role: "admin",
      });
      const theirs = (await call(joiner, "GET", "/workspaces")).json().items;
      expect(theirs).toContainEqual(expect.objectContaining({ id: owner.workspaceId, role: "admin" }));
      expect((await roles(owner))["joiner@example.com"]).toBe("admin");

      const [event] = await auditActions(owner, "&action=member.joined");
      expect(event).toMatchObject({
        workspaceId: owner.workspaceId,
        actor: { type: "user", id: joiner.user.id },
        target: { type: "user", id: joiner.user.id, label: "joiner@example.com" },
        userAgent: "JoinTest/1.0",
        metadata: { role: "admin" },
      });
      const again = await accept(app, joiner, token);
      expect(again.statusCode).toBe(400);
      expect(again.json().code).toBe("invitation_accepted");
      const lookup = (await call(undefined, "GET", `/invitations/lookup?token=${token}`)).json();
      expect(lookup.status).toBe("accepted");
    });

    it("refuses a signed-in user whose e-mail is not the invited one", async () => {
      const owner = await signUp(app, "mismatch-owner@example.com");
      await invite(app, owner, "intended@example.com", "analyst");
      const token = await invitationToken(app, "intended@example.com");
      const other = await signUp(app, "interloper@example.com");
      const response = await accept(app, other, token);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe("invitation_email_mismatch");
      expect(await roles(owner)).not.toHaveProperty("interloper@example.com");
      // Still usable by the right person.
      const intended = await signUp(app, "intended@example.com");
      expect((await accept(app, intended, token)).statusCode).toBe(200);
    });

    it("revokes a pending invitation: its link stops working", async () => {
      const owner = await signUp(app, "revoke-owner@example.com");
      const invitation = await invite(app, owner, "revoked@example.com", "viewer");
      const token = await invitationToken(app, "revoked@example.com");
      expect((await call(owner, "DELETE", `/invitations/${invitation.id}`)).statusCode).toBe(204);
      const invitee = await signUp(app, "revoked@example.com");
      const response = await accept(app, invitee, token);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("invitation_revoked");
      expect(await roles(owner)).not.toHaveProperty("revoked@example.com");
      const listed = (await call(owner, "GET", "/invitations")).json().items;
      expect(listed).toEqual([expect.objectContaining({ id: invitation.id, status: "revoked" })]);
      expect((await call(owner, "DELETE", `/invitations/${invitation.id}`)).statusCode).toBe(409);
      expect((await call(owner, "POST", `/invitations/${invitation.id}/resend`)).statusCode).toBe(409);
      const [event] = await auditActions(owner, "&action=invitation.revoked");
      expect(event).toMatchObject({ target: { id: invitation.id } });
    });

    it("resends with a new link: the old one stops working, the new one works", async () => {
      const owner = await signUp(app, "resend-owner@example.com");
      const invitation = await invite(app, owner, "twice@example.com", "analyst");
      const oldToken = await invitationToken(app, "twice@example.com");
      const resent = await call(owner, "POST", `/invitations/${invitation.id}/resend`);
      expect(resent.statusCode).toBe(200);
      expect(resent.json()).toMatchObject({ id: invitation.id, status: "pending" });
      const newToken = await invitationToken(app, "twice@example.com");
      expect(newToken).not.toBe(oldToken);
      const mails = await app.platform.mail.list({ limit: 10, to: "twice@example.com" });
      expect(mails.items.filter((item) => item.template === "workspace.invitation")).toHaveLength(2);

      const invitee = await signUp(app, "twice@example.com");
      expect((await call(undefined, "GET", `/invitations/lookup?token=${oldToken}`)).statusCode).toBe(404);
      expect((await accept(app, invitee, oldToken)).statusCode).toBe(404);
      const accepted = await accept(app, invitee, newToken);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json().role).toBe("analyst");
    });

    it("replaces a pending invitation to the same address", async () => {
      const owner = await signUp(app, "replace-owner@example.com");
      await invite(app, owner, "again@example.com", "viewer");
      const first = await invitationToken(app, "again@example.com");
      await invite(app, owner, "again@example.com", "admin");
      const second = await invitationToken(app, "again@example.com");
      const invitee = await signUp(app, "again@example.com");
      expect((await accept(app, invitee, first)).json().code).toBe("invitation_revoked");
      expect((await accept(app, invitee, second)).json().role).toBe("admin");
    });

    it("refuses to invite an existing member", async () => {
      const { owner } = await team("existing");
      const response = await call(owner, "POST", "/invitations", {
        email: "Existing-Analyst@example.com",
        role: "viewer",
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe("already_member");
      const invitations = (await call(owner, "GET", "/invitations")).json().items;
      expect(invitations.map((row: { status: string }) => row.status)).toEqual([
        "accepted",
        "accepted",
        "accepted",
      ]);
      const mails = await app.platform.mail.list({ limit: 10, to: "existing-analyst@example.com" });
      expect(mails.items.filter((item) => item.template === "workspace.invitation")).toHaveLength(1);
    });

    it("lets only owners invite owners, and only admins invite at all", async () => {
      const { owner, admin, analyst } = await team("inviters");
      const byAdmin = await call(admin, "POST", "/invitations", { email: "boss@example.com", role: "owner" });
      expect(byAdmin.statusCode).toBe(403);
      await expect(latestMail(app, "boss@example.com", "workspace.invitation")).rejects.toThrow();
      const byAnalyst = await call(analyst, "POST", "/invitations", {
        email: "pal@example.com",
        role: "viewer",
      });
      expect(byAnalyst.statusCode).toBe(403);
      expect((await call(analyst, "GET", "/invitations")).statusCode).toBe(403);
      expect(
        (await call(admin, "POST", "/invitations", { email: "peer@example.com", role: "admin" })).statusCode,
      ).toBe(201);
      expect(
        (await call(owner, "POST", "/invitations", { email: "boss@example.com", role: "owner" })).statusCode,
      ).toBe(201);
      const invalid = await call(owner, "POST", "/invitations", { email: "not an address", role: "viewer" });
      expect(invalid.statusCode).toBe(400);
    });

    it("does not let one workspace's admin revoke or resend another's invitation", async () => {
      const owner = await signUp(app, "mine@example.com");
      const stranger = await signUp(app, "theirs@example.com");
      const invitation = await invite(app, owner, "wanted@example.com", "viewer");
      expect((await call(stranger, "DELETE", `/invitations/${invitation.id}`)).statusCode).toBe(404);
      expect((await call(stranger, "POST", `/invitations/${invitation.id}/resend`)).statusCode).toBe(404);
      expect((await call(stranger, "GET", "/invitations")).json().items).toEqual([]);
      expect((await call(owner, "GET", "/invitations")).json().items[0].status).toBe("pending");
    });

    // Moves the clock a week on: the file's last test, since every session in it expires too.
    it("expires an invitation after 7 days", async () => {
      const owner = await signUp(app, "late-owner@example.com");
      const invitation = await invite(app, owner, "late@example.com", "viewer");
      const token = await invitationToken(app, "late@example.com");
      clock.advance(7 * 24 * 60 * 60_000 - 60_000);
      expect((await call(undefined, "GET", `/invitations/lookup?token=${token}`)).json().status).toBe(
        "pending",
      );
      clock.advance(60_000);
      expect((await call(undefined, "GET", `/invitations/lookup?token=${token}`)).json().status).toBe(
        "expired",
      );

      const late = await signUp(app, "late@example.com");
      const response = await accept(app, late, token);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("invitation_expired");
      // The owner's access token expired with the clock: sign in again.
      const fresh = inWorkspace(await logIn(app, owner.user.email), owner.workspaceId);
      expect(await roles(fresh)).not.toHaveProperty("late@example.com");
      const listed = (await call(fresh, "GET", "/invitations")).json().items;
      expect(listed).toEqual([expect.objectContaining({ id: invitation.id, status: "expired" })]);

      // Resending an expired invitation gives it a fresh week.
      expect((await call(fresh, "POST", `/invitations/${invitation.id}/resend`)).json().status).toBe(
        "pending",
      );
      expect((await accept(app, late, await invitationToken(app, "late@example.com"))).statusCode).toBe(200);
    });
  });
});
