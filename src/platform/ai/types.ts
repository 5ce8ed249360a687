import type { z } from "zod";

export type AiProviderName = "offline" | "openai" | "anthropic" | "groq" | "openrouter" | "ollama";

export interface AiMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface AiUsage {
  inputTokens: number;
  outputTokens: number;
}

interface AiCallBase {
  /**
   * The offline engine that answers this call when AI_PROVIDER=offline. Modules register
   * their deterministic engines under a name (`drafts.reply`, `ask.sql`…).
   */
  engine: string;
  system?: string;
  messages: AiMessage[];
  temperature?: number;
  maxOutputTokens?: number;
  signal?: AbortSignal;
  /**
   * Structured input for the offline engine that answers this call (the question and schema it
   * would otherwise have to read back out of the prompt). Remote providers never see it.
   */
  offlineInput?: unknown;
}

export type AiTextCall = AiCallBase;

export interface AiObjectCall<T> extends AiCallBase {
  schema: z.ZodType<T>;
  schemaName: string;
}

/** A deterministic engine: same input, same output, no network. */
export interface OfflineEngine {
  text?(call: AiTextCall): Promise<string>;
  object?(call: AiObjectCall<unknown>): Promise<unknown>;
}

export interface Ai {
  readonly provider: AiProviderName;
  readonly model: string;
  registerOfflineEngine(name: string, engine: OfflineEngine): void;
  generateText(call: AiTextCall): Promise<{ text: string; usage: AiUsage }>;
  /** Structured output, validated by the schema; invalid model output is retried. */
  generateObject<T>(call: AiObjectCall<T>): Promise<{ object: T; usage: AiUsage }>;
}
