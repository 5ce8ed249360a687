import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type ChatRequest,
  countTokens,
  isRecord,
  type ReplyQueue,
  type ResolvedReply,
  streamPieces,
  textOf,
} from "./script.js";

export interface RouteContext {
  queue: ReplyQueue;
  apiKey?: string;
  wait(ms: number): Promise<void>;
  nextId(prefix: string): string;
}

/** OpenAI chat completions: `POST /v1/chat/completions`, JSON or SSE (`stream: true`). */
export function registerOpenAiRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post("/v1/chat/completions", async (request, reply) => {
    if (!bearerOk(request, ctx.apiKey))
      return sendError(reply, 401, "Incorrect API key provided (simulated).");
    const body = isRecord(request.body) ? request.body : {};
    const messages = Array.isArray(body.messages) ? body.messages : [];
    if (typeof body.model !== "string" || messages.length === 0) {
      return sendError(reply, 400, "`model` and a non-empty `messages` array are required.");
    }
    const chat = toChatRequest(body, messages);
    const { reply: resolved, delayMs } = ctx.queue.next(chat);
    await ctx.wait(delayMs);
    if (resolved.kind === "error") return sendError(reply, resolved.status, resolved.message, resolved);
    const id = ctx.nextId("chatcmpl-sim");
    const usage = {
      prompt_tokens: chat.promptTokens,
      completion_tokens: resolved.completionTokens,
      total_tokens: chat.promptTokens + resolved.completionTokens,
    };
    const created = Math.floor(Date.now() / 1000);
    if (body.stream === true) {
      const options = isRecord(body.stream_options) ? body.stream_options : {};
      streamCompletion(
        reply,
        { id, created, model: chat.model },
        resolved,
        options.include_usage === true ? usage : undefined,
      );
      return reply;
    }
    return {
      id,
      object: "chat.completion",
      created,
      model: chat.model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: resolved.content,
            ...(resolved.toolCalls.length > 0 ? { tool_calls: resolved.toolCalls.map(toWireToolCall) } : {}),
          },
          logprobs: null,
          finish_reason: resolved.toolCalls.length > 0 ? "tool_calls" : "stop",
        },
      ],
      usage,
      system_fingerprint: "fp_sightline_sim",
    };
  });
}

function toChatRequest(body: Record<string, unknown>, messages: unknown[]): ChatRequest {
  const lastUser = [...messages].reverse().find((m) => isRecord(m) && m.role === "user");
  const format = isRecord(body.response_format) ? body.response_format : undefined;
  let schemaName: string | undefined;
  if (format?.type === "json_schema") {
    schemaName = isRecord(format.json_schema) ? String(format.json_schema.name ?? "response") : "response";
  } else if (format?.type === "json_object") {
    schemaName = "json_object";
  }
  return {
    format: "openai",
    model: String(body.model),
    lastUserText: isRecord(lastUser) ? textOf(lastUser.content) : "",
    ...(schemaName !== undefined ? { schemaName } : {}),
    promptTokens: countTokens(JSON.stringify(messages)),
  };
}

export function bearerOk(request: FastifyRequest, apiKey: string | undefined): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
  return match !== null && (apiKey === undefined || match[1] === apiKey);
}

const errorShapes: Record<number, { type: string; code: string | null }> = {
  400: { type: "invalid_request_error", code: null },
  401: { type: "invalid_request_error", code: "invalid_api_key" },
  403: { type: "invalid_request_error", code: "permission_denied" },
  404: { type: "invalid_request_error", code: "model_not_found" },
  408: { type: "timeout", code: "timeout" },
  429: { type: "rate_limit_exceeded", code: "rate_limit_exceeded" },
};

export function sendError(
  reply: FastifyReply,
  status: number,
  message: string,
  retry: { retryAfter?: number; retryAfterMs?: number } = {},
) {
  const shape = errorShapes[status] ?? {
    type: status >= 500 ? "server_error" : "invalid_request_error",
    code: null,
  };
  setRetryHeaders(reply, retry);
  return reply.code(status).send({ error: { message, type: shape.type, param: null, code: shape.code } });
}

export function setRetryHeaders(reply: FastifyReply, retry: { retryAfter?: number; retryAfterMs?: number }) {
  if (retry.retryAfterMs !== undefined) {
    reply.header("retry-after-ms", String(retry.retryAfterMs));
    reply.header("retry-after", String(retry.retryAfter ?? Math.ceil(retry.retryAfterMs / 1000)));
  } else if (retry.retryAfter !== undefined) {
    reply.header("retry-after", String(retry.retryAfter));
  }
}

function toWireToolCall(call: { id: string; name: string; arguments: unknown }) {
  return {
    id: call.id,
    type: "function",
    function: {
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    },
  };
}

type MessageReply = Extract<ResolvedReply, { kind: "message" }>;

function streamCompletion(
  reply: FastifyReply,
  meta: { id: string; created: number; model: string },
  resolved: MessageReply,
  usage: Record<string, number> | undefined,
) {
  const raw = openEventStream(reply);
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    raw.write(
      `data: ${JSON.stringify({
        ...meta,
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      })}\n\n`,
    );
  chunk({ role: "assistant", content: "" });
  for (const piece of streamPieces(resolved.content ?? "")) chunk({ content: piece });
  resolved.toolCalls.forEach((call, index) => {
    chunk({ tool_calls: [{ index, ...toWireToolCall(call) }] });
  });
  chunk({}, resolved.toolCalls.length > 0 ? "tool_calls" : "stop");
  if (usage)
    raw.write(
      `data: ${JSON.stringify({ ...meta, object: "chat.completion.chunk", choices: [], usage })}\n\n`,
    );
  raw.end("data: [DONE]\n\n");
}

/** Takes over the reply and starts a server-sent event stream on it. */
export function openEventStream(reply: FastifyReply) {
  reply.hijack();
  reply.raw.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  return reply.raw;
}
