import pino from "pino";
import { z } from "zod";
import { loadConfig } from "../../config.js";
import { type Ai, type AiMessage, createAi, type OfflineEngine } from "../../platform/ai/index.js";
import { AppError, Unavailable } from "../../platform/errors.js";
import { createLogger } from "../../platform/log.js";
import { createMetrics } from "../../platform/metrics.js";
import { guardSql } from "../warehouse/sql-guard.js";
import { questionPrompt, repairMessages, systemPrompt } from "./llm-engine/prompt.js";
import { type RetrievalOptions, retrieveSchema } from "./retrieval.js";
import type { AskContext, AskEngine, EngineDraft, SchemaIndex } from "./types.js";

/** The platform ai engine name of SQL drafting: what AI_PROVIDER=offline answers with the semantic parser. */
export const ASK_SQL_ENGINE = "ask.sql";

/** Rounds in which a refused or failing statement is sent back to the model with its error. */
export const MAX_REPAIRS = 2;

export const sqlAnswerSchema = z.object({
  sql: z.string().min(1).describe("One read-only SELECT in the requested dialect."),
  explanation: z.string().describe("What the query computes, in one or two plain sentences."),
});
export type SqlAnswer = z.infer<typeof sqlAnswerSchema>;

/** What the offline `ask.sql` engine is handed with each call, instead of reading the prompt. */
export interface AskSqlInput {
  question: string;
  schema: SchemaIndex;
  context: AskContext;
}

/** Errors worth a repair round: the guard's refusals and the database's complaints about the statement. */
const repairable = (error: unknown): error is AppError => error instanceof AppError && error.status === 400;

/**
 * The LLM engine: retrieves the part of the schema the question needs, prompts with the dialect,
 * that schema, sample values and the workspace's verified pairs, asks for `{sql, explanation}`,
 * and checks the SQL with the guard and then `context.validate`. A refusal or an execution error
 * goes back to the model, at most MAX_REPAIRS times; after that the last error is thrown.
 */
export function createLlmEngine(ai: Pick<Ai, "generateObject">, options: RetrievalOptions = {}): AskEngine {
  return {
    name: "llm",
    async draft(question: string, schema: SchemaIndex, context: AskContext): Promise<EngineDraft> {
      const retrieved = retrieveSchema(question, schema, options);
      const tables = schema.tables.map((table) => table.name);
      const messages: AiMessage[] = [{ role: "user", content: questionPrompt(question, retrieved, context) }];
      for (let round = 0; ; round++) {
        const { object } = await ai.generateObject({
          engine: ASK_SQL_ENGINE,
          system: systemPrompt(schema.dialect),
          messages,
          schema: sqlAnswerSchema,
          schemaName: "SqlAnswer",
          temperature: 0,
          ...(context.signal ? { signal: context.signal } : {}),
          offlineInput: { question, schema, context } satisfies AskSqlInput,
        });
        const sql = object.sql.trim();
        try {
          // The guard is cheap and local: a refusal is repaired before anything reaches the database.
          guardSql(sql, { dialect: schema.dialect, tables, maxRows: 1 });
          await context.validate?.(sql);
          return {
            engine: "llm",
            sql,
            explanation: object.explanation,
            // A model's SQL is not checked against the question; each repair lowers trust further.
            confidence: Math.max(0.3, 0.75 - 0.15 * round),
          };
        } catch (error) {
          if (!repairable(error) || round >= MAX_REPAIRS) throw error;
          messages.push(...repairMessages({ sql, explanation: object.explanation }, error.message));
        }
      }
    },
  };
}

/**
 * The `ask.sql` engine of the platform ai registry: with AI_PROVIDER=offline, the LLM engine's
 * calls are answered by the offline semantic parser, so both run through the same code path.
 */
export function offlineSqlEngine(parser: AskEngine): OfflineEngine {
  return {
    async object(call) {
      const input = call.offlineInput as AskSqlInput | undefined;
      if (!input?.schema) {
        throw new Unavailable(
          `The offline "${ASK_SQL_ENGINE}" engine needs the question and schema (offlineInput)`,
        );
      }
      const { validate: _validate, ...context } = input.context;
      const draft = await parser.draft(input.question, input.schema, context);
      return { sql: draft.sql, explanation: draft.explanation } satisfies SqlAnswer;
    },
  };
}

/**
 * The LLM engine as configured by the environment, for callers outside the server (the
 * `sightline ask` CLI); undefined when AI_PROVIDER is offline. Throws when the provider's key is missing.
 */
export function llmEngineFromEnv(env: NodeJS.ProcessEnv): AskEngine | undefined {
  const config = loadConfig(env);
  if (config.AI_PROVIDER === "offline") return undefined;
  return createLlmEngine(
    createAi({
      config,
      // stdout is the CLI's JSON output: logs go to stderr.
      log: createLogger({ level: config.LOG_LEVEL, destination: pino.destination(2) }),
      metrics: createMetrics(),
    }),
  );
}
