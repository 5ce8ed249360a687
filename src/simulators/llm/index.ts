import Fastify, { type FastifyError, type FastifyRequest } from "fastify";
import { anthropicKeyOk, registerAnthropicRoutes } from "./anthropic-routes.js";
import { bearerOk, type RouteContext, registerOpenAiRoutes, sendError } from "./openai-routes.js";
import { type ChatRequest, createReplyQueue, type LlmReply, type LlmSimulatorRequest } from "./script.js";

export type { ChatRequest, LlmReply, LlmSimulatorRequest, LlmToolCall } from "./script.js";
export { MALFORMED_JSON } from "./script.js";

export interface LlmSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  host?: string;
  /** When set, only this key is accepted; otherwise any non-empty key is. */
  apiKey?: string;
  /** Delay before every reply, e.g. to exercise client timeouts. */
  delayMs?: number;
  /** Models listed by `GET /v1/models` (any model name is accepted in requests). */
  models?: string[];
  /** Answers requests when the script is empty (demo mode); undefined falls back to the default reply. */
  respond?: (request: ChatRequest) => LlmReply | undefined;
}

export interface LlmSimulator {
  /** Base URL including `/v1`, ready for `AI_BASE_URL`. */
  readonly url: string;
  /** Appends replies to the queue; each request to either API takes the next one. */
  script(replies: LlmReply[]): void;
  /** Every request received, in order, authorized or not. */
  readonly requests: readonly LlmSimulatorRequest[];
  /** Replies still queued. */
  readonly pending: number;
  /** Clears the queue and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const defaultModels = ["gpt-4o-mini", "claude-sonnet-4-5", "openai/gpt-oss-20b", "llama3.2"];

/**
 * A wire-faithful fake of the OpenAI chat completions and Anthropic Messages APIs with a
 * scripted queue of replies (content, tool calls, error statuses with Retry-After, malformed JSON).
 * When the queue is empty it echoes the last user message, and refuses structured-output
 * requests with a 400 saying to script a reply.
 */
export async function createLlmSimulator(options: LlmSimulatorOptions = {}): Promise<LlmSimulator> {
  const queue = createReplyQueue(options.respond);
  const requests: LlmSimulatorRequest[] = [];
  const sleeping = new Set<() => void>();
  let seq = 0;

  const ctx: RouteContext = {
    queue,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    wait(replyDelayMs) {
      const ms = (options.delayMs ?? 0) + replyDelayMs;
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleeping.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        sleeping.add(done);
      });
    },
    nextId: (prefix) => `${prefix}-${++seq}`,
  };

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 10 * 1024 * 1024 });
  const recorded = new WeakMap<FastifyRequest, LlmSimulatorRequest>();
  app.addHook("onRequest", async (request) => {
    const entry = {
      method: request.method,
      path: request.url.split("?")[0] ?? request.url,
      headers: { ...request.headers },
      body: undefined,
      receivedAt: Date.now(),
    };
    recorded.set(request, entry);
    requests.push(entry);
  });
  app.addHook("preHandler", async (request) => {
    const entry = recorded.get(request);
    if (entry) entry.body = request.body;
  });
  app.setErrorHandler((error: FastifyError, _request, reply) =>
    sendError(reply, error.statusCode ?? 500, error.message),
  );
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `Unknown route ${request.method} ${request.url}`),
  );

  registerOpenAiRoutes(app, ctx);
  registerAnthropicRoutes(app, ctx);
  app.get("/v1/models", async (request, reply) => {
    const models = options.models ?? defaultModels;
    if (request.headers["anthropic-version"]) {
      if (!anthropicKeyOk(request, options.apiKey)) {
        return reply
          .code(401)
          .send({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
      }
      const data = models.map((id) => ({
        type: "model",
        id,
        display_name: id,
        created_at: "2025-01-01T00:00:00Z",
      }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    }
    if (!bearerOk(request, options.apiKey))
      return sendError(reply, 401, "Incorrect API key provided (simulated).");
    return {
      object: "list",
      data: models.map((id) => ({
        id,
        object: "model",
        created: 1735689600,
        owned_by: "sightline-simulator",
      })),
    };
  });

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  return {
    url: `${address}/v1`,
    script: (replies) => queue.push(replies),
    requests,
    get pending() {
      return queue.pending;
    },
    reset() {
      queue.clear();
      requests.length = 0;
    },
    async close() {
      for (const wake of [...sleeping]) wake();
      await app.close();
    },
  };
}
