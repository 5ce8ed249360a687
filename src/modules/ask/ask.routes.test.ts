import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { askAs, customersCsv, loadCsv, ordersCsv, promptOf, reply } from "../../../test/helpers/ask.js";
import { addMember, inWorkspace, signUp, type TestSession } from "../../../test/helpers/auth.js";
import type { AppEvent } from "../../platform/events/index.js";
import { createLlmSimulator, type LlmSimulator } from "../../simulators/llm/index.js";

/** POST /ask, conversations and saved queries with the LLM engine, against the LLM simulator. */
describe("ask API (LLM engine, simulator)", () => {
  let sim: LlmSimulator;
  let app: TestApp;
  let ann: TestSession; // owner of workspace A
  let ana: TestSession; // analyst in A
  let vic: TestSession; // viewer in A
  let ben: TestSession; // owner of workspace B

  beforeAll(async () => {
    sim = await createLlmSimulator();
    app = await createTestApp({
      env: { AI_PROVIDER: "openai", AI_BASE_URL: sim.url, OPENAI_API_KEY: "test", AI_MAX_RETRIES: "0" },
    });
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
    ana = inWorkspace(await signUp(app, "ana@example.com"), ann.workspaceId);
    vic = inWorkspace(await signUp(app, "vic@example.com"), ann.workspaceId);
    await addMember(app, ann, ann.workspaceId, ana, "analyst");
    await addMember(app, ann, ann.workspaceId, vic, "viewer");
    await loadCsv(app, ann, "customers.csv", customersCsv);
    await loadCsv(app, ann, "orders.csv", ordersCsv);
    await loadCsv(app, ben, "secrets.csv", "id,secret\n1,TOP-SECRET-B\n");
  });
  afterAll(async () => {
    await app?.dispose();
    await sim?.close();
  });
  beforeEach(() => sim.reset());

  it("answers with SQL, rows, an explanation and a new conversation, and reports progress", async () => {
    const events: AppEvent[] = [];
    const stop = app.platform.events.subscribe((event) => {
      if (event.type.startsWith("agent_") || event.type === "error") events.push(event);
    });
    sim.script([reply("select count(*) as orders from orders", "Counts the orders.")]);
    const response = await askAs(app, ann, { question: "How many orders are there?" });
    stop();
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer).toMatchObject({
      question: "How many orders are there?",
      sql: "select count(*) as orders from orders",
      explanation: "Counts the orders.",
      engine: "llm",
      rows: [[5]],
      truncated: false,
    });
    expect(answer.confidence).toBeGreaterThan(0);
    expect(answer.chart.kind).toBeTruthy();
    // The prompt names the dialect and the workspace's tables, never another workspace's.
    const prompt = promptOf(sim.requests[0]?.body);
    expect(prompt).toContain("DuckDB");
    expect(prompt).toContain("table orders");
    expect(prompt).toContain("customer_id");
    expect(prompt).not.toContain("secret");

    const mine = events.filter((event) => event.data.conversationId === answer.conversationId);
    expect(mine.map((event) => [event.type, event.data.stage ?? null])).toEqual([
      ["agent_typing", null],
      ["agent_update", "planning"],
      ["agent_update", "running_sql"],
      ["agent_update", "building_chart"],
      ["agent_response", null],
    ]);
    expect(
      mine.every((event) => event.workspaceId === ann.workspaceId && event.data.userId === ann.user.id),
    ).toBe(true);
    expect(mine.at(-1)?.data.answerId).toBe(answer.answerId);

    const conversation = await app.http.inject({
      url: `/api/v1/conversations/${answer.conversationId}`,
      headers: ann.headers,
    });
    expect(conversation.json()).toMatchObject({
      title: "How many orders are there?",
      shared: false,
      answers: [{ id: answer.answerId, question: "How many orders are there?", answer: { rows: [[5]] } }],
    });
  });

  it("repairs a first answer that names a missing column, feeding the error back", async () => {
    sim.script([
      reply("select sum(amt) as total from orders"),
      reply("select sum(amount) as total from orders", "Adds up the order amounts."),
    ]);
    const response = await askAs(app, ann, { question: "What is the total order amount?" });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      sql: "select sum(amount) as total from orders",
      rows: [[725.75]],
    });
    expect(sim.requests).toHaveLength(2);
    const repair = promptOf(sim.requests[1]?.body);
    expect(repair).toContain("That query cannot run");
    expect(repair).toMatch(/amt/);
  });

  it("resolves a follow-up against the conversation's last answer", async () => {
    sim.script([
      reply("select country, count(*) as customers from customers group by country order by 2 desc"),
    ]);
    const first = (await askAs(app, ann, { question: "Customers by country" })).json();
    sim.script([reply("select count(*) as customers from customers where country = 'Germany'")]);
    const followUp = await askAs(app, ann, {
      question: "only Germany",
      conversationId: first.conversationId,
    });
    expect(followUp.statusCode, followUp.body).toBe(200);
    expect(followUp.json()).toMatchObject({ conversationId: first.conversationId, rows: [[2]] });
    const prompt = promptOf(sim.requests[1]?.body);
    expect(prompt).toContain('Previous question: "Customers by country"');
    expect(prompt).toContain("group by country");
    const conversation = await app.http.inject({
      url: `/api/v1/conversations/${first.conversationId}`,
      headers: ann.headers,
    });
    expect(conversation.json().answers.map((entry: { question: string }) => entry.question)).toEqual([
      "Customers by country",
      "only Germany",
    ]);
  });

  it("stores a refused question in its conversation and answers 400 sql_refused naming it", async () => {
    sim.script([reply("delete from orders"), reply("delete from orders"), reply("delete from orders")]);
    const response = await askAs(app, ann, { question: "delete all orders" });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem).toMatchObject({ code: "sql_refused", reason: "not_select" });
    const conversation = await app.http.inject({
      url: `/api/v1/conversations/${problem.conversationId}`,
      headers: ann.headers,
    });
    expect(conversation.json().answers).toMatchObject([
      { id: problem.answerId, answer: null, error: { code: "sql_refused", reason: "not_select" } },
    ]);
  });

  it("records history, lets analysts verify pairs, and prompts with verified pairs", async () => {
    sim.script([reply("select sum(amount) as revenue from orders where status = 'closed'")]);
    const answered = (await askAs(app, ana, { question: "Closed revenue" })).json();
    const history = await app.http.inject({ url: "/api/v1/queries", headers: ana.headers });
    const entry = history
      .json()
      .items.find((item: { answerId: string }) => item.answerId === answered.answerId);
    expect(entry).toMatchObject({
      question: "Closed revenue",
      verified: false,
      favorite: false,
      shared: false,
    });
    // Other people's history is theirs: a viewer neither sees nor verifies it.
    const seen = await app.http.inject({ url: "/api/v1/queries", headers: vic.headers });
    expect(seen.json().items.map((item: { id: string }) => item.id)).not.toContain(entry.id);
    const patch = (as: TestSession, body: Record<string, unknown>) =>
      app.http.inject({
        method: "PATCH",
        url: `/api/v1/queries/${entry.id}`,
        headers: as.headers,
        payload: body,
      });
    expect((await patch(vic, { verified: true })).statusCode).toBe(404);
    expect((await patch(ana, { favorite: true })).json()).toMatchObject({ favorite: true });
    const verified = await patch(ana, { verified: true });
    expect(verified.json()).toMatchObject({ verified: true, verifiedBy: ana.user.id });
    // Verified pairs are the workspace's: the viewer lists them but cannot unverify or edit them.
    const listed = await app.http.inject({ url: "/api/v1/queries?verified=true", headers: vic.headers });
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([entry.id]);
    expect((await patch(vic, { verified: false })).statusCode).toBe(403);
    expect((await patch(vic, { sql: "select 1" })).statusCode).toBe(403);
    const favorites = await app.http.inject({ url: "/api/v1/queries?favorite=true", headers: ana.headers });
    expect(favorites.json().items.map((item: { id: string }) => item.id)).toEqual([entry.id]);

    sim.script([reply("select sum(amount) as revenue from orders where status = 'open'")]);
    expect((await askAs(app, vic, { question: "Open revenue" })).statusCode).toBe(200);
    const prompt = promptOf(sim.requests.at(-1)?.body);
    expect(prompt).toContain("Verified examples");
    expect(prompt).toContain('Question: "Closed revenue"');
    // Asked again, a verified question gets its verified SQL without a model call.
    const calls = sim.requests.length;
    const again = await askAs(app, vic, { question: "closed revenue?" });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ sql: entry.sql, confidence: 1 });
    expect(sim.requests).toHaveLength(calls);

    // A pair whose SQL cannot run is not verified.
    const saved = await app.http.inject({
      method: "POST",
      url: "/api/v1/queries",
      headers: ana.headers,
      payload: { question: "Broken", sql: "select nope from orders" },
    });
    expect(saved.statusCode).toBe(201);
    const refused = await app.http.inject({
      method: "PATCH",
      url: `/api/v1/queries/${saved.json().id}`,
      headers: ana.headers,
      payload: { verified: true },
    });
    expect(refused.statusCode).toBe(400);
  });

  it("keeps conversations to their author unless shared, and answers 404 across workspaces", async () => {
    sim.script([reply("select count(*) as n from customers")]);
    const answered = (await askAs(app, ana, { question: "How many customers?" })).json();
    const url = `/api/v1/conversations/${answered.conversationId}`;
    expect((await app.http.inject({ url, headers: vic.headers })).statusCode).toBe(404);
    expect((await app.http.inject({ url, headers: ben.headers })).statusCode).toBe(404);
    // Asking into another person's conversation, or another workspace's, is a 404 too.
    expect(
      (await askAs(app, ben, { question: "x", conversationId: answered.conversationId })).statusCode,
    ).toBe(404);

    const share = (as: TestSession) =>
      app.http.inject({
        method: "PATCH",
        url,
        headers: as.headers,
        payload: { shared: true, title: "Customers" },
      });
    expect((await share(ben)).statusCode).toBe(404);
    expect((await share(ana)).json()).toMatchObject({ shared: true, title: "Customers" });
    expect((await app.http.inject({ url, headers: vic.headers })).json().answers).toHaveLength(1);
    const sharedList = await app.http.inject({
      url: "/api/v1/conversations?shared=true",
      headers: vic.headers,
    });
    expect(sharedList.json().items.map((item: { id: string }) => item.id)).toContain(answered.conversationId);
    expect((await app.http.inject({ method: "DELETE", url, headers: vic.headers })).statusCode).toBe(403);
    expect((await app.http.inject({ method: "DELETE", url, headers: ana.headers })).statusCode).toBe(204);
    expect((await app.http.inject({ url, headers: ana.headers })).statusCode).toBe(404);
  });

  it("pages conversations and creates empty ones", async () => {
    for (const title of ["one", "two", "three"]) {
      const created = await app.http.inject({
        method: "POST",
        url: "/api/v1/conversations",
        headers: vic.headers,
        payload: { title },
      });
      expect(created.statusCode).toBe(201);
    }
    const first = await app.http.inject({ url: "/api/v1/conversations?limit=2", headers: vic.headers });
    expect(first.json().items.map((item: { title: string }) => item.title)).toEqual(["three", "two"]);
    const second = await app.http.inject({
      url: `/api/v1/conversations?limit=2&cursor=${first.json().nextCursor}`,
      headers: vic.headers,
    });
    expect(second.json().items.map((item: { title: string }) => item.title)).toContain("one");
  });
});
