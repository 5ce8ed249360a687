import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.js";
import { createAi } from "../../platform/ai/index.js";
import { Upstream } from "../../platform/errors.js";
import { createLogger } from "../../platform/log.js";
import { createMetrics } from "../../platform/metrics.js";
import { QueryFailed } from "../warehouse/duckdb-engine.js";
import { SqlRefused } from "../warehouse/sql-guard.js";
import { ASK_SQL_ENGINE, createLlmEngine, MAX_REPAIRS, offlineSqlEngine } from "./llm-engine.js";
import type { AskEngine, SchemaIndex } from "./types.js";

const schema: SchemaIndex = {
  dialect: "duckdb",
  joins: [],
  tables: [
    {
      name: "orders",
      rows: 3,
      words: ["order", "orders"],
      columns: [
        {
          table: "orders",
          name: "amount",
          type: "decimal",
          role: "measure",
          words: ["amount"],
          distinct: 3,
          nulls: 0,
          unique: true,
        },
      ],
    },
  ],
};
const today = new Date("2024-06-01T00:00:00Z");

/** The platform ai with AI_PROVIDER=offline, its `ask.sql` engine answering as `answer` says. */
function offlineAi(answer: (call: number) => string) {
  const ai = createAi({
    config: loadConfig({}),
    log: createLogger({ level: "silent" }),
    metrics: createMetrics(),
  });
  let calls = 0;
  const parser: AskEngine = {
    name: "offline",
    async draft(question) {
      return { engine: "offline", sql: answer(calls++), explanation: `read: ${question}`, confidence: 0.9 };
    },
  };
  ai.registerOfflineEngine(ASK_SQL_ENGINE, offlineSqlEngine(parser));
  return { ai, calls: () => calls };
}

describe("LLM engine", () => {
  it("runs through the platform ai with AI_PROVIDER=offline, answered by the offline parser", async () => {
    const { ai } = offlineAi(() => "select sum(amount) as total from orders");
    const draft = await createLlmEngine(ai).draft("total amount", schema, { today });
    expect(draft).toMatchObject({
      engine: "llm",
      sql: "select sum(amount) as total from orders",
      explanation: "read: total amount",
    });
  });

  it("repairs a refused statement, then a failing one, and stops after MAX_REPAIRS rounds", async () => {
    const sqls = ["delete from orders", "select nope from orders", "select amount from orders"];
    const { ai, calls } = offlineAi((call) => sqls[call] ?? "select 1");
    const seen: string[] = [];
    const draft = await createLlmEngine(ai).draft("amounts", schema, {
      today,
      validate: async (sql) => {
        seen.push(sql);
        if (sql.includes("nope")) throw new QueryFailed('Binder Error: column "nope" not found');
      },
    });
    expect(draft.sql).toBe("select amount from orders");
    expect(calls()).toBe(3);
    // The guard refused the DELETE before it reached validate.
    expect(seen).toEqual(["select nope from orders", "select amount from orders"]);
    expect(draft.confidence).toBeLessThan(0.75);

    const stubborn = offlineAi(() => "drop table orders");
    await expect(createLlmEngine(stubborn.ai).draft("drop it", schema, { today })).rejects.toBeInstanceOf(
      SqlRefused,
    );
    expect(stubborn.calls()).toBe(MAX_REPAIRS + 1);
  });

  it("does not repair what the model cannot fix", async () => {
    const { ai, calls } = offlineAi(() => "select amount from orders");
    const failing = createLlmEngine(ai).draft("amounts", schema, {
      today,
      validate: async () => {
        throw new Upstream("the database is down");
      },
    });
    await expect(failing).rejects.toBeInstanceOf(Upstream);
    expect(calls()).toBe(1);
  });
});
