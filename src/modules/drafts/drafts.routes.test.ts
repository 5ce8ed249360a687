import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { promptOf } from "../../../test/helpers/ask.js";
import { signUp, type TestSession } from "../../../test/helpers/auth.js";
import { createLlmSimulator, type LlmSimulator } from "../../simulators/llm/index.js";
import type { DraftsService } from "./drafts.service.js";

const thread = {
  user: "support@acme.test",
  threadId: "T-1",
  channel: "email",
  subject: "Printer down",
  messages: [
    {
      sender: "dana.client@example.com",
      role: "client",
      content:
        "Our office printer stopped working this morning. Can you send someone today? Is this covered by our contract?",
      sentAt: "2026-12-01T09:00:00Z",
    },
  ],
};

type Draft = {
  status: string;
  version: number;
  versions: { version: number; body: string; summaryOfChanges: string }[];
};

async function journey(app: TestApp, as: TestSession, check: (first: string, second: Draft) => void) {
  const call = (
    method: "GET" | "POST",
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    app.http.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...as.headers, ...headers },
      ...(payload ? { payload } : {}),
    });
  const until = async (id: string, status: string) => {
    for (let i = 0; i < 300; i++) {
      const draft = (await call("GET", `/draft-messages/${id}`)).json();
      if (draft.status === status) return draft as Draft;
      if (draft.status === "failed") throw new Error(`draft failed: ${draft.error}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`draft never became ${status}`);
  };
  const sent = await call("POST", "/send-messages", thread);
  expect(sent.statusCode, sent.body).toBe(202);
  expect(sent.json().status).toBe("queued");
  const id = sent.json().draftId;
  const first = await until(id, "ready");
  const feedback = await call("POST", "/process-feedback", {
    draftId: id,
    feedback: "Make it more formal and mention that a technician can come at 2pm.",
  });
  expect(feedback.statusCode, feedback.body).toBe(202);
  expect(feedback.json()).toEqual({ draftId: id, version: 2, status: "revising" });
  const second = await until(id, "ready");
  check(first.versions[0]?.body ?? "", second);
  const approved = await call("POST", "/approve-draft", { draftId: id, send: true });
  expect(approved.statusCode, approved.body).toBe(200);
  expect(approved.json()).toMatchObject({ status: "approved", emailed: true });
  // Approving again sends nothing more.
  expect((await call("POST", "/approve-draft", { draftId: id, send: true })).statusCode).toBe(200);
  const mails = (await app.platform.mail.list({ limit: 50, to: "dana.client@example.com" })).items;
  expect(mails).toHaveLength(1);
  expect(mails[0]?.text).toBe(second.versions[1]?.body);
  return id;
}

describe("drafts API, offline drafter", () => {
  let app: TestApp;
  let ann: TestSession;
  let ben: TestSession;
  beforeAll(async () => {
    app = await createTestApp();
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
  });
  afterAll(async () => app?.dispose());
  const call = (
    as: TestSession,
    method: "GET" | "POST" | "PUT",
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    app.http.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...as.headers, ...headers },
      ...(payload ? { payload } : {}),
    });

  it("drafts, revises on feedback and e-mails the approved reply once", async () => {
    await call(ann, "PUT", "/draft-guidelines", {
      tone: "friendly",
      signature: "— Acme IT support",
      dos: [],
      donts: [],
    });
    await journey(app, ann, (first, second) => {
      expect(first).toMatch(/^Hi Dana,/);
      expect(first).toContain('"Can you send someone today?"');
      expect(first).toContain('"Is this covered by our contract?"');
      expect(first).toContain("— Acme IT support");
      expect(second.version).toBe(2);
      expect(second.versions[1]?.body).toMatch(/^Dear Dana,/);
      expect(second.versions[1]?.body).toContain("A technician can come at 2pm.");
      expect(second.versions[1]?.summaryOfChanges).toBe(
        'Applied: made it more formal; mentioned "a technician can come at 2pm".',
      );
    });
  });

  it("answers a repeated request with the same Idempotency-Key as the first, creating nothing new", async () => {
    const headers = { "idempotency-key": "paste-42" };
    const first = await call(ann, "POST", "/send-messages", thread, headers);
    const again = await call(ann, "POST", "/send-messages", thread, headers);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    const all = (await call(ann, "GET", "/draft-messages?limit=200")).json().items;
    expect(all.filter((draft: { id: string }) => draft.id === first.json().draftId)).toHaveLength(1);
  });

  it("refuses an empty thread, an unknown draft and feedback on a rejected one; another workspace sees nothing", async () => {
    expect((await call(ann, "POST", "/send-messages", { ...thread, messages: [] })).statusCode).toBe(400);
    const agentOnly = await call(ann, "POST", "/send-messages", {
      ...thread,
      messages: [{ ...thread.messages[0], role: "agent" }],
    });
    expect(agentOnly.statusCode).toBe(400);
    expect(
      (await call(ann, "POST", "/process-feedback", { draftId: crypto.randomUUID(), feedback: "shorter" }))
        .statusCode,
    ).toBe(404);
    const id = (await call(ann, "POST", "/send-messages", thread)).json().draftId;
    const rejected = await call(ann, "POST", "/reject-draft", { draftId: id, reason: "Handled by phone" });
    expect(rejected.json()).toMatchObject({ status: "rejected", rejectReason: "Handled by phone" });
    const late = await call(ann, "POST", "/process-feedback", { draftId: id, feedback: "shorter" });
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().detail).toMatch(/rejected/);
    expect((await call(ben, "GET", `/draft-messages/${id}`)).statusCode).toBe(404);
    expect((await call(ben, "POST", "/reject-draft", { draftId: id })).statusCode).toBe(404);
    expect((await call(ben, "GET", "/draft-messages")).json().items).toEqual([]);
  });

  it("writes a version once when its job runs again after its worker died", async () => {
    const id = (await call(ann, "POST", "/send-messages", thread)).json().draftId;
    const module = app.modules.find((entry) => entry.name === "drafts") as unknown as {
      drafts: DraftsService;
    };
    // The same job run twice over (the first run's worker "died" after writing): still one version.
    await module.drafts.generate(id, 1, { lastAttempt: false });
    await module.drafts.generate(id, 1, { lastAttempt: false });
    for (let i = 0; i < 100; i++) {
      if ((await call(ann, "GET", `/draft-messages/${id}`)).json().status === "ready") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const draft = (await call(ann, "GET", `/draft-messages/${id}`)).json();
    expect(draft.versions).toHaveLength(1);
    expect(draft.status).toBe("ready");
  });
});

describe("drafts API, language model (simulator)", () => {
  let sim: LlmSimulator;
  let app: TestApp;
  let ann: TestSession;
  beforeAll(async () => {
    sim = await createLlmSimulator();
    app = await createTestApp({
      env: { AI_PROVIDER: "openai", AI_BASE_URL: sim.url, OPENAI_API_KEY: "test", AI_MAX_RETRIES: "0" },
    });
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
  });
  afterAll(async () => {
    await app?.dispose();
    await sim?.close();
  });

  it("drafts with the model, then revises from the previous draft and the feedback", async () => {
    sim.script([
      {
        content: JSON.stringify({
          subject: "Re: Printer down",
          body: "Hello Dana, we will send someone.",
          summaryOfChanges: "First draft.",
        }),
      },
      {
        content: JSON.stringify({
          subject: "Re: Printer down",
          body: "Dear Dana, a technician will arrive at 2pm.",
          summaryOfChanges: "More formal; named the time.",
        }),
      },
    ]);
    await journey(app, ann, (first, second) => {
      expect(first).toBe("Hello Dana, we will send someone.");
      expect(second.versions[1]?.summaryOfChanges).toBe("More formal; named the time.");
    });
    const [firstPrompt, revisionPrompt] = sim.requests.map((request) => promptOf(request.body));
    expect(firstPrompt).toContain("Is this covered by our contract?");
    expect(revisionPrompt).toContain("Hello Dana, we will send someone.");
    expect(revisionPrompt).toContain("mention that a technician can come at 2pm");
  });

  it("marks a draft failed with the error once the job's retries are spent, and retries it on request", async () => {
    const events: { type: string; data: Record<string, unknown> }[] = [];
    const stop = app.platform.events.subscribe((event) => {
      if (event.type === "draft_ready" || event.type === "draft_failed") events.push(event);
    });
    // One request per attempt (AI_MAX_RETRIES=0): the first try and both retries fail.
    sim.script([{ status: 500 }, { status: 500 }, { status: 500 }]);
    const headers = ann.headers;
    const call = (url: string, payload?: object) =>
      app.http.inject({
        method: payload ? "POST" : "GET",
        url: `/api/v1${url}`,
        headers,
        ...(payload ? { payload } : {}),
      });
    const id = (await call("/send-messages", thread)).json().draftId;
    const until = async (status: string) => {
      for (let i = 0; i < 1_000; i++) {
        const draft = (await call(`/draft-messages/${id}`)).json();
        if (draft.status === status) return draft;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`draft never became ${status}`);
    };
    const failed = await until("failed");
    expect(failed.error).toMatch(/500|server had an error/i);
    expect(failed.versions).toEqual([]);
    expect(events.filter((event) => event.data.draftId === id).map((event) => event.type)).toEqual([
      "draft_failed",
    ]);

    sim.script([
      {
        content: JSON.stringify({
          subject: "Re: Printer down",
          body: "Hello Dana.",
          summaryOfChanges: "First.",
        }),
      },
    ]);
    const retried = await call("/retry-draft", { draftId: id });
    expect(retried.statusCode, retried.body).toBe(202);
    expect(retried.json().status).toBe("queued");
    const ready = await until("ready");
    expect(ready.versions.map((version: { body: string }) => version.body)).toEqual(["Hello Dana."]);
    expect(ready.error ?? null).toBeNull();
    stop();
    expect(events.filter((event) => event.data.draftId === id).map((event) => event.type)).toEqual([
      "draft_failed",
      "draft_ready",
    ]);
    expect((await call("/retry-draft", { draftId: id })).statusCode).toBe(409);
  }, 30_000);
});
