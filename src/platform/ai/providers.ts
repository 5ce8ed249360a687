import { createAnthropic } from "@ai-sdk/anthropic";
import { createGroq } from "@ai-sdk/groq";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { type Config, ConfigError } from "../../config.js";
import type { AiProviderName } from "./types.js";

export type RemoteProviderName = Exclude<AiProviderName, "offline">;

export type AiConfig = Pick<
  Config,
  | "AI_PROVIDER"
  | "AI_MODEL"
  | "AI_BASE_URL"
  | "AI_TIMEOUT_MS"
  | "AI_MAX_RETRIES"
  | "OPENAI_API_KEY"
  | "ANTHROPIC_API_KEY"
  | "GROQ_API_KEY"
  | "OPENROUTER_API_KEY"
  | "OLLAMA_BASE_URL"
>;

type KeyVariable = "OPENAI_API_KEY" | "ANTHROPIC_API_KEY" | "GROQ_API_KEY" | "OPENROUTER_API_KEY";

interface ConnectOptions {
  apiKey: string;
  baseURL: string | undefined;
  fetch: typeof fetch;
}

interface ProviderSpec {
  defaultModel: string;
  /** The variable holding the key; none for Ollama, which needs no key. */
  keyVariable?: KeyVariable;
  defaultBaseUrl?(config: AiConfig): string;
  connect(options: ConnectOptions): (modelId: string) => LanguageModel;
}

/** Every remote provider: how to reach it and the model used when AI_MODEL is unset. */
export const providers: Record<RemoteProviderName, ProviderSpec> = {
  openai: {
    defaultModel: "gpt-4o-mini",
    keyVariable: "OPENAI_API_KEY",
    // Chat completions rather than the Responses API, so any OpenAI-compatible endpoint works.
    connect: ({ baseURL, ...rest }) => createOpenAI({ ...rest, ...(baseURL ? { baseURL } : {}) }).chat,
  },
  anthropic: {
    defaultModel: "claude-sonnet-4-5",
    keyVariable: "ANTHROPIC_API_KEY",
    connect: ({ baseURL, ...rest }) => createAnthropic({ ...rest, ...(baseURL ? { baseURL } : {}) }).messages,
  },
  groq: {
    defaultModel: "openai/gpt-oss-20b",
    keyVariable: "GROQ_API_KEY",
    connect: ({ baseURL, ...rest }) => createGroq({ ...rest, ...(baseURL ? { baseURL } : {}) }).languageModel,
  },
  openrouter: {
    defaultModel: "openai/gpt-4o-mini",
    keyVariable: "OPENROUTER_API_KEY",
    defaultBaseUrl: () => "https://openrouter.ai/api/v1",
    connect: (options) => compatible("openrouter", options),
  },
  ollama: {
    defaultModel: "llama3.2",
    defaultBaseUrl: (config) => config.OLLAMA_BASE_URL,
    connect: (options) => compatible("ollama", options),
  },
};

function compatible(name: string, { baseURL, apiKey, fetch }: ConnectOptions) {
  if (!baseURL) throw new Error(`${name}: no base URL`);
  return createOpenAICompatible({
    name,
    baseURL,
    apiKey,
    fetch,
    supportsStructuredOutputs: true,
    includeUsage: true,
  }).chatModel;
}

export interface ResolvedProvider {
  provider: RemoteProviderName;
  model: string;
  baseUrl: string | undefined;
  keyVariable: KeyVariable | undefined;
  /** A model whose HTTP requests go through `fetch` (one per call, so each call counts its own requests). */
  connect(fetchImpl: typeof fetch): LanguageModel;
}

/** Picks the configured provider; throws a ConfigError naming the missing key variable. */
export function resolveProvider(config: AiConfig, provider: RemoteProviderName): ResolvedProvider {
  const spec = providers[provider];
  const apiKey = spec.keyVariable ? config[spec.keyVariable] : "ollama";
  if (spec.keyVariable && !apiKey) {
    throw new ConfigError(
      `Invalid configuration: ${spec.keyVariable}: required when AI_PROVIDER=${provider} (or choose another AI_PROVIDER)`,
    );
  }
  const model = config.AI_MODEL ?? spec.defaultModel;
  const baseUrl = config.AI_BASE_URL ?? spec.defaultBaseUrl?.(config);
  return {
    provider,
    model,
    baseUrl,
    keyVariable: spec.keyVariable,
    connect: (fetchImpl) => spec.connect({ apiKey: apiKey ?? "", baseURL: baseUrl, fetch: fetchImpl })(model),
  };
}
