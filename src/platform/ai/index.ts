import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { outcomeOf } from "./map-error.js";
import { createOfflineEngines } from "./offline.js";
import { type AiConfig, resolveProvider } from "./providers.js";
import { type CallStats, createRemoteModel } from "./remote.js";
import type { Ai, AiTextCall, AiUsage } from "./types.js";

export type { AiConfig } from "./providers.js";
export type * from "./types.js";

/**
 * The language model behind one interface: deterministic offline engines by default, or a
 * provider through the AI SDK. Throws a ConfigError when the provider's key is missing.
 */
export function createAi(deps: {
  config: AiConfig;
  log: Logger;
  metrics: Pick<Metrics, "aiTokens" | "aiCalls">;
  fetch?: typeof fetch;
}): Ai {
  const { config, log, metrics } = deps;
  const offline = createOfflineEngines();
  const provider = config.AI_PROVIDER;
  const remote =
    provider === "offline"
      ? undefined
      : createRemoteModel({
          target: resolveProvider(config, provider),
          timeoutMs: config.AI_TIMEOUT_MS,
          maxRetries: config.AI_MAX_RETRIES,
          log,
          fetch: deps.fetch ?? globalThis.fetch,
        });
  const model = remote?.model ?? "offline";

  /** Runs one call, then counts it, its tokens and logs it, whether it succeeded or not. */
  async function observe<V>(call: AiTextCall, run: (stats: CallStats) => Promise<V>) {
    const stats: CallStats = { inputTokens: 0, outputTokens: 0, requests: 0 };
    const started = performance.now();
    let outcome = "ok";
    let failure: string | undefined;
    try {
      const value = await run(stats);
      const usage: AiUsage = { inputTokens: stats.inputTokens, outputTokens: stats.outputTokens };
      return { value, usage };
    } catch (error) {
      outcome = outcomeOf(error);
      failure = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      metrics.aiCalls.inc({ provider, model, outcome });
      metrics.aiTokens.inc({ provider, model, kind: "input" }, stats.inputTokens);
      metrics.aiTokens.inc({ provider, model, kind: "output" }, stats.outputTokens);
      const fields = {
        provider,
        model,
        engine: call.engine,
        inputTokens: stats.inputTokens,
        outputTokens: stats.outputTokens,
        ms: Math.round(performance.now() - started),
        ...(remote ? { requests: stats.requests } : {}),
      };
      if (outcome !== "ok") log.warn({ ...fields, outcome, error: failure }, "ai call failed");
      else if (remote) log.info(fields, "ai call");
      else log.debug(fields, "ai call");
    }
  }

  return {
    provider,
    model,
    registerOfflineEngine: (name, engine) => offline.register(name, engine),

    async generateText(call) {
      const { value, usage } = await observe(call, (stats) =>
        remote ? remote.text(call, stats) : offline.text(call),
      );
      return { text: value, usage };
    },

    async generateObject(call) {
      const { value, usage } = await observe(call, (stats) =>
        remote
          ? remote.object(call, { schema: call.schema, schemaName: call.schemaName }, stats)
          : offline.object(call),
      );
      return { object: value, usage };
    },
  };
}
