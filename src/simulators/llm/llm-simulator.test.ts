import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLlmSimulator, type LlmSimulator, MALFORMED_JSON } from "./index.js";

let sim: LlmSimulator;
beforeAll(async () => {
  sim = await createLlmSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const user = (content: string) => [{ role: "user", content }];

function chat(
  body: Record<string, unknown>,
  headers: Record<string, string> = { authorization: "Bearer k" },
) {
  return fetch(`${sim.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: user("hello"), ...body }),
  });
}

function messages(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${sim.url}/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": "k",
      "anthropic-version": "2023-06-01",
      ...headers,
    },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 100, messages: user("hello"), ...body }),
  });
}

/** The `data:` payloads of an SSE body, as a raw client reads them. */
async function sseData(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice("data: ".length));
}

describe("OpenAI chat completions", () => {
  it("answers the scripted content with usage and records the request", async () => {
    sim.script([{ content: "The answer is 42." }]);
    const response = await chat({ temperature: 0 });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "gpt-4o-mini",
      choices: [
        { index: 0, message: { role: "assistant", content: "The answer is 42." }, finish_reason: "stop" },
      ],
      usage: { completion_tokens: 5 },
    });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 5);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      body: { temperature: 0 },
    });
    expect(sim.requests[0]?.headers.authorization).toBe("Bearer k");
  });

  it("streams SSE chunks ending with [DONE], usage included on request", async () => {
    sim.script([{ content: "Three small words" }]);
    const response = await chat({ stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const data = await sseData(response);
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((line) => JSON.parse(line));
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    expect(text).toBe("Three small words");
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta?.content).length).toBe(3);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 5 } });
  });

  it("requires a bearer token without consuming the script", async () => {
    sim.script([{ content: "kept" }]);
    const response = await chat({}, {});
    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatchObject({ code: "invalid_api_key" });
    expect(sim.pending).toBe(1);
    expect(sim.requests).toHaveLength(1);

    const strict = await createLlmSimulator({ apiKey: "right" });
    try {
      const wrong = await fetch(`${strict.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer wrong" },
        body: JSON.stringify({ model: "m", messages: user("x") }),
      });
      expect(wrong.status).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it("replies with scripted errors: 429 with Retry-After, 500, then content", async () => {
    sim.script([{ status: 429, retryAfter: 1 }, { status: 500 }, { status: 503, retryAfterMs: 250 }]);
    const limited = await chat({});
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await limited.json()).error).toMatchObject({
      type: "rate_limit_exceeded",
      message: expect.any(String),
    });
    const failed = await chat({});
    expect(failed.status).toBe(500);
    expect((await failed.json()).error.type).toBe("server_error");
    const unavailable = await chat({});
    expect(unavailable.headers.get("retry-after-ms")).toBe("250");
    expect(unavailable.headers.get("retry-after")).toBe("1");
  });

  it("sends malformed JSON and tool calls when scripted", async () => {
    sim.script([
      { malformedJson: true },
      { toolCalls: [{ name: "run_sql", arguments: { sql: "select 1" } }] },
    ]);
    const malformed = await (await chat({})).json();
    expect(malformed.choices[0].message.content).toBe(MALFORMED_JSON);
    expect(() => JSON.parse(malformed.choices[0].message.content)).toThrow();
    const tools = await (await chat({})).json();
    expect(tools.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: {
        content: null,
        tool_calls: [{ type: "function", function: { name: "run_sql", arguments: '{"sql":"select 1"}' } }],
      },
    });
  });

  it("echoes the last user message when unscripted, and refuses unscripted json_schema requests", async () => {
    const echo = await (await chat({ messages: user("ping") })).json();
    expect(echo.choices[0].message.content).toBe("Simulated reply: ping");
    const schema = { type: "json_schema", json_schema: { name: "Plan", schema: { type: "object" } } };
    const refused = await chat({ response_format: schema });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(
      /no scripted reply for this structured-output request \(schema "Plan"\)/,
    );
  });

  it("answers json_schema requests with the scripted content", async () => {
    sim.script([{ content: '{"steps":[]}' }]);
    const schema = { type: "json_schema", json_schema: { name: "Plan", schema: { type: "object" } } };
    const body = await (await chat({ response_format: schema })).json();
    expect(JSON.parse(body.choices[0].message.content)).toEqual({ steps: [] });
  });

  it("delays replies and uses the respond option when the script is empty", async () => {
    const slow = await createLlmSimulator({
      delayMs: 150,
      respond: (request) => ({ content: `model=${request.model}` }),
    });
    try {
      const started = Date.now();
      const response = await fetch(`${slow.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer k" },
        body: JSON.stringify({ model: "m1", messages: user("x") }),
      });
      expect((await response.json()).choices[0].message.content).toBe("model=m1");
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await slow.close();
    }
  });
});

describe("Anthropic messages", () => {
  it("answers text content with usage from the same script", async () => {
    sim.script([{ content: "Hi there." }]);
    const response = await messages({ system: "Be nice." });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: "Hi there." }],
      stop_reason: "end_turn",
      usage: { input_tokens: expect.any(Number), output_tokens: 3 },
    });
  });

  it("requires x-api-key and anthropic-version, with Anthropic error bodies", async () => {
    const noKey = await messages({}, { "x-api-key": "" });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const noVersion = await messages({}, { "anthropic-version": "" });
    expect(noVersion.status).toBe(400);
    sim.script([{ status: 429, retryAfter: 1 }, { status: 529 }]);
    const limited = await messages({});
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await limited.json()).error.type).toBe("rate_limit_error");
    expect((await (await messages({})).json()).error.type).toBe("overloaded_error");
  });

  it("answers a forced tool with a tool_use block holding the scripted JSON", async () => {
    sim.script([{ content: '{"score":3}' }]);
    const body = await (
      await messages({
        tools: [{ name: "json", description: "Respond with JSON", input_schema: { type: "object" } }],
        tool_choice: { type: "tool", name: "json" },
      })
    ).json();
    expect(body).toMatchObject({
      stop_reason: "tool_use",
      content: [{ type: "tool_use", name: "json", input: { score: 3 } }],
    });
  });

  it("streams message events", async () => {
    sim.script([{ content: "Streamed reply" }]);
    const response = await messages({ stream: true });
    const events = (await sseData(response)).map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const text = events.map((event) => event.delta?.text ?? "").join("");
    expect(text).toBe("Streamed reply");
    expect(events[5]).toMatchObject({ delta: { stop_reason: "end_turn" }, usage: { output_tokens: 4 } });
  });
});

describe("GET /v1/models", () => {
  it("lists models in the OpenAI or the Anthropic format", async () => {
    const openai = await (
      await fetch(`${sim.url}/models`, { headers: { authorization: "Bearer k" } })
    ).json();
    expect(openai).toMatchObject({
      object: "list",
      data: expect.arrayContaining([expect.objectContaining({ id: "gpt-4o-mini" })]),
    });
    const anthropic = await (
      await fetch(`${sim.url}/models`, { headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" } })
    ).json();
    expect(anthropic).toMatchObject({
      has_more: false,
      data: expect.arrayContaining([expect.objectContaining({ type: "model" })]),
    });
    expect((await fetch(`${sim.url}/models`)).status).toBe(401);
  });
});
