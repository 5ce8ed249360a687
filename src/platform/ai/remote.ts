import {
  generateText,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  Output,
} from "ai";
import { z } from "zod";
import { Upstream } from "../errors.js";
import type { Logger } from "../log.js";
import { type AiFailure, toAiError } from "./map-error.js";
import type { ResolvedProvider } from "./providers.js";
import type { AiTextCall } from "./types.js";

/** What one logical call used, filled in as it goes so a failed call is still accounted for. */
export interface CallStats {
  inputTokens: number;
  outputTokens: number;
  requests: number;
}

interface Structured<T> {
  schema: z.ZodType<T>;
  schemaName: string;
}

type Attempt<V> = { ok: true; value: V } | { ok: false; text: string; reason: string };

// Strict JSON schema mode rejects optional properties; every object is validated by Zod here anyway.
const providerOptions = {
  openai: { strictJsonSchema: false },
  groq: { strictJsonSchema: false },
  openaiCompatible: { strictJsonSchema: false },
};

/**
 * Calls a remote model through the AI SDK. Its built-in retry handles 408/409/429/5xx and network
 * errors and honours `retry-after-ms` / `Retry-After` (up to 60 s, exponential backoff from 2 s
 * otherwise). Invalid structured output is asked for once more, which spends one of the same
 * AI_MAX_RETRIES. AI_TIMEOUT_MS bounds the whole call, retries and waits included.
 */
export function createRemoteModel(deps: {
  target: ResolvedProvider;
  timeoutMs: number;
  maxRetries: number;
  log: Logger;
  fetch: typeof fetch;
}) {
  const { target, timeoutMs, maxRetries, log } = deps;
  const { provider, model } = target;

  function countingFetch(stats: CallStats): typeof fetch {
    return async (input, init) => {
      stats.requests++;
      const response = await deps.fetch(input, init);
      if (response.status === 408 || response.status === 429 || response.status >= 500) {
        const retryAfter =
          response.headers.get("retry-after-ms") ?? response.headers.get("retry-after") ?? undefined;
        log.warn(
          { provider, model, status: response.status, attempt: stats.requests, retryAfter },
          "ai request failed",
        );
      }
      return response;
    };
  }

  async function run<V>(
    call: AiTextCall,
    stats: CallStats,
    attempt: (
      model: LanguageModel,
      messages: ModelMessage[],
      retries: number,
      signal: AbortSignal,
    ) => Promise<Attempt<V>>,
    schemaName?: string,
  ): Promise<V> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const languageModel = target.connect(countingFetch(stats));
    let messages: ModelMessage[] = call.messages.map((message) => ({
      role: message.role,
      content: message.content,
    }));
    try {
      let result = await attempt(languageModel, messages, maxRetries, signal);
      // The re-ask is a retry too: allowed while transport retries (requests - 1) + 1 <= AI_MAX_RETRIES.
      if (!result.ok && stats.requests <= maxRetries) {
        log.warn(
          { provider, model, engine: call.engine, schemaName, reason: result.reason },
          "ai output invalid, asking again",
        );
        messages = [
          ...messages,
          ...(result.text.trim() ? [{ role: "assistant" as const, content: result.text }] : []),
          {
            role: "user",
            content: `That reply was not valid: ${result.reason}. Answer again with only a JSON object that matches the ${schemaName} schema.`,
          },
        ];
        result = await attempt(languageModel, messages, maxRetries - stats.requests, signal);
      }
      if (!result.ok) {
        throw new Upstream(`${provider} (${model}) did not return a valid ${schemaName}: ${result.reason}`, {
          provider,
          model,
          schemaName,
          reason: "invalid_output" satisfies AiFailure,
        });
      }
      return result.value;
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason ?? error;
      if (timeout.aborted) {
        throw new Upstream(`${provider} (${model}) did not answer within ${timeoutMs} ms (AI_TIMEOUT_MS)`, {
          provider,
          model,
          timeoutMs,
          reason: "timeout" satisfies AiFailure,
        });
      }
      throw toAiError(error, target);
    }
  }

  function common(
    call: AiTextCall,
    model: LanguageModel,
    messages: ModelMessage[],
    retries: number,
    signal: AbortSignal,
  ) {
    return {
      model,
      ...(call.system !== undefined ? { system: call.system } : {}),
      messages,
      ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
      ...(call.maxOutputTokens !== undefined ? { maxOutputTokens: call.maxOutputTokens } : {}),
      maxRetries: retries,
      abortSignal: signal,
      providerOptions,
    };
  }

  return {
    provider,
    model,

    text(call: AiTextCall, stats: CallStats): Promise<string> {
      return run(call, stats, async (languageModel, messages, retries, signal) => {
        const result = await generateText(common(call, languageModel, messages, retries, signal));
        addUsage(stats, result.totalUsage);
        return { ok: true, value: result.text };
      });
    },

    object<T>(call: AiTextCall, structured: Structured<T>, stats: CallStats): Promise<T> {
      const output = Output.object({ schema: structured.schema, name: structured.schemaName });
      const attempt = async (
        languageModel: LanguageModel,
        messages: ModelMessage[],
        retries: number,
        signal: AbortSignal,
      ): Promise<Attempt<T>> => {
        try {
          const result = await generateText({
            ...common(call, languageModel, messages, retries, signal),
            output,
          });
          addUsage(stats, result.totalUsage);
          try {
            return { ok: true, value: result.output };
          } catch (error) {
            if (!NoOutputGeneratedError.isInstance(error)) throw error;
            return { ok: false, text: result.text, reason: "the reply contained no JSON object" };
          }
        } catch (error) {
          if (!NoObjectGeneratedError.isInstance(error)) throw error;
          if (error.usage) addUsage(stats, error.usage);
          return { ok: false, text: error.text ?? "", reason: describeInvalid(error) };
        }
      };
      return run(call, stats, attempt, structured.schemaName);
    },
  };
}

export type RemoteModel = ReturnType<typeof createRemoteModel>;

function addUsage(stats: CallStats, usage: LanguageModelUsage) {
  stats.inputTokens += usage.inputTokens ?? 0;
  stats.outputTokens += usage.outputTokens ?? 0;
}

/** "it is not valid JSON (…)" or "it does not match the schema (score: expected number…)", from the root cause. */
function describeInvalid(error: NoObjectGeneratedError): string {
  const what = error.message.includes("parse") ? "it is not valid JSON" : "it does not match the schema";
  let cause: unknown = error.cause;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  let detail = cause instanceof Error ? cause.message : "";
  if (cause instanceof z.ZodError) {
    detail = cause.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
  }
  detail = detail.replace(/\s+/g, " ").slice(0, 300);
  return detail ? `${what} (${detail})` : what;
}
