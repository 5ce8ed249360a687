import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { setUpOwner, signUp } from "../../../test/helpers/auth.js";

const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("outbox routes", () => {
  let app: TestApp;
  let operator: Record<string, string>;

  beforeAll(async () => {
    app = await createTestApp();
    operator = (await setUpOwner(app, "operator@ops.example")).headers;
  });
  afterAll(async () => {
    await app?.dispose();
  });

  const get = (url: string) => app.http.inject({ method: "GET", url, headers: operator });
  const sendTest = (payload: unknown) =>
    app.http.inject({
      method: "POST",
      url: "/api/v1/outbox/test",
      headers: operator,
      payload: payload as Record<string, unknown>,
    });

  it("hides the outbox, which holds sign-in codes, from everyone but instance admins", async () => {
    const member = await signUp(app, "member@members.example");
    const code = (await app.platform.mail.list({ limit: 1, to: "member@members.example" })).items[0];
    expect((await app.http.inject({ method: "GET", url: "/api/v1/outbox" })).statusCode).toBe(401);
    for (const url of ["/api/v1/outbox", `/api/v1/outbox/${code?.id}`]) {
      const response = await app.http.inject({ method: "GET", url, headers: member.headers });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it("sends a test e-mail, lists it and reads it back in full", async () => {
    const sent = await sendTest({ to: "ops@example.com" });
    expect(sent.statusCode).toBe(201);
    const record = sent.json();
    expect(record).toMatchObject({
      transport: "outbox",
      status: "stored",
      to: ["ops@example.com"],
      subject: "Sightline test e-mail",
      template: "test",
      error: null,
    });
    expect(record.createdAt).toMatch(iso);
    expect(record.sentAt).toMatch(iso);
    expect(record.html).toContain("Your Sightline e-mail works");

    const list = await get("/api/v1/outbox?to=OPS@example");
    expect(list.statusCode).toBe(200);
    const page = list.json();
    expect(page.items.map((item: { id: string }) => item.id)).toEqual([record.id]);
    expect(page.items[0]).not.toHaveProperty("html");
    expect(page.nextCursor).toBeNull();

    const one = await get(`/api/v1/outbox/${record.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(record);
    expect(one.json().text).toContain("keeps e-mail in its outbox");
  });

  it("pages through the outbox newest first with a cursor", async () => {
    await sendTest({ to: "page-a@example.com" });
    await sendTest({ to: "page-b@example.com" });
    const first = (await get("/api/v1/outbox?limit=1&to=page-")).json();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(`/api/v1/outbox?limit=1&to=page-&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const recipients = [...first.items, ...second.items].map((item: { to: string[] }) => item.to[0]);
    expect(new Set(recipients)).toEqual(new Set(["page-a@example.com", "page-b@example.com"]));
    expect(first.items[0].createdAt >= second.items[0].createdAt).toBe(true);
  });

  it("answers an unknown id with a 404 problem", async () => {
    for (const id of ["6f1c2a9e-1d3b-4c8e-9a57-2b0f4e7d8c11", "not-a-message"]) {
      const response = await get(`/api/v1/outbox/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 404, code: "not_found" });
    }
  });

  it.each([
    ["no recipient", {}],
    ["a malformed address", { to: "not an address" }],
    ["two addresses", { to: "a@example.com, b@example.com" }],
  ])("refuses a body with %s", async (_case, body) => {
    const response = await sendTest(body);
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.json().errors).toEqual([expect.objectContaining({ path: "body.to" })]);
  });

  it("refuses a bad page size and a forged cursor", async () => {
    expect((await get("/api/v1/outbox?limit=0")).statusCode).toBe(400);
    const forged = await get("/api/v1/outbox?cursor=bm9wZQ");
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: "invalid" });
  });

  it("documents the routes in the OpenAPI document", async () => {
    const document = (await get("/openapi.json")).json();
    expect(document.paths["/api/v1/outbox"].get.operationId).toBe("listOutbox");
    expect(document.paths["/api/v1/outbox/{id}"].get.operationId).toBe("getOutboxMessage");
    expect(document.paths["/api/v1/outbox/test"].post.operationId).toBe("sendTestEmail");
  });
});
