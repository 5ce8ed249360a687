import { APICallError, RetryError } from "ai";
import { AppError, RateLimited, Unavailable, Upstream } from "../errors.js";
import type { ResolvedProvider } from "./providers.js";

export type AiFailure = "timeout" | "invalid_output" | "auth" | "http" | "network";

/** The error a failed model call leaves as: an AppError naming the provider, or the original error. */
export function toAiError(error: unknown, target: ResolvedProvider): unknown {
  const last = RetryError.isInstance(error) ? error.lastError : error;
  if (!APICallError.isInstance(last)) return last;
  const { provider, model } = target;
  const status = last.statusCode;
  const detail = last.message;
  if (status === 401 || status === 403) {
    const check = target.keyVariable ? `check ${target.keyVariable}` : "check the provider's configuration";
    return new Upstream(
      `${provider} rejected the request as unauthorized (HTTP ${status}: ${detail}); ${check}`,
      {
        provider,
        model,
        status,
        reason: "auth" satisfies AiFailure,
      },
    );
  }
  if (status === 429) {
    return new RateLimited(
      `${provider} is rate limiting requests: ${detail}`,
      retryAfterSeconds(last.responseHeaders),
    );
  }
  if (status === undefined) {
    return new Unavailable(
      `Cannot reach ${provider}${target.baseUrl ? ` at ${target.baseUrl}` : ""}: ${detail}`,
    );
  }
  return new Upstream(`${provider} answered HTTP ${status}: ${detail}`, {
    provider,
    model,
    status,
    reason: "http" satisfies AiFailure,
  });
}

/** The metrics outcome of a failed call. */
export function outcomeOf(error: unknown): string {
  if (error instanceof RateLimited) return "rate_limited";
  if (error instanceof Unavailable) return "unavailable";
  if (error instanceof AppError && typeof error.extra.reason === "string") return error.extra.reason;
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))
    return "aborted";
  return "error";
}

function retryAfterSeconds(headers: Record<string, string> | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.["retry-after-ms"] ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.max(1, Math.ceil(ms / 1000));
  const seconds = Number.parseFloat(headers?.["retry-after"] ?? "");
  return Number.isFinite(seconds) && seconds >= 0 ? Math.max(1, Math.ceil(seconds)) : undefined;
}
