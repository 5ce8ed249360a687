import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { openEventStream, type RouteContext, setRetryHeaders } from "./openai-routes.js";
import {
  type ChatRequest,
  countTokens,
  isRecord,
  type ResolvedReply,
  streamPieces,
  textOf,
} from "./script.js";

/** Anthropic Messages: `POST /v1/messages` with `x-api-key` and `anthropic-version`, JSON or SSE. */
export function registerAnthropicRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post("/v1/messages", async (request, reply) => {
    if (!anthropicKeyOk(request, ctx.apiKey)) return sendError(reply, 401, "invalid x-api-key (simulated)");
    if (!request.headers["anthropic-version"]) {
      return sendError(reply, 400, "anthropic-version: header is required");
    }
    const body = isRecord(request.body) ? request.body : {};
    const messages = Array.isArray(body.messages) ? body.messages : [];
    if (typeof body.model !== "string" || typeof body.max_tokens !== "number" || messages.length === 0) {
      return sendError(reply, 400, "`model`, `max_tokens` and a non-empty `messages` array are required.");
    }
    const forcedTool = forcedToolName(body);
    const chat = toChatRequest(body, messages, forcedTool);
    const { reply: resolved, delayMs } = ctx.queue.next(chat);
    await ctx.wait(delayMs);
    if (resolved.kind === "error") return sendError(reply, resolved.status, resolved.message, resolved);
    const content = contentBlocks(resolved, forcedTool);
    const stopReason = content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn";
    const message = {
      id: ctx.nextId("msg_sim"),
      type: "message",
      role: "assistant",
      model: chat.model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: chat.promptTokens,
        output_tokens: resolved.completionTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    };
    if (body.stream === true) {
      streamMessage(reply, message);
      return reply;
    }
    return message;
  });
}

export function anthropicKeyOk(request: FastifyRequest, apiKey: string | undefined): boolean {
  const key = request.headers["x-api-key"];
  return typeof key === "string" && key.trim() !== "" && (apiKey === undefined || key === apiKey);
}

/** The tool the request forces (`tool_choice`), which is how JSON mode works on older Claude models. */
function forcedToolName(body: Record<string, unknown>): string | undefined {
  const choice = isRecord(body.tool_choice) ? body.tool_choice : undefined;
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  if (choice?.type === "tool" && typeof choice.name === "string") return choice.name;
  if (choice?.type === "any" && tools.length === 1 && typeof tools[0]?.name === "string")
    return tools[0].name;
  return undefined;
}

function toChatRequest(body: Record<string, unknown>, messages: unknown[], forcedTool?: string): ChatRequest {
  const lastUser = [...messages].reverse().find((m) => isRecord(m) && m.role === "user");
  const outputConfig = isRecord(body.output_config) ? body.output_config : undefined;
  const format = isRecord(outputConfig?.format) ? outputConfig.format : undefined;
  const schemaName = format?.type === "json_schema" ? "output_config" : forcedTool;
  return {
    format: "anthropic",
    model: String(body.model),
    lastUserText: isRecord(lastUser) ? textOf(lastUser.content) : "",
    ...(schemaName !== undefined ? { schemaName } : {}),
    promptTokens: countTokens(JSON.stringify([body.system ?? "", messages])),
  };
}

type MessageReply = Extract<ResolvedReply, { kind: "message" }>;
type Block = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

function contentBlocks(resolved: MessageReply, forcedTool: string | undefined): Block[] {
  const blocks: Block[] = [];
  const forcedInput =
    forcedTool !== undefined && resolved.content !== null ? parseObject(resolved.content) : undefined;
  if (forcedTool !== undefined && forcedInput !== undefined) {
    blocks.push({ type: "tool_use", id: `toolu_sim_${forcedTool}`, name: forcedTool, input: forcedInput });
  } else if (resolved.content !== null && resolved.content !== "") {
    blocks.push({ type: "text", text: resolved.content });
  }
  for (const call of resolved.toolCalls) {
    const input = typeof call.arguments === "string" ? (parseObject(call.arguments) ?? {}) : call.arguments;
    blocks.push({ type: "tool_use", id: call.id, name: call.name, input });
  }
  return blocks;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const errorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error",
};

function sendError(
  reply: FastifyReply,
  status: number,
  message: string,
  retry: { retryAfter?: number; retryAfterMs?: number } = {},
) {
  setRetryHeaders(reply, retry);
  const type = errorTypes[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return reply.code(status).send({ type: "error", error: { type, message } });
}

function streamMessage(
  reply: FastifyReply,
  message: { content: Block[]; stop_reason: string; usage: { output_tokens: number } },
) {
  const raw = openEventStream(reply);
  const event = (type: string, data: Record<string, unknown>) =>
    raw.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event("message_start", {
    message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } },
  });
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      event("content_block_start", { index, content_block: { type: "text", text: "" } });
      for (const text of streamPieces(block.text)) {
        event("content_block_delta", { index, delta: { type: "text_delta", text } });
      }
    } else {
      event("content_block_start", { index, content_block: { ...block, input: {} } });
      const partial_json = JSON.stringify(block.input);
      event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } });
    }
    event("content_block_stop", { index });
  });
  event("message_delta", {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  event("message_stop", {});
  raw.end();
}
