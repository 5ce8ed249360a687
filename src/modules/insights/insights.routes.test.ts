import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { loadCsv } from "../../../test/helpers/ask.js";
import { signUp, type TestSession } from "../../../test/helpers/auth.js";

const monthly = [
  "month,revenue,orders",
  ...Array.from({ length: 24 }, (_, at) => {
    const revenue = 500 + 25 * at + (at % 3) * 7;
    return `${2023 + Math.floor(at / 12)}-${String(1 + (at % 12)).padStart(2, "0")}-01,${revenue},${Math.round(revenue / 5)}`;
  }),
].join("\n");

describe("insights API", () => {
  let app: TestApp;
  let ann: TestSession;
  let ben: TestSession;

  beforeAll(async () => {
    app = await createTestApp();
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
    await loadCsv(app, ann, "monthly.csv", monthly);
  });
  afterAll(async () => {
    await app?.dispose();
  });

  const post = (as: TestSession, payload: object) =>
    app.http.inject({ method: "POST", url: "/api/v1/insights", headers: as.headers, payload });

  it("finds the trend, a forecast and the correlation of a table", async () => {
    const response = await post(ann, { table: "monthly" });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.rows).toBe(24);
    const trend = body.items.find(
      (item: { kind: string; title: string }) => item.kind === "trend" && item.title === "Trend of revenue",
    );
    expect(trend.sentence).toMatch(/^revenue is increasing over 24 months/);
    expect(body.items.map((item: { kind: string }) => item.kind)).toEqual(
      expect.arrayContaining(["summary", "forecast", "correlation"]),
    );
  });

  it("analyses a query's result, refuses a write, and sees only its own workspace's tables", async () => {
    const result = await post(ann, { sql: "select month, revenue from monthly where month >= '2024-01-01'" });
    expect(result.statusCode).toBe(200);
    expect(result.json().rows).toBe(12);
    expect((await post(ann, { sql: "delete from monthly" })).statusCode).toBe(400);
    expect((await post(ann, { sql: "select 1", table: "monthly" })).statusCode).toBe(400);
    const other = await post(ben, { table: "monthly" });
    expect(other.statusCode).toBe(400);
    expect(other.json().detail).toMatch(/monthly/);
  });
});
