import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { createMemoryEventBus } from "../../platform/events/index.js";
import type { RequestContext } from "../auth/context.js";
import type { QueryResult } from "../warehouse/duckdb-engine.js";
import { CONFIDENT, createAskService } from "./ask.service.js";
import { createConversationsService } from "./conversations.service.js";
import { createQueriesService } from "./queries.service.js";
import type { AskEngine, SchemaIndex } from "./types.js";

const schema: SchemaIndex = { dialect: "duckdb", tables: [], joins: [] };

/** Results by statement: what the fake `sql()` path answers. */
const results: Record<string, number[][]> = {
  "select count(*) as n from orders": [[5]],
  "select count(*) as orders from orders": [[5]],
  "select count(distinct id) as n from orders": [[4]],
};

const engine = (name: "offline" | "llm", sql: string, confidence: number): AskEngine => ({
  name,
  async draft() {
    return { engine: name, sql, explanation: `${name} reading`, confidence };
  },
});

describe("ask service: both engines", () => {
  let app: TestApp;
  const ran: string[] = [];
  const ctx: RequestContext = {
    workspaceId: randomUUID(),
    userId: randomUUID(),
    role: "analyst",
    actor: { type: "system", label: "test" },
    meta: { ip: null, userAgent: null },
  };

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.dispose());

  function service(engines: { primary: AskEngine; offline?: AskEngine }) {
    const { db } = app.platform.database;
    return createAskService({
      clock: app.platform.clock,
      events: createMemoryEventBus(),
      log: app.platform.log,
      data: {
        async sql(_ctx, input): Promise<QueryResult> {
          ran.push(input.sql);
          const rows = results[input.sql];
          if (!rows) throw new Error(`unexpected SQL ${input.sql}`);
          return {
            columns: [{ name: "n", type: "integer", sourceType: "BIGINT" }],
            rows,
            truncated: false,
            durationMs: 1,
          };
        },
      },
      scopes: { scopeFor: async () => ({ schema }) },
      conversations: createConversationsService({
        db,
        clock: app.platform.clock,
        run: async () => ({ columns: [], rows: [], truncated: false, durationMs: 0 }),
        history: async () => new Map(),
      }),
      queries: createQueriesService({ db, clock: app.platform.clock, check: async () => undefined }),
      engines,
      present: {
        chart: ({ question }) => ({ kind: "number", title: question }),
        followups: () => ["by month"],
      },
    });
  }

  it("reports a disagreement when a confident offline reading gives another result", async () => {
    const ask = service({
      primary: engine("llm", "select count(*) as n from orders", 0.75),
      offline: engine("offline", "select count(distinct id) as n from orders", CONFIDENT),
    });
    const answer = await ask.ask(ctx, { question: "How many orders?" });
    expect(answer).toMatchObject({ engine: "llm", rows: [[5]], followups: ["by month"] });
    expect(answer.disagreement).toContain("select count(distinct id) as n from orders");
  });

  it("says nothing when the readings agree, however their SQL differs", async () => {
    const ask = service({
      primary: engine("llm", "select count(*) as orders from orders", 0.75),
      offline: engine("offline", "select count(*) as n from orders", 0.95),
    });
    const answer = await ask.ask(ctx, { question: "How many orders?" });
    expect(answer.disagreement).toBeUndefined();
  });

  it("runs an unsure offline reading not at all, and the offline engine alone without a model", async () => {
    ran.length = 0;
    const unsure = service({
      primary: engine("llm", "select count(*) as n from orders", 0.75),
      offline: engine("offline", "select count(distinct id) as n from orders", CONFIDENT - 0.1),
    });
    expect((await unsure.ask(ctx, { question: "How many orders?" })).disagreement).toBeUndefined();
    expect(ran).toEqual(["select count(*) as n from orders"]);
    const offlineOnly = service({ primary: engine("offline", "select count(*) as n from orders", 0.9) });
    expect(await offlineOnly.ask(ctx, { question: "How many orders?" })).toMatchObject({ engine: "offline" });
  });
});
