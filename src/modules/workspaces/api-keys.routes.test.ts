import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { setUpOwner, type TestSession } from "../../../test/helpers/auth.js";
import { addMember, inWorkspace } from "../../../test/helpers/workspaces.js";
import { manualClock } from "../../platform/clock.js";

const day = 24 * 60 * 60_000;

/** Workspace API keys: created by admins, used by programs, bounded by their creator's role. */
describe("API keys", () => {
  const clock = manualClock();
  let app: TestApp;
  let owner: TestSession;
  beforeAll(async () => {
    app = await createTestApp({ clock });
    owner = await setUpOwner(app);
  });
  afterAll(async () => app?.dispose());

  const call = (
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    headers: Record<string, string>,
    payload?: Record<string, unknown>,
  ) => app.http.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

  async function createKey(session: TestSession, body: Record<string, unknown>) {
    const response = await call("POST", "/api-keys", session.headers, body);
    if (response.statusCode !== 201)
      throw new Error(`key not created: ${response.statusCode} ${response.body}`);
    return response.json() as { id: string; secret: string; role: string; prefix: string };
  }

  const withKey = (secret: string, extra: Record<string, string> = {}) => ({ "x-api-key": secret, ...extra });

  async function listed(session: TestSession, id: string) {
    const page = (await call("GET", "/api-keys", session.headers)).json();
    return page.items.find((item: { id: string }) => item.id === id);
  }

  it("returns the secret once, on creation; the list never shows it", async () => {
    const response = await call("POST", "/api-keys", owner.headers, { name: " CI export ", role: "analyst" });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.secret).toMatch(/^sl_[a-z0-9]{8}_[A-Za-z0-9_-]{32,}$/);
    expect(created).toMatchObject({
      name: "CI export",
      role: "analyst",
      prefix: created.secret.slice(0, 11),
      createdBy: { id: owner.user.id, name: "Olivia Owner" },
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
    });

    const list = await call("GET", "/api-keys", owner.headers);
    expect(list.statusCode).toBe(200);
    const { secret, ...withoutSecret } = created;
    expect(list.json().items).toContainEqual(withoutSecret);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toContain(secret.slice(12));
    const forged = Buffer.from(JSON.stringify({ t: "never", id: "x" })).toString("base64url");
    expect((await call("GET", `/api-keys?cursor=${forged}`, owner.headers)).statusCode).toBe(400);

    const defaulted = await createKey(owner, { name: "Default role" });
    expect(defaulted.role).toBe("viewer");
    for (const body of [{ name: "" }, { name: "x", role: "root" }, { name: "x", expiresInDays: 0 }]) {
      expect((await call("POST", "/api-keys", owner.headers, body)).statusCode, JSON.stringify(body)).toBe(
        400,
      );
    }
  });

  it("authenticates as x-api-key and as Authorization: Bearer", async () => {
    const key = await createKey(owner, { name: "Both ways", role: "viewer" });
    const members = await call("GET", "/members", withKey(key.secret));
    expect(members.statusCode).toBe(200);
    expect(members.json().items).toContainEqual(expect.objectContaining({ email: "owner@example.com" }));
    const bearer = await call("GET", "/members", { authorization: `Bearer ${key.secret}` });
    expect(bearer.statusCode).toBe(200);
    expect(bearer.json()).toEqual(members.json());
    const me = (await call("GET", "/auth/me", withKey(key.secret))).json();
    expect(me).toMatchObject({ via: "api_key", currentWorkspaceId: owner.workspaceId, role: "viewer" });

    const wrong = `${key.secret.slice(0, -1)}${key.secret.endsWith("A") ? "B" : "A"}`;
    for (const headers of [withKey(wrong), withKey("sl_nothing"), { authorization: `Bearer ${wrong}` }]) {
      const refused = await call("GET", "/members", headers);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe("invalid_api_key");
    }
  });

  it("is bound to its workspace", async () => {
    const other = (await call("POST", "/workspaces", owner.headers, { name: "Other" })).json();
    const key = await createKey(owner, { name: "Acme only", role: "admin" });
    const elsewhere = await call("GET", "/members", withKey(key.secret, { "x-workspace-id": other.id }));
    expect(elsewhere.statusCode).toBe(404);
    const home = await call("GET", "/members", withKey(key.secret, { "x-workspace-id": owner.workspaceId }));
    expect(home.statusCode).toBe(200);
    const workspaces = (await call("GET", "/workspaces", withKey(key.secret))).json().items;
    expect(workspaces.map((row: { id: string }) => row.id)).toEqual([owner.workspaceId]);
    expect((await call("GET", `/workspaces/${other.id}`, withKey(key.secret))).statusCode).toBe(404);
    // Keys of the other workspace are out of reach too.
    const otherKey = await createKey(inWorkspace(owner, other.id), { name: "Other's key" });
    expect((await call("DELETE", `/api-keys/${otherKey.id}`, withKey(key.secret))).statusCode).toBe(404);
    expect((await call("GET", "/members", withKey(otherKey.secret))).statusCode).toBe(200);
  });

  it("lets a viewer key read but not administer", async () => {
    const key = await createKey(owner, { name: "Read only", role: "viewer" });
    expect((await call("GET", "/members", withKey(key.secret))).statusCode).toBe(200);
    for (const [method, url, payload] of [
      ["GET", "/api-keys", undefined],
      ["GET", "/audit-events", undefined],
      ["GET", "/invitations", undefined],
      ["POST", "/invitations", { email: "someone@example.com", role: "viewer" }],
      ["PATCH", `/workspaces/${owner.workspaceId}`, { name: "Hijacked" }],
    ] as const) {
      const response = await call(method, url, withKey(key.secret), payload);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await call("GET", `/workspaces/${owner.workspaceId}`, owner.headers)).json().name).toBe("Acme");
  });

  it("never has more rights than its creator's role", async () => {
    const admin = await addMember(app, owner, "key-admin@example.com", "admin");
    const analyst = await addMember(app, owner, "key-analyst@example.com", "analyst");
    const tooMuch = await call("POST", "/api-keys", admin.headers, { name: "Owner key", role: "owner" });
    expect(tooMuch.statusCode).toBe(403);
    expect(
      (await call("POST", "/api-keys", analyst.headers, { name: "Mine", role: "viewer" })).statusCode,
    ).toBe(403);
    const keys = (await call("GET", "/api-keys", owner.headers)).json().items;
    expect(keys.map((key: { name: string }) => key.name)).not.toContain("Owner key");
    expect((await createKey(admin, { name: "Admin key", role: "admin" })).role).toBe("admin");
  });

  it("follows its creator: weaker when they are demoted, dead when they are removed", async () => {
    const admin = await addMember(app, owner, "key-creator@example.com", "admin");
    const key = await createKey(admin, { name: "Creator's key", role: "admin" });
    expect((await call("GET", "/api-keys", withKey(key.secret))).statusCode).toBe(200);

    expect(
      (await call("PATCH", `/members/${admin.user.id}`, owner.headers, { role: "viewer" })).statusCode,
    ).toBe(200);
    expect((await call("GET", "/api-keys", withKey(key.secret))).statusCode).toBe(403);
    expect((await call("GET", "/members", withKey(key.secret))).statusCode).toBe(200);
    expect((await call("GET", "/auth/me", withKey(key.secret))).json().role).toBe("viewer");

    expect(
      (await call("PATCH", `/members/${admin.user.id}`, owner.headers, { role: "admin" })).statusCode,
    ).toBe(200);
    expect((await call("GET", "/api-keys", withKey(key.secret))).statusCode).toBe(200);

    expect((await call("DELETE", `/members/${admin.user.id}`, owner.headers)).statusCode).toBe(204);
    const gone = await call("GET", "/members", withKey(key.secret));
    expect(gone.statusCode).toBe(401);
    expect(gone.json().code).toBe("invalid_api_key");
  });

  it("stops working the moment it is revoked", async () => {
    const key = await createKey(owner, { name: "Short-lived", role: "viewer" });
    expect((await call("GET", "/members", withKey(key.secret))).statusCode).toBe(200);
    expect((await call("DELETE", `/api-keys/${key.id}`, owner.headers)).statusCode).toBe(204);
    for (const headers of [withKey(key.secret), { authorization: `Bearer ${key.secret}` }]) {
      const refused = await call("GET", "/members", headers);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe("invalid_api_key");
    }
    expect((await listed(owner, key.id)).revokedAt).toBe(clock.now().toISOString());
    expect((await call("DELETE", `/api-keys/${key.id}`, owner.headers)).statusCode).toBe(404);
    expect((await call("DELETE", "/api-keys/not-an-id", owner.headers)).statusCode).toBe(404);
  });

  it("records when it was last used, at most once a minute", async () => {
    const key = await createKey(owner, { name: "Tracked", role: "viewer" });
    expect((await listed(owner, key.id)).lastUsedAt).toBeNull();
    const firstUse = clock.now().toISOString();
    await call("GET", "/members", withKey(key.secret));
    expect((await listed(owner, key.id)).lastUsedAt).toBe(firstUse);
    clock.advance(30_000);
    await call("GET", "/members", withKey(key.secret));
    expect((await listed(owner, key.id)).lastUsedAt).toBe(firstUse);
    clock.advance(31_000);
    await call("GET", "/members", withKey(key.secret));
    expect((await listed(owner, key.id)).lastUsedAt).toBe(clock.now().toISOString());
  });

  it("cannot create API keys or workspaces with an API key", async () => {
    const key = await createKey(owner, { name: "Automation", role: "owner" });
    const before = (await call("GET", "/api-keys?limit=200", owner.headers)).json().items.length;
    const nested = await call("POST", "/api-keys", withKey(key.secret), { name: "Nested", role: "viewer" });
    expect(nested.statusCode).toBe(403);
    expect((await call("GET", "/api-keys?limit=200", owner.headers)).json().items).toHaveLength(before);
    expect((await call("POST", "/workspaces", withKey(key.secret), { name: "By key" })).statusCode).toBe(403);
    expect((await call("DELETE", `/workspaces/${owner.workspaceId}`, withKey(key.secret))).statusCode).toBe(
      403,
    );
    // What it may do, it does: an owner key lists the keys.
    expect((await call("GET", "/api-keys", withKey(key.secret))).statusCode).toBe(200);
  });

  it("writes creation, revocation and the key's own actions to the audit log", async () => {
    const key = await createKey(owner, { name: "Audited", role: "admin" });
    const invited = await call("POST", "/invitations", withKey(key.secret, { "user-agent": "robot/2" }), {
      email: "by-key@example.com",
      role: "viewer",
    });
    expect(invited.statusCode).toBe(201);
    expect((await call("DELETE", `/api-keys/${key.id}`, owner.headers)).statusCode).toBe(204);

    const events = (await call("GET", `/audit-events?targetId=${key.id}`, owner.headers)).json().items;
    expect(events.map((event: { action: string }) => event.action).sort()).toEqual([
      "api_key.created",
      "api_key.revoked",
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        actor: { type: "user", id: owner.user.id },
        target: { type: "api_key", id: key.id, label: "Audited" },
      });
    }
    expect(events.find((event: { action: string }) => event.action === "api_key.created").metadata).toEqual({
      role: "admin",
      prefix: key.prefix.slice(3),
    });
    const byKey = (await call("GET", `/audit-events?actorId=${key.id}`, owner.headers)).json().items;
    expect(byKey).toEqual([
      expect.objectContaining({
        action: "member.invited",
        actor: { type: "api_key", id: key.id, label: `Audited (${key.prefix})` },
        userAgent: "robot/2",
      }),
    ]);
  });

  // Moves the clock on by days: last, so that no other test sees its sessions expire.
  it("expires after expiresInDays", async () => {
    const key = await createKey(owner, { name: "One day", role: "viewer", expiresInDays: 1 });
    expect((await listed(owner, key.id)).expiresAt).toBe(new Date(clock.now().getTime() + day).toISOString());
    clock.advance(day - 1_000);
    expect((await call("GET", "/members", withKey(key.secret))).statusCode).toBe(200);
    clock.advance(1_000);
    const expired = await call("GET", "/members", withKey(key.secret));
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe("invalid_api_key");
  });
});
