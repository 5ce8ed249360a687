import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { latestCode, signUp, testPassword } from "./helpers/auth.js";
import { createTestDatabase, hasPostgres, hasRedis, redisTestUrl, uniquePrefix } from "./helpers/services.js";

const postgres = await hasPostgres();
const redis = await hasRedis();

/** The identity rules that lean on the database and Redis, against the real servers. */
describe.skipIf(!postgres)("identity on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createTestApp({ env: { DATABASE_URL: database.url } });
  });
  afterAll(async () => {
    await app?.dispose();
    await database?.drop();
  });

  it("lets exactly one of two simultaneous set-ups create the first account", async () => {
    const setUp = (email: string) =>
      app.http.inject({
        method: "POST",
        url: "/api/v1/setup",
        payload: { email, password: testPassword, name: email.split("@")[0] },
      });
    const answers = await Promise.all([setUp("first@example.com"), setUp("second@example.com")]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
  });

  it("accepts a code once when it is used twice at the same moment", async () => {
    await app.http.inject({
      method: "POST",
      url: "/api/v1/auth/register",
      payload: { email: "race@example.com", password: testPassword, name: "Race", accountType: "personal" },
    });
    const code = await latestCode(app, "race@example.com", "auth.verification");
    const verify = () =>
      app.http.inject({
        method: "POST",
        url: "/api/v1/auth/verify-registration",
        payload: { email: "race@example.com", code },
      });
    const answers = await Promise.all([verify(), verify()]);
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(1);
  });

  it("rotates a refresh token once when it is presented twice at the same moment, and revokes the family", async () => {
    const session = await signUp(app, "twice@example.com");
    const refresh = () =>
      app.http.inject({
        method: "POST",
        url: "/api/v1/auth/refresh",
        payload: { refreshToken: session.refreshToken },
      });
    const answers = await Promise.all([refresh(), refresh()]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 401]);
    const winner = answers.find((answer) => answer.statusCode === 200)?.json();
    const me = await app.http.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${winner.accessToken}` },
    });
    expect(me.statusCode).toBe(401);
  });
});

describe.skipIf(!redis)("auth rate limits through Redis", () => {
  it("counts attempts from every process together", async () => {
    // Two app instances share one Redis: their counts add up, as separate processes' would.
    const env = { REDIS_URL: redisTestUrl, AUTH_RATE_LIMIT_ACCOUNT: "3", AUTH_RATE_LIMIT_IP: "1000" };
    const [one, two] = await Promise.all([createTestApp({ env }), createTestApp({ env })]);
    try {
      const email = `${uniquePrefix("limit")}@example.com`;
      const login = (app: TestApp) =>
        app.http.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { email, password: "wrong password" },
        });
      const statuses = [
        (await login(one)).statusCode,
        (await login(two)).statusCode,
        (await login(one)).statusCode,
        (await login(two)).statusCode,
      ];
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await Promise.all([one.dispose(), two.dispose()]);
    }
  });
});
