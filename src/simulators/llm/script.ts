/** What the LLM simulator answers: a queue of scripted replies shared by both wire formats. */

export interface LlmToolCall {
  name: string;
  /** An object (serialized for OpenAI, passed as `input` for Anthropic) or a raw JSON string. */
  arguments: unknown;
  id?: string;
}

interface ReplyTiming {
  /** Wait this long before answering (on top of the simulator's `delayMs`). */
  delayMs?: number;
}

export type LlmReply = ReplyTiming &
  (
    | { content: string; toolCalls?: LlmToolCall[] }
    | { toolCalls: LlmToolCall[]; content?: string }
    | { status: number; retryAfter?: number; retryAfterMs?: number; message?: string }
    | { malformedJson: true }
  );

/** One request as the simulator received it, for assertions. */
export interface LlmSimulatorRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
}

/** A chat request reduced to what choosing and sizing a reply needs, whatever its wire format. */
export interface ChatRequest {
  format: "openai" | "anthropic";
  model: string;
  lastUserText: string;
  /** Set when the request asks for structured output (json_schema, output_config or a forced tool). */
  schemaName?: string;
  promptTokens: number;
}

/** The reply resolved for one request: either an error status or an assistant message. */
export type ResolvedReply =
  | { kind: "error"; status: number; message: string; retryAfter?: number; retryAfterMs?: number }
  | { kind: "message"; content: string | null; toolCalls: Required<LlmToolCall>[]; completionTokens: number };

/** Not valid JSON, deterministic: what a model cut off mid-object sends. */
export const MALFORMED_JSON = '{"answer": "the model stopped here';

export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function createReplyQueue(respond?: (request: ChatRequest) => LlmReply | undefined) {
  const queue: LlmReply[] = [];
  let toolCallSeq = 0;

  function defaultReply(request: ChatRequest): LlmReply {
    if (request.schemaName !== undefined) {
      return {
        status: 400,
        message:
          `llm simulator: no scripted reply for this structured-output request (schema "${request.schemaName}"); ` +
          "script one with simulator.script([{ content: JSON.stringify(value) }])",
      };
    }
    return { content: `Simulated reply: ${request.lastUserText}` };
  }

  function resolve(reply: LlmReply): ResolvedReply {
    if ("status" in reply) {
      return {
        kind: "error",
        status: reply.status,
        message: reply.message ?? defaultErrorMessage(reply.status),
        ...(reply.retryAfter !== undefined ? { retryAfter: reply.retryAfter } : {}),
        ...(reply.retryAfterMs !== undefined ? { retryAfterMs: reply.retryAfterMs } : {}),
      };
    }
    const content = "malformedJson" in reply ? MALFORMED_JSON : (reply.content ?? null);
    const toolCalls = ("toolCalls" in reply ? (reply.toolCalls ?? []) : []).map((call) => ({
      name: call.name,
      arguments: call.arguments,
      id: call.id ?? `call_sim_${++toolCallSeq}`,
    }));
    const outputText = (content ?? "") + toolCalls.map((call) => JSON.stringify(call.arguments)).join("");
    return { kind: "message", content, toolCalls, completionTokens: countTokens(outputText) };
  }

  return {
    push(replies: LlmReply[]) {
      queue.push(...replies);
    },
    clear() {
      queue.length = 0;
    },
    get pending() {
      return queue.length;
    },
    /** The next scripted reply, else `respond`, else the default; with its delay. */
    next(request: ChatRequest): { reply: ResolvedReply; delayMs: number } {
      const reply = queue.shift() ?? respond?.(request) ?? defaultReply(request);
      return { reply: resolve(reply), delayMs: reply.delayMs ?? 0 };
    },
  };
}

export type ReplyQueue = ReturnType<typeof createReplyQueue>;

function defaultErrorMessage(status: number): string {
  if (status === 429) return "Rate limit reached for requests (simulated). Please try again later.";
  if (status === 401) return "Incorrect API key provided (simulated).";
  if (status >= 500) return "The server had an error while processing your request (simulated).";
  return `Simulated error ${status}.`;
}

/** Text of a message content that is a string or an array of `{type:"text", text}` parts. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) =>
      part !== null && typeof part === "object" && "text" in part && typeof part.text === "string"
        ? part.text
        : "",
    )
    .join("");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Splits content into word-sized deltas, as a streaming model sends it. */
export function streamPieces(content: string): string[] {
  return content.match(/\s*\S+\s*/g) ?? (content ? [content] : []);
}
