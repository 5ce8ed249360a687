import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { latestCode, latestMail, logIn, signUp, testPassword } from "../../../test/helpers/auth.js";
import { manualClock } from "../../platform/clock.js";

/** Register, verify, log in with codes, lockouts and password reset, on a clock the test moves. */
describe("sign-up and sign-in", () => {
  const clock = manualClock();
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => app?.dispose());

  const post = (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.http.inject({ method: "POST", url: `/api/v1${url}`, payload, headers });
  const register = (email: string, accountType = "personal") =>
    post("/auth/register", { email, password: testPassword, name: "Tess Example", accountType });
  const mailCount = async (to: string) => (await app.platform.mail.list({ limit: 200, to })).items.length;

  it("registers with a masked answer, an unverified user and a code e-mail in HTML and text", async () => {
    const response = await register("Tess@Example.com");
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      message: expect.stringContaining("te***@example.com"),
      email: "te***@example.com",
    });
    const mail = await latestMail(app, "tess@example.com", "auth.verification");
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.html).toContain(code);
    expect(mail.subject).toContain(code);
    expect(mail.text).toContain("10 minutes");

    const login = await post("/auth/login", { email: "tess@example.com", password: testPassword });
    expect(login.statusCode).toBe(403);
    expect(login.json().code).toBe("email_not_verified");
  });

  it("answers a duplicate sign-up the same way and tells the owner by e-mail", async () => {
    const owner = await signUp(app, "dup@example.com");
    const before = await mailCount("dup@example.com");
    const again = await post("/auth/register", {
      email: "DUP@example.com",
      password: "another password",
      name: "Someone Else",
      accountType: "business",
    });
    expect(again.statusCode).toBe(202);
    expect(Object.keys(again.json()).sort()).toEqual(["email", "message"]);
    expect(again.json().email).toBe("du***@example.com");
    expect(await mailCount("dup@example.com")).toBe(before + 1);
    const warning = await latestMail(app, "dup@example.com", "auth.duplicate_registration");
    expect(warning.text).toContain("tried to create a new Sightline account");
    // The original password still works; nothing was overwritten.
    expect((await logIn(app, "dup@example.com")).user.id).toBe(owner.user.id);
  });

  it("verifies with the code: tokens, the user's own workspace and a welcome e-mail", async () => {
    await register("vera@example.com");
    const code = await latestCode(app, "vera@example.com", "auth.verification");
    const response = await post("/auth/verify-registration", { email: "vera@example.com", code });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      tokenType: "Bearer",
      expiresIn: 900,
      user: { email: "vera@example.com", emailVerified: true },
    });
    expect(body.workspaces).toEqual([
      expect.objectContaining({ name: "Tess Example's workspace", role: "owner" }),
    ]);
    expect((await latestMail(app, "vera@example.com", "auth.welcome")).text).toContain(
      "Tess Example's workspace",
    );
    const me = await app.http.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(me.json()).toMatchObject({ user: { email: "vera@example.com" }, role: "owner", via: "session" });

    const reuse = await post("/auth/verify-registration", { email: "vera@example.com", code });
    expect(reuse.statusCode).toBe(409);
  });

  it("counts wrong codes, locks verification for 15 minutes after the third, and a new code works after", async () => {
    await register("wrong@example.com");
    const code = await latestCode(app, "wrong@example.com", "auth.verification");
    const wrong = code === "000000" ? "111111" : "000000";
    const first = await post("/auth/verify-registration", { email: "wrong@example.com", code: wrong });
    expect(first.statusCode).toBe(400);
    expect(first.json()).toMatchObject({ code: "invalid_code", attemptsLeft: 2 });
    expect(
      (await post("/auth/verify-registration", { email: "wrong@example.com", code: wrong })).json(),
    ).toMatchObject({ attemptsLeft: 1 });
    const third = await post("/auth/verify-registration", { email: "wrong@example.com", code: wrong });
    expect(third.statusCode).toBe(429);
    expect(third.json().code).toBe("verification_locked");
    expect(Number(third.headers["retry-after"])).toBe(900);
    // The right code no longer works: it was invalidated, and verification is locked.
    const right = await post("/auth/verify-registration", { email: "wrong@example.com", code });
    expect(right.statusCode).toBe(429);
    const resendLocked = await post("/auth/resend-otp", {
      email: "wrong@example.com",
      purpose: "registration",
    });
    expect(resendLocked.statusCode).toBe(429);

    clock.advance(15 * 60_000 + 1_000);
    expect((await post("/auth/verify-registration", { email: "wrong@example.com", code })).json().code).toBe(
      "invalid_code",
    );
    expect(
      (await post("/auth/resend-otp", { email: "wrong@example.com", purpose: "registration" })).statusCode,
    ).toBe(202);
    const fresh = await latestCode(app, "wrong@example.com", "auth.verification");
    expect(
      (await post("/auth/verify-registration", { email: "wrong@example.com", code: fresh })).statusCode,
    ).toBe(200);
  });

  it("expires a code after 10 minutes", async () => {
    await register("late@example.com");
    const code = await latestCode(app, "late@example.com", "auth.verification");
    clock.advance(10 * 60_000 + 1_000);
    const response = await post("/auth/verify-registration", { email: "late@example.com", code });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("code_expired");
  });

  it("resends a code at most once a minute, and the new code replaces the old", async () => {
    await register("resend@example.com");
    const old = await latestCode(app, "resend@example.com", "auth.verification");
    const soon = await post("/auth/resend-otp", { email: "resend@example.com", purpose: "registration" });
    expect(soon.statusCode).toBe(429);
    expect(soon.json().code).toBe("resend_cooldown");
    expect(Number(soon.headers["retry-after"])).toBeGreaterThan(0);
    clock.advance(61_000);
    expect(
      (await post("/auth/resend-otp", { email: "resend@example.com", purpose: "registration" })).statusCode,
    ).toBe(202);
    const fresh = await latestCode(app, "resend@example.com", "auth.verification");
    if (fresh !== old) {
      expect(
        (await post("/auth/verify-registration", { email: "resend@example.com", code: old })).statusCode,
      ).toBe(400);
    }
    expect(
      (await post("/auth/verify-registration", { email: "resend@example.com", code: fresh })).statusCode,
    ).toBe(200);
    // Unknown addresses get the same answer and no e-mail.
    const unknown = await post("/auth/resend-otp", { email: "nobody@example.com", purpose: "registration" });
    expect(unknown.statusCode).toBe(202);
    expect(await mailCount("nobody@example.com")).toBe(0);
  });

  it("never sends a login code that no password asked for", async () => {
    await signUp(app, "quiet@example.com");
    clock.advance(61_000);
    const before = await mailCount("quiet@example.com");
    expect(
      (await post("/auth/resend-otp", { email: "quiet@example.com", purpose: "login" })).statusCode,
    ).toBe(202);
    expect(await mailCount("quiet@example.com")).toBe(before);
  });

  it("asks a personal account for a code, trusts the device on request, then signs in without one", async () => {
    await signUp(app, "pat@example.com");
    const login = await post("/auth/login", { email: "pat@example.com", password: testPassword });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toEqual({
      codeRequired: true,
      message: expect.any(String),
      maskedEmail: "pa***@example.com",
    });
    expect(login.json()).not.toHaveProperty("accessToken");
    const code = await latestCode(app, "pat@example.com", "auth.login_code");
    const verified = await post(
      "/auth/verify-login",
      { email: "pat@example.com", code, trustDevice: true },
      {
        "user-agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
      },
    );
    expect(verified.statusCode).toBe(200);
    const device = verified.cookies.find((cookie) => cookie.name === "sl_device");
    expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    expect(device?.maxAge).toBe(30 * 24 * 60 * 60);

    const again = await post(
      "/auth/login",
      { email: "pat@example.com", password: testPassword },
      { cookie: `sl_device=${device?.value}` },
    );
    expect(again.json()).toMatchObject({
      codeRequired: false,
      tokenType: "Bearer",
      user: { email: "pat@example.com" },
    });

    const devices = await app.http.inject({
      method: "GET",
      url: "/api/v1/auth/devices",
      headers: { authorization: `Bearer ${again.json().accessToken}`, cookie: `sl_device=${device?.value}` },
    });
    expect(devices.json().items).toEqual([
      expect.objectContaining({ name: "Chrome on Linux", current: true, ip: expect.any(String) }),
    ]);

    // A forged or tampered cookie is not trusted.
    const forged = await post(
      "/auth/login",
      { email: "pat@example.com", password: testPassword },
      { cookie: `sl_device=${device?.value.replace(/.$/, (c) => (c === "A" ? "B" : "A"))}` },
    );
    expect(forged.json().codeRequired).toBe(true);

    // 30 days later the device must prove itself again.
    clock.advance(30 * 24 * 60 * 60_000 + 1_000);
    const expired = await post(
      "/auth/login",
      { email: "pat@example.com", password: testPassword },
      { cookie: `sl_device=${device?.value}` },
    );
    expect(expired.json().codeRequired).toBe(true);
  });

  it("always asks a business account for a code, even on a trusted device", async () => {
    await signUp(app, "biz@example.com", { accountType: "business" });
    const login = await post("/auth/login", { email: "biz@example.com", password: testPassword });
    const code = await latestCode(app, "biz@example.com", "auth.login_code");
    const verified = await post("/auth/verify-login", { email: "biz@example.com", code, trustDevice: true });
    expect(login.json().codeRequired).toBe(true);
    expect(verified.statusCode).toBe(200);
    // Trusting would change nothing for a business account, so no device is recorded.
    expect(verified.cookies.find((cookie) => cookie.name === "sl_device")).toBeUndefined();
    const devices = await app.http.inject({
      method: "GET",
      url: "/api/v1/auth/devices",
      headers: { authorization: `Bearer ${verified.json().accessToken}` },
    });
    expect(devices.json().items).toEqual([]);
    const again = await post("/auth/login", { email: "biz@example.com", password: testPassword });
    expect(again.json().codeRequired).toBe(true);
  });

  it("refuses an unknown address and a wrong password alike", async () => {
    const unknown = await post("/auth/login", { email: "ghost@example.com", password: testPassword });
    await signUp(app, "known@example.com");
    const wrong = await post("/auth/login", { email: "known@example.com", password: "not the password" });
    for (const response of [unknown, wrong]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({
        code: "invalid_credentials",
        detail: "Wrong e-mail address or password",
      });
    }
  });

  it("locks the account for 15 minutes after 5 wrong passwords in a row and tells the owner", async () => {
    await signUp(app, "lock@example.com");
    const attempt = (password: string) => post("/auth/login", { email: "lock@example.com", password });
    for (let i = 0; i < 4; i++) expect((await attempt("wrong password")).statusCode).toBe(401);
    const fifth = await attempt("wrong password");
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ code: "account_locked", retryAfter: 900 });
    expect((await latestMail(app, "lock@example.com", "auth.lockout")).text).toContain("15 minutes");

    const right = await attempt(testPassword);
    expect(right.statusCode).toBe(423);
    expect(Number(right.headers["retry-after"])).toBeLessThanOrEqual(900);

    clock.advance(15 * 60_000 + 1_000);
    expect((await attempt(testPassword)).json().codeRequired).toBe(true);
  });

  it("resets the count of wrong passwords after a right one", async () => {
    await signUp(app, "streak@example.com");
    const attempt = (password: string) => post("/auth/login", { email: "streak@example.com", password });
    for (let i = 0; i < 4; i++) await attempt("wrong password");
    expect((await attempt(testPassword)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt("wrong password")).statusCode).toBe(401);
  });

  it("resets the password with an e-mailed code and signs out every session and device", async () => {
    const first = await signUp(app, "reset@example.com");
    const login = await post("/auth/login", { email: "reset@example.com", password: testPassword });
    expect(login.json().codeRequired).toBe(true);
    const trusted = await post("/auth/verify-login", {
      email: "reset@example.com",
      code: await latestCode(app, "reset@example.com", "auth.login_code"),
      trustDevice: true,
    });
    const device = trusted.cookies.find((cookie) => cookie.name === "sl_device")?.value;

    const unknown = await post("/auth/password-reset/request", { email: "nobody-here@example.com" });
    const request = await post("/auth/password-reset/request", { email: "reset@example.com" });
    expect(request.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(Object.keys(unknown.json())).toEqual(Object.keys(request.json()));
    const code = await latestCode(app, "reset@example.com", "auth.password_reset");
    const weak = await post("/auth/password-reset/confirm", {
      email: "reset@example.com",
      code,
      password: "short",
    });
    expect(weak.statusCode).toBe(400);
    const confirm = await post("/auth/password-reset/confirm", {
      email: "reset@example.com",
      code,
      password: "a brand new password",
    });
    expect(confirm.statusCode).toBe(200);
    expect((await latestMail(app, "reset@example.com", "auth.password_changed")).subject).toContain(
      "changed",
    );

    const old = await app.http.inject({ method: "GET", url: "/api/v1/auth/me", headers: first.headers });
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe("session_revoked");
    expect((await post("/auth/refresh", { refreshToken: first.refreshToken })).statusCode).toBe(401);
    expect(
      (await post("/auth/login", { email: "reset@example.com", password: testPassword })).statusCode,
    ).toBe(401);
    const fresh = await post(
      "/auth/login",
      { email: "reset@example.com", password: "a brand new password" },
      { cookie: `sl_device=${device}` },
    );
    expect(fresh.json().codeRequired).toBe(true);
  });

  it("validates input with field-level problems", async () => {
    const response = await post("/auth/register", {
      email: "not-an-email",
      password: "short",
      name: "",
      accountType: "x",
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const paths = response.json().errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining(["body.email", "body.password", "body.name", "body.accountType"]),
    );
    const badCode = await post("/auth/verify-login", { email: "a@example.com", code: "12ab56" });
    expect(badCode.json().errors[0].path).toBe("body.code");
  });
});
