import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { logIn, setUpOwner, signUp, type TestSession } from "../../../test/helpers/auth.js";
import { addMember } from "../../../test/helpers/workspaces.js";
import { manualClock } from "../../platform/clock.js";

interface AuditEvent {
  id: string;
  action: string;
  actor: { type: string; id: string | null; label: string | null };
  target: { type: string; id: string; label: string | null } | null;
  workspaceId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

/** The audit log as a workspace's admins read it. */
describe("audit log", () => {
  const clock = manualClock();
  let app: TestApp;
  let owner: TestSession;
  let analyst: TestSession;
  let viewer: TestSession;
  let outsider: TestSession;
  beforeAll(async () => {
    app = await createTestApp({ clock });
    owner = await setUpOwner(app);
    analyst = await addMember(app, owner, "amy@example.com", "analyst");
    viewer = await addMember(app, owner, "vic@example.com", "viewer");
    outsider = await signUp(app, "zed@example.com");
  });
  afterAll(async () => app?.dispose());

  const get = (session: TestSession | undefined, query = "") =>
    app.http.inject({ method: "GET", url: `/api/v1/audit-events${query}`, headers: session?.headers ?? {} });

  async function events(session: TestSession, query = "?limit=200"): Promise<AuditEvent[]> {
    const response = await get(session, query);
    expect(response.statusCode).toBe(200);
    return response.json().items;
  }

  const concerns = (event: AuditEvent, userId: string) =>
    event.actor.id === userId || event.target?.id === userId;

  it("shows the sign-ins of members to the workspace's admins, and nowhere else", async () => {
    const wrong = await app.http.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "amy@example.com", password: "not the password" },
    });
    expect(wrong.statusCode).toBe(401);
    await logIn(app, "amy@example.com");
    await logIn(app, "zed@example.com");

    const acme = await events(owner, "?limit=200&action=auth.");
    const amy = acme.filter((event) => concerns(event, analyst.user.id));
    expect(amy).toContainEqual(
      expect.objectContaining({
        action: "auth.login_failed",
        workspaceId: null,
        target: { type: "user", id: analyst.user.id, label: "amy@example.com" },
        metadata: { consecutiveFailures: 1 },
      }),
    );
    expect(amy).toContainEqual(
      expect.objectContaining({
        action: "auth.login",
        actor: { type: "user", id: analyst.user.id, label: expect.any(String) },
        metadata: { method: "code" },
      }),
    );
    // Someone who is not a member: their sign-ins are none of Acme's business.
    expect(acme.filter((event) => concerns(event, outsider.user.id))).toEqual([]);

    const theirs = await events(outsider);
    expect(theirs.filter((event) => concerns(event, analyst.user.id))).toEqual([]);
    expect(theirs.filter((event) => concerns(event, owner.user.id))).toEqual([]);
    expect(theirs.filter((event) => event.workspaceId === owner.workspaceId)).toEqual([]);
    expect(theirs.map((event) => event.action)).toContain("auth.login");
  });

  it("records a workspace change with its actor, target, address and user agent", async () => {
    const changed = await app.http.inject({
      method: "PATCH",
      url: `/api/v1/members/${viewer.user.id}`,
      headers: { ...owner.headers, "user-agent": "AuditTest/1.0 (+https://example.com)" },
      payload: { role: "analyst" },
    });
    expect(changed.statusCode).toBe(200);
    const [event] = await events(owner, "?action=member.role_changed");
    expect(event).toEqual({
      id: expect.any(String),
      action: "member.role_changed",
      actor: { type: "user", id: owner.user.id, label: expect.stringContaining("owner@example.com") },
      target: { type: "user", id: viewer.user.id, label: null },
      workspaceId: owner.workspaceId,
      ip: "127.0.0.1",
      userAgent: "AuditTest/1.0 (+https://example.com)",
      metadata: { from: "viewer", to: "analyst" },
      createdAt: clock.now().toISOString(),
    });
    // Another workspace's log does not have it.
    expect((await events(outsider)).map((row) => row.id)).not.toContain(event?.id);
    await app.http.inject({
      method: "PATCH",
      url: `/api/v1/members/${viewer.user.id}`,
      headers: owner.headers,
      payload: { role: "viewer" },
    });
  });

  it("filters by action prefix, actor and target", async () => {
    const members = await events(owner, "?limit=200&action=member.");
    expect(members.length).toBeGreaterThanOrEqual(5);
    expect(members.every((event) => event.action.startsWith("member."))).toBe(true);
    expect(new Set(members.map((event) => event.action))).toEqual(
      new Set(["member.invited", "member.joined", "member.role_changed"]),
    );
    // A prefix is a prefix, not a pattern: `_` matches itself only.
    expect(await events(owner, "?action=member_")).toEqual([]);
    expect(await events(owner, "?action=%25")).toEqual([]);

    const byAmy = await events(owner, `?limit=200&actorId=${analyst.user.id}`);
    expect(byAmy.length).toBeGreaterThan(0);
    expect(byAmy.every((event) => event.actor.id === analyst.user.id)).toBe(true);
    expect(byAmy.map((event) => event.action)).toEqual(
      expect.arrayContaining(["member.joined", "auth.login"]),
    );

    const aboutVic = await events(owner, `?limit=200&targetId=${viewer.user.id}&action=member.`);
    expect(aboutVic.map((event) => event.action).sort()).toEqual([
      "member.joined",
      "member.role_changed",
      "member.role_changed",
    ]);
    expect((await get(owner, "?actorId=not-a-uuid")).statusCode).toBe(400);
  });

  it("filters by time, both ends included", async () => {
    const rename = async (name: string) => {
      clock.advance(60_000);
      const response = await app.http.inject({
        method: "PATCH",
        url: `/api/v1/workspaces/${owner.workspaceId}`,
        headers: owner.headers,
        payload: { name },
      });
      expect(response.statusCode).toBe(200);
      return clock.now().toISOString();
    };
    const t1 = await rename("Acme 1");
    const t2 = await rename("Acme 2");
    const t3 = await rename("Acme 3");
    const names = async (query: string) =>
      (await events(owner, `?action=workspace.updated${query}`)).map((event) => event.metadata.name);
    expect(await names(`&from=${t2}`)).toEqual(["Acme 3", "Acme 2"]);
    expect(await names(`&to=${t2}`)).toEqual(["Acme 2", "Acme 1"]);
    expect(await names(`&from=${t2}&to=${t2}`)).toEqual(["Acme 2"]);
    expect(await names(`&from=${t1}&to=${t3}`)).toEqual(["Acme 3", "Acme 2", "Acme 1"]);
    const offset = new Date(t2).toISOString().replace("Z", "+00:00");
    expect(await names(`&from=${encodeURIComponent(offset)}`)).toEqual(["Acme 3", "Acme 2"]);
    expect((await get(owner, "?from=yesterday")).statusCode).toBe(400);
  });

  it("walks every event with a cursor, newest first, without duplicates", async () => {
    const all = await events(owner, "?limit=200");
    expect(all.length).toBeGreaterThan(6);
    const walked: AuditEvent[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: AuditEvent[]; nextCursor: string | null } = (
        await get(owner, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(walked.map((event) => event.id)).toEqual(all.map((event) => event.id));
    expect(new Set(walked.map((event) => event.id)).size).toBe(walked.length);
    const times = walked.map((event) => event.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const forged = Buffer.from(JSON.stringify({ t: "never", id: "x" })).toString("base64url");
    for (const bad of ["bm9wZQ", forged]) {
      const response = await get(owner, `?cursor=${bad}`);
      expect(response.statusCode, bad).toBe(400);
    }
  });

  it("is for admins only", async () => {
    for (const session of [analyst, viewer]) {
      const response = await get(session);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe("forbidden");
    }
    const anonymous = await get(undefined);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe("unauthorized");
    const admin = await addMember(app, owner, "ada@example.com", "admin");
    expect((await get(admin)).statusCode).toBe(200);
  });
});
