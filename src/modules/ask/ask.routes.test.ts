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

  it("saves, favorites and verifies an answer's history entry in place, without a second pair", async () => {
    sim.script([reply("select count(*) as n from orders where status = 'open'")]);
    const answered = (await askAs(app, ana, { question: "Open orders" })).json();
    const conversationUrl = `/api/v1/conversations/${answered.conversationId}`;
    const entryOf = async (as: TestSession) =>
      (await app.http.inject({ url: conversationUrl, headers: as.headers })).json().answers[0];
    const history = (await entryOf(ana)).query;
    expect(history).toMatchObject({ sql: answered.sql, saved: false, favorite: false, verified: false });
    const byAnswer = await app.http.inject({
      url: `/api/v1/queries?answerId=${answered.answerId}`,
      headers: ana.headers,
    });
    expect(byAnswer.json().items).toMatchObject([
      { id: history.id, answerId: answered.answerId, saved: false },
    ]);
    // Another workspace sees nothing of it.
    const fromB = await app.http.inject({
      url: `/api/v1/queries?answerId=${answered.answerId}`,
      headers: ben.headers,
    });
    expect(fromB.json().items).toEqual([]);
    const savedIds = async () =>
      (await app.http.inject({ url: "/api/v1/queries?saved=true", headers: ana.headers }))
        .json()
        .items.map((item: { id: string }) => item.id);
    expect(await savedIds()).not.toContain(history.id);

    const saved = await app.http.inject({
      method: "PATCH",
      url: `/api/v1/queries/${history.id}`,
      headers: ana.headers,
      payload: { saved: true, favorite: true, verified: true },
    });
    expect(saved.json()).toMatchObject({ saved: true, favorite: true, verified: true });
    expect(await savedIds()).toContain(history.id);
    const unsaved = await app.http.inject({ url: "/api/v1/queries?saved=false", headers: ana.headers });
    expect(unsaved.json().items.map((item: { id: string }) => item.id)).not.toContain(history.id);
    // After a reload the card reads its state from the conversation; still one pair for the answer.
    expect((await entryOf(ana)).query).toMatchObject({
      id: history.id,
      saved: true,
      favorite: true,
      verified: true,
    });
    const all = (await app.http.inject({ url: "/api/v1/queries?limit=100", headers: ana.headers })).json();
    expect(
      all.items.filter((item: { answerId: string }) => item.answerId === answered.answerId),
    ).toHaveLength(1);
    // A pair posted by hand is saved from the start.
    const posted = await app.http.inject({
      method: "POST",
      url: "/api/v1/queries",
      headers: ana.headers,
      payload: { question: "Posted", sql: "select 1 as one" },
    });
    expect(posted.json()).toMatchObject({ saved: true, answerId: null });

    // The author shares the conversation: the viewer reads it, without anyone's history entry.
    await app.http.inject({
      method: "PATCH",
      url: conversationUrl,
      headers: ana.headers,
      payload: { shared: true },
    });
    expect((await entryOf(vic)).query).toBeNull();
  });

  it("keeps an answer's edited SQL and its result, run through the guard, for its author only", async () => {
    sim.script([reply("select count(*) as n from orders")]);
    const answered = (await askAs(app, ann, { question: "Order count" })).json();
    const url = `/api/v1/conversations/${answered.conversationId}/answers/${answered.answerId}`;
    const edit = (as: TestSession, sql: string | null, at = url) =>
      app.http.inject({ method: "PATCH", url: at, headers: as.headers, payload: { sql } });

    const edited = await edit(
      ann,
      "select status, count(*) as n from orders group by status order by status",
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      id: answered.answerId,
      answer: { sql: answered.sql, rows: [[5]] },
      edited: {
        sql: expect.stringContaining("group by status"),
        rows: [
          ["closed", 3],
          ["open", 2],
        ],
        truncated: false,
      },
    });
    const reload = async () =>
      (
        await app.http.inject({
          url: `/api/v1/conversations/${answered.conversationId}`,
          headers: ann.headers,
        })
      ).json().answers[0];
    expect((await reload()).edited).toMatchObject({
      rows: [
        ["closed", 3],
        ["open", 2],
      ],
    });

    // A refused statement answers its problem and keeps the last edit.
    const refused = await edit(ann, "delete from orders");
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: "sql_refused" });
    expect((await reload()).edited.sql).toContain("group by status");

    // Not the author's: another member gets 404 (403 once shared), another workspace 404.
    expect((await edit(vic, "select 1 as one")).statusCode).toBe(404);
    expect((await edit(ben, "select 1 as one")).statusCode).toBe(404);
    const other = (
      await app.http.inject({
        method: "POST",
        url: "/api/v1/conversations",
        headers: ann.headers,
        payload: { title: "Other" },
      })
    ).json();
    const elsewhere = `/api/v1/conversations/${other.id}/answers/${answered.answerId}`;
    expect((await edit(ann, "select 1 as one", elsewhere)).statusCode).toBe(404);

    const back = await edit(ann, null);
    expect(back.json().edited).toBeNull();
    expect((await reload()).edited).toBeNull();
  });

  it("lists conversations with their number of questions and the last one asked", async () => {
    sim.script([reply("select count(*) as n from customers"), reply("select count(*) as n from orders")]);
    const first = (await askAs(app, vic, { question: "Customer count" })).json();
    await askAs(app, vic, { question: "and orders?", conversationId: first.conversationId });
    const list = (await app.http.inject({ url: "/api/v1/conversations", headers: vic.headers })).json();
    expect(list.items.find((item: { id: string }) => item.id === first.conversationId)).toMatchObject({
      title: "Customer count",
      answers: 2,
      lastQuestion: "and orders?",
    });
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

/** The offline engine asks which reading was meant; the chosen one runs exactly. */
describe("ask API (offline engine): clarifications", () => {
  let app: TestApp;
  let ann: TestSession;
  let ben: TestSession;

  beforeAll(async () => {
    app = await createTestApp();
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
    await loadCsv(app, ann, "customers.csv", customersCsv);
    await loadCsv(app, ann, "orders.csv", ordersCsv);
    // Ranking customers by their orders needs the join, which is discovered after the load.
    for (let i = 0; i < 400; i++) {
      const joins = await app.http.inject({ url: "/api/v1/relationships", headers: ann.headers });
      if (joins.json().items.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
  afterAll(async () => app?.dispose());

  it("runs the chosen option's SQL in the same conversation", async () => {
    const asked = (await askAs(app, ann, { question: "top customers" })).json();
    const options: { label: string; sql: string }[] = asked.clarification?.options ?? [];
    expect(options.length, JSON.stringify(asked)).toBeGreaterThanOrEqual(2);
    const chosen = options[1];

    const response = await askAs(app, ann, { clarification: { answerId: asked.answerId, option: 1 } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      conversationId: asked.conversationId,
      question: "top customers",
      sql: chosen?.sql,
      confidence: 1,
    });
    expect(response.json().clarification).toBeUndefined();
    expect(response.json().explanation).toContain(chosen?.label);
    const conversation = await app.http.inject({
      url: `/api/v1/conversations/${asked.conversationId}`,
      headers: ann.headers,
    });
    expect(conversation.json().answers.map((entry: { answer: { sql: string } }) => entry.answer.sql)).toEqual(
      [asked.sql, chosen?.sql],
    );

    const bad = await askAs(app, ann, { clarification: { answerId: asked.answerId, option: 9 } });
    expect(bad.statusCode).toBe(400);
    const foreign = await askAs(app, ben, { clarification: { answerId: asked.answerId, option: 0 } });
    expect(foreign.statusCode).toBe(404);
    expect((await askAs(app, ann, {})).statusCode).toBe(400);
  });
});
