import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../config.js";
import { createLlmSimulator, type LlmSimulator } from "../../simulators/llm/index.js";
import { AppError, RateLimited, Unavailable, Upstream } from "../errors.js";
import { createLogger } from "../log.js";
import { createMetrics } from "../metrics.js";
import { createAi } from "./index.js";

const log = createLogger({ level: "silent" });
const summary = z.object({ title: z.string(), score: z.number().int() });
const ask = (content: string) => ({ engine: "test.summary", messages: [{ role: "user" as const, content }] });

let sim: LlmSimulator;
beforeAll(async () => {
  sim = await createLlmSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

function build(env: Record<string, string>) {
  const metrics = createMetrics();
  const ai = createAi({ config: loadConfig(env), log, metrics });
  return { ai, metrics };
}

const openai = (env: Record<string, string> = {}) =>
  build({ AI_PROVIDER: "openai", AI_BASE_URL: sim.url, OPENAI_API_KEY: "test", ...env });

interface CounterLike {
  get(): Promise<{ values: { labels: Partial<Record<string, string | number>>; value: number }[] }>;
}

/** Sum of the counter over the series matching `labels`. */
async function counter(metric: CounterLike, labels: Record<string, string>) {
  const { values } = await metric.get();
  const matching = values.filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return matching.reduce((sum, v) => sum + v.value, 0);
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("offline provider", () => {
  it("dispatches on the call's engine, validates objects and reports zero tokens", async () => {
    const { ai, metrics } = build({});
    ai.registerOfflineEngine("test.echo", { text: async (call) => `echo: ${call.messages.at(-1)?.content}` });
    ai.registerOfflineEngine("test.summary", { object: async () => ({ title: "Q3", score: 4 }) });

    expect(ai.provider).toBe("offline");
    const text = await ai.generateText({ engine: "test.echo", messages: [{ role: "user", content: "hi" }] });
    expect(text).toEqual({ text: "echo: hi", usage: { inputTokens: 0, outputTokens: 0 } });
    const object = await ai.generateObject({ ...ask("q"), schema: summary, schemaName: "Summary" });
    expect(object.object).toEqual({ title: "Q3", score: 4 });
    expect(await counter(metrics.aiCalls, { provider: "offline", outcome: "ok" })).toBe(2);
  });

  it("answers an unregistered engine with Unavailable naming it", async () => {
    const { ai } = build({});
    const error = await failure(
      ai.generateText({ engine: "nope", messages: [{ role: "user", content: "x" }] }),
    );
    expect(error).toBeInstanceOf(Unavailable);
    expect(error.message).toContain('No offline engine named "nope" is registered');
  });

  it("holds an engine's object to the call's schema", async () => {
    const { ai } = build({});
    ai.registerOfflineEngine("test.summary", { object: async () => ({ title: "Q3", score: "high" }) });
    const error = await failure(ai.generateObject({ ...ask("q"), schema: summary, schemaName: "Summary" }));
    expect(error).toBeInstanceOf(Upstream);
    expect(error.message).toMatch(/does not match Summary at score/);
    expect(() => ai.registerOfflineEngine("test.summary", {})).toThrow(/already registered/);
  });
});

describe("provider selection", () => {
  it("fails at creation naming the missing key variable", () => {
    expect(() => build({ AI_PROVIDER: "openai" })).toThrow(
      /OPENAI_API_KEY: required when AI_PROVIDER=openai/,
    );
    expect(() => build({ AI_PROVIDER: "anthropic" })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => build({ AI_PROVIDER: "openrouter" })).toThrow(/OPENROUTER_API_KEY/);
    expect(build({ AI_PROVIDER: "ollama" }).ai.model).toBe("llama3.2");
    expect(build({ AI_PROVIDER: "groq", GROQ_API_KEY: "k", AI_MODEL: "m1" }).ai.model).toBe("m1");
  });

  it.each([
    ["groq", { GROQ_API_KEY: "k", AI_BASE_URL: "" }],
    ["openrouter", { OPENROUTER_API_KEY: "k", AI_BASE_URL: "" }],
    ["ollama", { OLLAMA_BASE_URL: "" }],
  ])("%s speaks chat completions", async (provider, env) => {
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v || sim.url]));
    const { ai } = build({ AI_PROVIDER: provider, ...resolved });
    sim.script([{ content: "plain" }, { content: '{"title":"t","score":1}' }]);
    expect((await ai.generateText(ask("x"))).text).toBe("plain");
    expect(
      (await ai.generateObject({ ...ask("x"), schema: summary, schemaName: "Summary" })).object.score,
    ).toBe(1);
    expect(sim.requests.map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/chat/completions"]);
    // Not strict: strict mode rejects optional properties, and Zod validates the object anyway.
    expect(sim.requests[1]?.body).toMatchObject({
      response_format: { json_schema: { name: "Summary", strict: false } },
    });
  });
});

describe("openai over HTTP (simulator)", () => {
  it("returns text with usage, sending the system prompt, model and key", async () => {
    const { ai, metrics } = openai();
    sim.script([{ content: "Revenue grew 12%." }]);
    const result = await ai.generateText({ ...ask("How did revenue do?"), system: "Be brief." });
    expect(result.text).toBe("Revenue grew 12%.");
    expect(result.usage.outputTokens).toBe(5);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    const [request] = sim.requests;
    expect(request?.headers.authorization).toBe("Bearer test");
    expect(request?.body).toMatchObject({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "How did revenue do?" },
      ],
    });
    const labels = { provider: "openai", model: "gpt-4o-mini" };
    expect(await counter(metrics.aiCalls, { ...labels, outcome: "ok" })).toBe(1);
    expect(await counter(metrics.aiTokens, { ...labels, kind: "output" })).toBe(5);
    expect(await counter(metrics.aiTokens, { ...labels, kind: "input" })).toBe(result.usage.inputTokens);
  });

  it("returns a structured object requested with a json_schema response format", async () => {
    const { ai } = openai();
    sim.script([{ content: JSON.stringify({ title: "Q3", score: 4 }) }]);
    const result = await ai.generateObject({ ...ask("Summarize"), schema: summary, schemaName: "Summary" });
    expect(result.object).toEqual({ title: "Q3", score: 4 });
    expect(sim.requests[0]?.body).toMatchObject({
      response_format: { type: "json_schema", json_schema: { name: "Summary", strict: false } },
    });
  });

  it("waits out Retry-After on 429, then succeeds", async () => {
    const { ai } = openai();
    sim.script([{ status: 429, retryAfter: 1 }, { content: "after the wait" }]);
    const started = Date.now();
    expect((await ai.generateText(ask("x"))).text).toBe("after the wait");
    const [first, second] = sim.requests;
    expect(sim.requests).toHaveLength(2);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it("retries a 503 after retry-after-ms", async () => {
    const { ai } = openai();
    sim.script([{ status: 503, retryAfterMs: 50 }, { content: "ok" }]);
    expect((await ai.generateText(ask("x"))).text).toBe("ok");
    expect(sim.requests).toHaveLength(2);
  });

  it("gives up on a persistent 429 with RateLimited carrying the wait", async () => {
    const { ai, metrics } = openai({ AI_MAX_RETRIES: "1" });
    sim.script([
      { status: 429, retryAfterMs: 20 },
      { status: 429, retryAfter: 7 },
    ]);
    const error = await failure(ai.generateText(ask("x")));
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterSeconds).toBe(7);
    expect(sim.requests).toHaveLength(2);
    expect(await counter(metrics.aiCalls, { provider: "openai", outcome: "rate_limited" })).toBe(1);
  });

  it("asks again after malformed JSON and returns the valid object", async () => {
    const { ai } = openai();
    sim.script([{ malformedJson: true }, { content: '{"title":"fixed","score":2}' }]);
    const result = await ai.generateObject({ ...ask("Summarize"), schema: summary, schemaName: "Summary" });
    expect(result.object).toEqual({ title: "fixed", score: 2 });
    expect(sim.requests).toHaveLength(2);
    expect(JSON.stringify(sim.requests[1]?.body)).toContain("That reply was not valid: it is not valid JSON");
  });

  it("fails with Upstream when the object mismatches the schema twice", async () => {
    const { ai, metrics } = openai();
    sim.script([{ content: '{"title":"x"}' }, { content: '{"title":"x","score":"high"}' }]);
    const error = await failure(
      ai.generateObject({ ...ask("Summarize"), schema: summary, schemaName: "Summary" }),
    );
    expect(error).toBeInstanceOf(Upstream);
    expect(error.message).toMatch(/did not return a valid Summary: it does not match the schema/);
    expect(sim.requests).toHaveLength(2);
    expect(await counter(metrics.aiCalls, { provider: "openai", outcome: "invalid_output" })).toBe(1);
    expect(await counter(metrics.aiTokens, { provider: "openai", kind: "output" })).toBeGreaterThan(0);
  });

  it("does not ask again when AI_MAX_RETRIES=0", async () => {
    const { ai } = openai({ AI_MAX_RETRIES: "0" });
    sim.script([{ malformedJson: true }, { content: '{"title":"x","score":1}' }]);
    await expect(ai.generateObject({ ...ask("q"), schema: summary, schemaName: "Summary" })).rejects.toThrow(
      Upstream,
    );
    expect(sim.requests).toHaveLength(1);
  });

  it("does not retry 401 and names the key variable", async () => {
    const { ai } = openai();
    sim.script([{ status: 401 }, { content: "never" }]);
    const error = await failure(ai.generateText(ask("x")));
    expect(error).toBeInstanceOf(Upstream);
    expect(error.message).toMatch(
      /openai rejected the request as unauthorized \(HTTP 401: Incorrect API key/,
    );
    expect(error.message).toContain("check OPENAI_API_KEY");
    expect(sim.requests).toHaveLength(1);
  });

  it("times out after AI_TIMEOUT_MS", async () => {
    const { ai, metrics } = openai({ AI_TIMEOUT_MS: "300" });
    sim.script([{ content: "too late", delayMs: 3000 }]);
    const started = Date.now();
    const error = await failure(ai.generateText(ask("x")));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(Upstream);
    expect(error.message).toContain("did not answer within 300 ms");
    expect(await counter(metrics.aiCalls, { provider: "openai", outcome: "timeout" })).toBe(1);
  });

  it("stops when the caller's signal aborts", async () => {
    const { ai } = openai();
    sim.script([{ content: "too late", delayMs: 3000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(ai.generateText({ ...ask("x"), signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });

  it("answers Unavailable when the provider cannot be reached", async () => {
    const { ai } = openai({ AI_BASE_URL: "http://127.0.0.1:1/v1", AI_MAX_RETRIES: "0" });
    const error = await failure(ai.generateText(ask("x")));
    expect(error).toBeInstanceOf(Unavailable);
    expect(error.message).toContain("Cannot reach openai at http://127.0.0.1:1/v1");
  });
});

describe("anthropic over HTTP (simulator)", () => {
  const anthropic = (env: Record<string, string> = {}) =>
    build({ AI_PROVIDER: "anthropic", AI_BASE_URL: sim.url, ANTHROPIC_API_KEY: "test", ...env });

  it("returns text through /v1/messages with x-api-key and anthropic-version", async () => {
    const { ai } = anthropic();
    sim.script([{ content: "Bonjour." }]);
    const result = await ai.generateText({ ...ask("Say hello"), system: "French only." });
    expect(result.text).toBe("Bonjour.");
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    const [request] = sim.requests;
    expect(request?.path).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe("test");
    expect(request?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request?.body).toMatchObject({
      model: "claude-sonnet-4-5",
      system: [{ type: "text", text: "French only." }],
    });
  });

  it.each([
    ["claude-sonnet-4-5", "output_config"],
    ["claude-3-haiku-20240307", "tool_choice"],
  ])("returns a structured object from %s (via %s)", async (model, mechanism) => {
    const { ai } = anthropic({ AI_MODEL: model });
    sim.script([{ content: JSON.stringify({ title: "Q3", score: 4 }) }]);
    const result = await ai.generateObject({ ...ask("Summarize"), schema: summary, schemaName: "Summary" });
    expect(result.object).toEqual({ title: "Q3", score: 4 });
    expect(sim.requests[0]?.body).toHaveProperty(mechanism);
  });
});
