import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { latestCode, logIn, setUpOwner, signUp, testPassword } from "../../../test/helpers/auth.js";
import { manualClock } from "../../platform/clock.js";

type Cookies = { name: string; value: string }[];
const jar = (cookies: Cookies) => cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");

describe("sessions, tokens and cookies", () => {
  const clock = manualClock();
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => app?.dispose());

  const post = (url: string, payload?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.http.inject({ method: "POST", url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  const me = (headers: Record<string, string>) =>
    app.http.inject({ method: "GET", url: "/api/v1/auth/me", headers });

  it("sets up the first account once: owner, instance admin, trusted browser", async () => {
    expect((await app.http.inject({ method: "GET", url: "/api/v1/setup" })).json()).toEqual({
      needsSetup: true,
      signupEnabled: true,
      demo: null,
    });
    const owner = await setUpOwner(app);
    expect(owner.user.instanceAdmin).toBe(true);
    expect((await app.http.inject({ method: "GET", url: "/api/v1/setup" })).json().needsSetup).toBe(false);
    const again = await post("/setup", {
      email: "second@example.com",
      password: testPassword,
      name: "Second",
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("already_set_up");
  });

  it("expires the access token after 15 minutes; the refresh token rotates", async () => {
    const session = await signUp(app, "rota@example.com");
    expect((await me(session.headers)).statusCode).toBe(200);
    clock.advance(15 * 60_000 + 1_000);
    const expired = await me(session.headers);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe("token_expired");

    const refreshed = await post("/auth/refresh", { refreshToken: session.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    const next = refreshed.json();
    expect(next.refreshToken).not.toBe(session.refreshToken);
    expect((await me({ authorization: `Bearer ${next.accessToken}` })).statusCode).toBe(200);
  });

  it("revokes the whole family when a rotated refresh token is used again", async () => {
    const session = await signUp(app, "reuse@example.com");
    const second = (await post("/auth/refresh", { refreshToken: session.refreshToken })).json();
    const third = (await post("/auth/refresh", { refreshToken: second.refreshToken })).json();
    expect((await me({ authorization: `Bearer ${third.accessToken}` })).statusCode).toBe(200);

    // A thief replays the first token: the session ends for everyone holding its tokens.
    const replay = await post("/auth/refresh", { refreshToken: session.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe("invalid_refresh_token");
    expect((await post("/auth/refresh", { refreshToken: third.refreshToken })).statusCode).toBe(401);
    const revoked = await me({ authorization: `Bearer ${third.accessToken}` });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe("session_revoked");

    // Other sessions of the same user are untouched.
    const other = await logIn(app, "reuse@example.com");
    expect((await me(other.headers)).statusCode).toBe(200);
  });

  it("expires refresh tokens after 30 days", async () => {
    const session = await signUp(app, "month@example.com");
    clock.advance(30 * 24 * 60 * 60_000 + 1_000);
    expect((await post("/auth/refresh", { refreshToken: session.refreshToken })).statusCode).toBe(401);
  });

  it("logs out: the refresh token and the access token stop working", async () => {
    const session = await signUp(app, "bye@example.com");
    expect((await post("/auth/logout", { refreshToken: session.refreshToken })).statusCode).toBe(204);
    expect((await post("/auth/refresh", { refreshToken: session.refreshToken })).statusCode).toBe(401);
    expect((await me(session.headers)).statusCode).toBe(401);
  });

  it("answers /auth/me with a 404 for a workspace that is not yours, and null when you have none", async () => {
    const loner = await signUp(app, "loner@example.com");
    const other = await signUp(app, "other-owner@example.com");
    const foreign = await me({ ...loner.headers, "x-workspace-id": other.workspaceId });
    expect(foreign.statusCode).toBe(404);
    await app.http.inject({
      method: "DELETE",
      url: `/api/v1/workspaces/${loner.workspaceId}`,
      headers: loner.headers,
    });
    const none = await me({ authorization: loner.headers.authorization ?? "" });
    expect(none.json()).toMatchObject({ currentWorkspaceId: null, role: null, workspaces: [] });
  });

  it("refuses tokens that are forged, malformed or of the wrong kind", async () => {
    const session = await signUp(app, "forge@example.com");
    const [head, body] = session.accessToken.split(".");
    for (const authorization of [
      `Bearer ${head}.${body}.c2lnbmF0dXJl`,
      "Bearer not-a-token",
      `Basic ${Buffer.from("a:b").toString("base64")}`,
      `Bearer ${session.refreshToken}`,
    ]) {
      const response = await me({ authorization });
      expect(response.statusCode).toBe(401);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
    expect((await me({})).json().code).toBe("unauthorized");
  });

  it("gives the web app HttpOnly cookies and demands the CSRF token on changes", async () => {
    await signUp(app, "web@example.com");
    const login = await post(
      "/auth/login",
      { email: "web@example.com", password: testPassword },
      { "x-sightline-client": "web" },
    );
    expect(login.cookies).toEqual([]);
    const verified = await post(
      "/auth/verify-login",
      { email: "web@example.com", code: await latestCode(app, "web@example.com", "auth.login_code") },
      { "x-sightline-client": "web" },
    );
    const cookies = verified.cookies as (Cookies[number] & {
      httpOnly?: boolean;
      sameSite?: string;
      path?: string;
    })[];
    const byName = Object.fromEntries(cookies.map((cookie) => [cookie.name, cookie]));
    expect(byName.sl_access).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/api" });
    expect(byName.sl_refresh).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/v1/auth" });
    expect(byName.sl_csrf?.httpOnly).toBeFalsy();
    const cookie = jar(cookies);
    const csrf = byName.sl_csrf?.value ?? "";

    expect((await me({ cookie })).statusCode).toBe(200);
    const create = (headers: Record<string, string>) =>
      app.http.inject({
        method: "POST",
        url: "/api/v1/workspaces",
        payload: { name: "Side project" },
        headers,
      });
    const withoutToken = await create({ cookie });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json().code).toBe("csrf_failed");
    expect((await create({ cookie, "x-csrf-token": "guess" })).statusCode).toBe(403);
    expect((await create({ cookie, "x-csrf-token": csrf })).statusCode).toBe(201);

    // Refresh by cookie also needs the token; the rotated cookies replace the old ones.
    const noToken = await post("/auth/refresh", undefined, { cookie, "x-sightline-client": "web" });
    expect(noToken.json()).toMatchObject({ status: 403, code: "csrf_failed" });
    const refreshed = await post("/auth/refresh", undefined, {
      cookie,
      "x-csrf-token": csrf,
      "x-sightline-client": "web",
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.cookies.map((entry: { name: string }) => entry.name).sort()).toEqual([
      "sl_access",
      "sl_csrf",
      "sl_refresh",
    ]);
    const out = await post("/auth/logout", undefined, {
      cookie: jar(refreshed.cookies),
      "x-csrf-token":
        refreshed.cookies.find((entry: { name: string }) => entry.name === "sl_csrf")?.value ?? "",
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((entry: { name: string }) => entry.name === "sl_access")?.value).toBe("");
  });

  it("keeps API keys out of a person's own account routes", async () => {
    const person = await signUp(app, "keyholder@example.com");
    const key = (
      await app.http.inject({
        method: "POST",
        url: "/api/v1/api-keys",
        headers: person.headers,
        payload: { name: "script", role: "owner" },
      })
    ).json().secret;
    const headers = { "x-api-key": key };
    const devices = await app.http.inject({ method: "GET", url: "/api/v1/auth/devices", headers });
    const accept = await app.http.inject({
      method: "POST",
      url: "/api/v1/invitations/accept",
      headers,
      payload: { token: "whatever-token" },
    });
    const create = await app.http.inject({
      method: "POST",
      url: "/api/v1/workspaces",
      headers,
      payload: { name: "By key" },
    });
    for (const response of [devices, accept, create]) expect(response.statusCode).toBe(403);
    expect((await app.http.inject({ method: "GET", url: "/api/v1/members", headers })).statusCode).toBe(200);
  });

  it("lists and revokes trusted devices; another user's device is a 404", async () => {
    const owner = await signUp(app, "devices@example.com");
    const trusted = await post("/auth/login", { email: "devices@example.com", password: testPassword });
    expect(trusted.json().codeRequired).toBe(true);
    const verified = await post("/auth/verify-login", {
      email: "devices@example.com",
      code: await latestCode(app, "devices@example.com", "auth.login_code"),
      trustDevice: true,
    });
    const deviceCookie = verified.cookies.find(
      (cookie: { name: string }) => cookie.name === "sl_device",
    )?.value;
    const list = await app.http.inject({
      method: "GET",
      url: "/api/v1/auth/devices",
      headers: owner.headers,
    });
    const [device] = list.json().items;
    expect(device).toMatchObject({ current: false, name: "Unknown device" });

    const stranger = await signUp(app, "stranger@example.com");
    const foreign = await app.http.inject({
      method: "DELETE",
      url: `/api/v1/auth/devices/${device.id}`,
      headers: stranger.headers,
    });
    expect(foreign.statusCode).toBe(404);

    const revoke = await app.http.inject({
      method: "DELETE",
      url: `/api/v1/auth/devices/${device.id}`,
      headers: owner.headers,
    });
    expect(revoke.statusCode).toBe(204);
    const after = await post(
      "/auth/login",
      { email: "devices@example.com", password: testPassword },
      { cookie: `sl_device=${deviceCookie}` },
    );
    expect(after.json().codeRequired).toBe(true);
  });
});

describe("server policies", () => {
  it("closes sign-up when SIGNUP_ENABLED=false", async () => {
    const app = await createTestApp({ env: { SIGNUP_ENABLED: "false" } });
    try {
      const response = await app.http.inject({
        method: "POST",
        url: "/api/v1/auth/register",
        payload: { email: "closed@example.com", password: testPassword, name: "C", accountType: "personal" },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe("signup_disabled");
    } finally {
      await app.dispose();
    }
  });

  it("rate-limits each auth endpoint per account and per IP", async () => {
    const app = await createTestApp({ env: { AUTH_RATE_LIMIT_ACCOUNT: "3", AUTH_RATE_LIMIT_IP: "5" } });
    try {
      const login = (email: string, ip: string) =>
        app.http.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { email, password: "wrong password" },
          remoteAddress: ip,
        });
      const statuses = [];
      for (const ip of ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]) {
        statuses.push((await login("target@example.com", ip)).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await login("target@example.com", "10.0.0.9");
      expect(limited.json().code).toBe("rate_limited");
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);

      const fromOneIp = [];
      for (let i = 0; i < 6; i++)
        fromOneIp.push((await login(`spray${i}@example.com`, "10.9.9.9")).statusCode);
      expect(fromOneIp).toEqual([401, 401, 401, 401, 401, 429]);
      // Other endpoints count separately.
      const reset = await app.http.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset/request",
        payload: { email: "spray0@example.com" },
        remoteAddress: "10.9.9.9",
      });
      expect(reset.statusCode).toBe(202);
    } finally {
      await app.dispose();
    }
  });

  it("creates the labelled demo workspace, shows its sign-in, and lets it in without a code", async () => {
    const app = await createTestApp({ env: { DEMO: "true" } });
    try {
      const setup = (await app.http.inject({ method: "GET", url: "/api/v1/setup" })).json();
      expect(setup.demo).toEqual({ email: "demo@sightline.local", password: "sightline-demo" });
      const login = await app.http.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: setup.demo,
      });
      expect(login.json()).toMatchObject({
        codeRequired: false,
        user: { isDemo: true },
        workspaces: [{ name: "Demo workspace (sample data)", isDemo: true, role: "owner" }],
      });
      // Starting again does not create a second demo.
      await app.modules.find((module) => module.name === "auth")?.start?.();
      const members = await app.http.inject({
        method: "GET",
        url: "/api/v1/members",
        headers: { authorization: `Bearer ${login.json().accessToken}` },
      });
      expect(members.json().items).toHaveLength(1);
      // Its sign-in is public, so nobody may delete it for everyone else.
      const workspaceId = login.json().workspaces[0].id;
      const remove = await app.http.inject({
        method: "DELETE",
        url: `/api/v1/workspaces/${workspaceId}`,
        headers: { authorization: `Bearer ${login.json().accessToken}` },
      });
      expect(remove.statusCode).toBe(409);
      expect(remove.json().code).toBe("demo_workspace");
    } finally {
      await app.dispose();
    }
  });
});
