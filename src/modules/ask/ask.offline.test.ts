import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { askAs, customersCsv, loadCsv, ordersCsv } from "../../../test/helpers/ask.js";
import { signUp, type TestSession } from "../../../test/helpers/auth.js";
import type { SourcesModule } from "../sources/index.js";
import { createLlmEngine } from "./llm-engine.js";
import { buildSchemaIndex } from "./schema-index.js";

/** With no model configured (AI_PROVIDER=offline, the default), the offline engine answers end to end. */
describe("ask with the offline engine", () => {
  let app: TestApp;
  let ann: TestSession;

  beforeAll(async () => {
    app = await createTestApp();
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    await loadCsv(app, ann, "customers.csv", customersCsv);
    await loadCsv(app, ann, "orders.csv", ordersCsv);
  });
  afterAll(async () => app?.dispose());

  it("answers how many orders there are, with a plan and a number chart", async () => {
    const response = await askAs(app, ann, { question: "How many orders are there?" });
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer).toMatchObject({ engine: "offline", rows: [[5]], chart: { kind: "number" } });
    expect(answer.plan).toMatchObject({ from: "orders" });
    expect(answer.sql).toMatch(/count/i);
  });

  it("runs the LLM engine's code path on the platform ai, answered by the offline parser", async () => {
    const sources = app.modules.find((module) => module.name === "sources") as SourcesModule;
    const engine = await sources.warehouses.get(ann.workspaceId);
    const schema = await buildSchemaIndex({
      engine,
      tables: [
        {
          name: "orders",
          rows: 5,
          columns: (await engine.query("select * from orders limit 0", { maxRows: 0, timeoutMs: 5000 }))
            .columns,
        },
      ],
      joins: [],
      dialect: "duckdb",
    });
    expect(app.platform.ai.provider).toBe("offline");
    const draft = await createLlmEngine(app.platform.ai).draft("How many orders are there?", schema, {
      today: new Date("2024-06-01T00:00:00Z"),
    });
    expect(draft.engine).toBe("llm");
    expect(draft.sql).toMatch(/count/i);
  });
});
