import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { answers } from "../src/modules/ask/ask.tables.js";
import { charts } from "../src/modules/charts/charts.tables.js";
import { createModules } from "../src/modules/index.js";
import { relationships } from "../src/modules/sources/sources.tables.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import {
  addMember,
  latestCode,
  multipartFile,
  setUpOwner,
  signUp,
  type TestSession,
  testPassword,
} from "./helpers/auth.js";

/**
 * The tenancy sweep: every route of the OpenAPI document that names an object in its path is
 * called by a member of workspace B with an object of workspace A, and must answer 404 — never
 * the object, never a 403 that confirms it exists. A route added without a fixture here fails
 * the sweep, so the sweep grows with the API.
 */
describe("tenancy sweep", () => {
  let app: TestApp;
  let alice: TestSession; // owner of workspace A
  let bob: TestSession; // owner of workspace B, never a member of A
  const a: Record<string, string> = {};

  beforeAll(async () => {
    app = await createTestApp({
      modules: (platform) => [
        ...createModules(platform),
        { name: "sweep", jobs: [{ name: "sweep.noop", payload: z.object({}), handler: async () => ({}) }] },
      ],
    });
    const operator = await setUpOwner(app, "operator@example.com");
    alice = await signUp(app, "alice@example.com");
    bob = await signUp(app, "bob@example.com");
    const carol = await signUp(app, "carol@example.com");
    await addMember(app, alice, alice.workspaceId, carol, "analyst");

    const inA = (method: "POST" | "GET", url: string, payload?: Record<string, unknown>) =>
      app.http.inject({
        method,
        url: `/api/v1${url}`,
        headers: alice.headers,
        ...(payload ? { payload } : {}),
      });
    a.workspace = alice.workspaceId;
    a.member = carol.user.id;
    a.invitation = (
      await inA("POST", "/invitations", { email: "dave@example.com", role: "viewer" })
    ).json().id;
    a.apiKey = (await inA("POST", "/api-keys", { name: "A's key", role: "viewer" })).json().id;
    const file = await multipartFile("file", "a-orders.csv", "id,amount\n1,10\n");
    a.source = (
      await app.http.inject({
        method: "POST",
        url: "/api/v1/sources",
        headers: { ...alice.headers, ...file.headers },
        payload: file.payload,
      })
    ).json().id;
    // Workers do not run here, so A's tables never load: its relationship is written directly.
    const [relationship] = await app.platform.database.db
      .insert(relationships)
      .values({
        workspaceId: alice.workspaceId,
        fromTable: "a_orders",
        fromColumn: "id",
        toTable: "a_customers",
        toColumn: "id",
        origin: "manual",
        createdAt: new Date(),
        updatedAt: new Date(),
      })
      .returning();
    a.relationship = relationship?.id ?? "";
    await app.http.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "alice@example.com", password: testPassword },
    });
    await app.http.inject({
      method: "POST",
      url: "/api/v1/auth/verify-login",
      payload: {
        email: "alice@example.com",
        code: await latestCode(app, "alice@example.com", "auth.login_code"),
        trustDevice: true,
      },
    });
    a.conversation = (await inA("POST", "/conversations", { title: "A's conversation" })).json().id;
    // A's tables never load here, so its answered question is written directly too.
    const [answer] = await app.platform.database.db
      .insert(answers)
      .values({
        workspaceId: alice.workspaceId,
        conversationId: a.conversation ?? "",
        userId: alice.user.id,
        question: "A's question",
        createdAt: new Date(),
      })
      .returning();
    a.answer = answer?.id ?? "";
    a.query = (await inA("POST", "/queries", { question: "A's question", sql: "select 1 as one" })).json().id;
    // A chart is saved once its query runs, and A's tables never load here: written directly.
    const [chart] = await app.platform.database.db
      .insert(charts)
      .values({
        workspaceId: alice.workspaceId,
        title: "A's chart",
        spec: { type: "table" },
        sql: "select 1 as one",
        createdBy: alice.user.id,
        createdAt: new Date(),
        updatedAt: new Date(),
      })
      .returning();
    a.chart = chart?.id ?? "";
    a.dashboard = (await inA("POST", "/dashboards", { title: "A's dashboard" })).json().id;
    a.draft = (
      await inA("POST", "/send-messages", {
        user: "alice@example.com",
        messages: [
          { sender: "c@example.com", role: "client", content: "Hello?", sentAt: "2026-01-01T00:00:00Z" },
        ],
      })
    ).json().draftId;
    const alert = await inA("POST", "/alerts", {
      name: "A's alert",
      question: "One",
      sql: "select 1 as one",
      condition: { kind: "has_rows" },
      cron: "daily",
    });
    a.alert = alert.json().id;
    a.subscription = (
      await inA("POST", "/subscriptions", {
        name: "A's report",
        target: { kind: "query", title: "One", sql: "select 1 as one" },
        format: "csv",
        cron: "daily",
      })
    ).json().id;
    a.widget = (
      await inA("POST", `/dashboards/${a.dashboard}/widgets`, { kind: "markdown", markdown: "A's note" })
    ).json().id;
    a.device = (
      await app.http.inject({ method: "GET", url: "/api/v1/auth/devices", headers: alice.headers })
    ).json().items[0].id;
    // Operator objects: they belong to no workspace, and only instance admins may see them.
    a.job = (await app.platform.jobs.enqueue("sweep.noop", {})).id;
    a.mail = (await app.platform.mail.list({ limit: 1 })).items[0]?.id ?? "";
    a.schedule = (
      await app.platform.jobs.schedules.upsert({
        name: "sweep-schedule",
        jobName: "sweep.noop",
        cron: "@daily",
        payload: {},
      })
    ).name;
    for (const [name, id] of Object.entries(a)) expect(id, name).toBeTruthy();
    void operator;
  });
  afterAll(async () => app?.dispose());

  /** The object(s) of workspace A each parameterised route is called with, and a valid body. */
  const fixtures: Record<
    string,
    { id: () => string | string[]; body?: Record<string, unknown>; query?: string }
  > = {
    "/api/v1/workspaces/{id}": { id: () => a.workspace ?? "", body: { name: "Taken over" } },
    "/api/v1/members/{userId}": { id: () => a.member ?? "", body: { role: "viewer" } },
    "/api/v1/invitations/{id}": { id: () => a.invitation ?? "" },
    "/api/v1/invitations/{id}/resend": { id: () => a.invitation ?? "" },
    "/api/v1/api-keys/{id}": { id: () => a.apiKey ?? "" },
    "/api/v1/auth/devices/{id}": { id: () => a.device ?? "" },
    "/api/v1/sources/{id}": { id: () => a.source ?? "" },
    "/api/v1/sources/{id}/preview": { id: () => a.source ?? "" },
    "/api/v1/sources/{id}/profile": { id: () => a.source ?? "" },
    "/api/v1/relationships/{id}": { id: () => a.relationship ?? "", body: { status: "dismissed" } },
    "/api/v1/sources/{id}/test": { id: () => a.source ?? "" },
    "/api/v1/sources/{id}/schema": { id: () => a.source ?? "" },
    "/api/v1/sources/{id}/refresh": { id: () => a.source ?? "" },
    "/api/v1/sources/{id}/quarantine": { id: () => a.source ?? "" },
    "/api/v1/sources/{id}/upload": { id: () => a.source ?? "" },
    // Running queries are forgotten when they end; B cancelling any id of A's answers 404.
    "/api/v1/sql/{queryId}": { id: () => "6f1f9a44-8d1e-4c47-9a57-3b0f3f0d8c21" },
    "/api/v1/conversations/{id}": { id: () => a.conversation ?? "", body: { title: "Taken over" } },
    "/api/v1/conversations/{id}/answers/{answerId}": {
      id: () => [a.conversation ?? "", a.answer ?? ""],
      body: { sql: "select 1 as one" },
    },
    "/api/v1/queries/{id}": { id: () => a.query ?? "", body: { favorite: true } },
    "/api/v1/charts/{id}": { id: () => a.chart ?? "", body: { title: "Taken over" } },
    "/api/v1/charts/{id}/data": { id: () => a.chart ?? "" },
    "/api/v1/charts/{id}.svg": { id: () => a.chart ?? "" },
    "/api/v1/charts/{id}.png": { id: () => a.chart ?? "" },
    "/api/v1/draft-messages/{id}": { id: () => a.draft ?? "" },
    "/api/v1/alerts/{id}": { id: () => a.alert ?? "", body: { name: "Taken over" } },
    "/api/v1/alerts/{id}/snooze": { id: () => a.alert ?? "", body: { until: null } },
    "/api/v1/alerts/{id}/check": { id: () => a.alert ?? "" },
    "/api/v1/alerts/{id}/firings": { id: () => a.alert ?? "" },
    "/api/v1/subscriptions/{id}": { id: () => a.subscription ?? "", body: { name: "Taken over" } },
    "/api/v1/subscriptions/{id}/send": { id: () => a.subscription ?? "" },
    "/api/v1/subscriptions/{id}/deliveries": { id: () => a.subscription ?? "" },
    "/api/v1/dashboards/{id}/export.{format}": { id: () => [a.dashboard ?? "", "pdf"] },
    "/api/v1/dashboards/{id}/widgets/{widgetId}/export.{format}": {
      id: () => [a.dashboard ?? "", a.widget ?? "", "csv"],
    },
    "/api/v1/dashboards/{id}": { id: () => a.dashboard ?? "", body: { title: "Taken over" } },
    "/api/v1/dashboards/{id}/duplicate": { id: () => a.dashboard ?? "" },
    "/api/v1/dashboards/{id}/widgets": {
      id: () => a.dashboard ?? "",
      body: { kind: "markdown", markdown: "x" },
    },
    "/api/v1/dashboards/{id}/widgets/{widgetId}": {
      id: () => [a.dashboard ?? "", a.widget ?? ""],
      body: { title: "Taken over" },
    },
    "/api/v1/dashboards/{id}/widgets/{widgetId}/data": { id: () => [a.dashboard ?? "", a.widget ?? ""] },
    "/api/v1/dashboards/{id}/widgets/{widgetId}/drill": {
      id: () => [a.dashboard ?? "", a.widget ?? ""],
      query: "?column=region&value=x",
    },
    "/api/v1/dashboards/{id}/layout": {
      id: () => a.dashboard ?? "",
      body: { items: [] },
    },
    "/api/v1/dashboards/{id}/share": { id: () => a.dashboard ?? "" },
    // Public links are tokens, not ids: a token B makes up is a 404 like any other.
    "/api/v1/public/dashboards/{token}": {
      id: () => "AAAAAAAAAAAAAAAAAAAAAA.forged-signature-000000000000000000000",
    },
    "/api/v1/public/dashboards/{token}/widgets/{widgetId}/data": {
      id: () => ["AAAAAAAAAAAAAAAAAAAAAA.forged-signature-000000000000000000000", a.widget ?? ""],
    },
    "/api/v1/jobs/{id}": { id: () => a.job ?? "" },
    "/api/v1/jobs/{id}/cancel": { id: () => a.job ?? "" },
    "/api/v1/outbox/{id}": { id: () => a.mail ?? "" },
    "/api/v1/schedules/{name}": {
      id: () => a.schedule ?? "",
      body: { jobName: "sweep.noop", cron: "@daily" },
    },
    "/api/v1/schedules/{name}/pause": { id: () => a.schedule ?? "" },
    "/api/v1/schedules/{name}/resume": { id: () => a.schedule ?? "" },
  };

  async function operations() {
    const document = (await app.http.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    return Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ path, method: method.toUpperCase() })),
    );
  }

  it("has a fixture for every route that takes an object id", async () => {
    const withIds = (await operations()).filter((operation) => operation.path.includes("{"));
    expect(withIds.length).toBeGreaterThan(10);
    const missing = withIds.map((operation) => operation.path).filter((path) => !fixtures[path]);
    expect(missing, "add a fixture for each new route to the tenancy sweep").toEqual([]);
  });

  it("answers 404 to a member of B for every object of A", async () => {
    const withIds = (await operations()).filter((operation) => operation.path.includes("{"));
    const answers: string[] = [];
    for (const { path, method } of withIds) {
      const fixture = fixtures[path];
      if (!fixture) continue;
      const url = [fixture.id()]
        .flat()
        .reduce((filled, id) => filled.replace(/\{[^}]+\}/, encodeURIComponent(id)), path)
        .concat(fixture.query ?? "");
      const response = await app.http.inject({
        method: method as "GET",
        url,
        headers: bob.headers,
        ...(["POST", "PUT", "PATCH"].includes(method) ? { payload: fixture.body ?? {} } : {}),
      });
      // `not_found` from the object lookup, not `route_not_found` from a mistyped URL.
      answers.push(`${method} ${path} → ${response.statusCode} ${response.json().code}`);
    }
    expect(answers.filter((line) => !line.endsWith("→ 404 not_found"))).toEqual([]);
  });

  it("answers 404 when a member of B names workspace A in x-workspace-id", async () => {
    const lists = (await operations()).filter(
      (operation) =>
        operation.method === "GET" && operation.path.startsWith("/api/v1/") && !operation.path.includes("{"),
    );
    // Routes about the caller or public pages, not about a workspace's objects.
    const notScoped = new Set([
      "/api/v1/setup",
      "/api/v1/auth/me",
      "/api/v1/auth/devices",
      "/api/v1/workspaces",
      "/api/v1/invitations/lookup",
    ]);
    const answers: string[] = [];
    for (const { path } of lists.filter((operation) => !notScoped.has(operation.path))) {
      const response = await app.http.inject({
        method: "GET",
        url: path,
        headers: { ...bob.headers, "x-workspace-id": alice.workspaceId },
      });
      answers.push(`GET ${path} → ${response.statusCode}`);
    }
    expect(answers.length).toBeGreaterThanOrEqual(4);
    expect(answers.filter((line) => !line.endsWith("→ 404"))).toEqual([]);
  });

  it("left A's objects untouched", async () => {
    const members = await app.http.inject({ method: "GET", url: "/api/v1/members", headers: alice.headers });
    expect(
      members.json().items.map((member: { email: string; role: string }) => [member.email, member.role]),
    ).toEqual(
      expect.arrayContaining([
        ["alice@example.com", "owner"],
        ["carol@example.com", "analyst"],
      ]),
    );
    const sources = await app.http.inject({ method: "GET", url: "/api/v1/sources", headers: alice.headers });
    expect(sources.json().items.map((source: { id: string }) => source.id)).toEqual([a.source]);
    const joins = await app.http.inject({
      method: "GET",
      url: "/api/v1/relationships",
      headers: alice.headers,
    });
    expect(joins.json().items).toMatchObject([{ id: a.relationship, status: "active" }]);
    const keys = await app.http.inject({ method: "GET", url: "/api/v1/api-keys", headers: alice.headers });
    expect(keys.json().items[0]).toMatchObject({ name: "A's key", revokedAt: null });
    const workspace = await app.http.inject({
      method: "GET",
      url: `/api/v1/workspaces/${alice.workspaceId}`,
      headers: alice.headers,
    });
    expect(workspace.json().name).toBe("alice's workspace");
    const conversation = await app.http.inject({
      method: "GET",
      url: `/api/v1/conversations/${a.conversation}`,
      headers: alice.headers,
    });
    expect(conversation.json()).toMatchObject({
      title: "A's conversation",
      shared: false,
      answers: [{ id: a.answer, edited: null }],
    });
    const queries = await app.http.inject({ method: "GET", url: "/api/v1/queries", headers: alice.headers });
    expect(queries.json().items).toMatchObject([{ id: a.query, question: "A's question", favorite: false }]);
  });
});
