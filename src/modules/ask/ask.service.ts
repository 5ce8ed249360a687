import type { Clock } from "../../platform/clock.js";
import { AppError, Invalid } from "../../platform/errors.js";
import type { EventBus } from "../../platform/events/index.js";
import type { Logger } from "../../platform/log.js";
import type { RequestContext } from "../auth/context.js";
import type { JsonValue, QueryResult, ResultColumn } from "../warehouse/duckdb-engine.js";
import type { AskData, SchemaScopes } from "./ask.scope.js";
import type { AskFailure } from "./ask.tables.js";
import type { ConversationsService } from "./conversations.service.js";
import type { QueriesService } from "./queries.service.js";
import type {
  AskAnswer,
  AskContext,
  AskEngine,
  ChartSpec,
  EngineDraft,
  QueryPlan,
  SchemaIndex,
} from "./types.js";

/** Most rows an answer carries (and stores); the full result is one `POST /sql/export` away. */
export const ASK_MAX_ROWS = 1000;

/** An offline draft at least this sure is run beside the LLM's, and a different result is reported. */
export const CONFIDENT = 0.8;

export type AskStage = "planning" | "running_sql" | "building_chart";

/** How an answer is shown: the chart for its result and the questions worth asking next. */
export interface AnswerPresenter {
  chart(input: {
    question: string;
    plan?: QueryPlan;
    columns: ResultColumn[];
    rows: JsonValue[][];
  }): ChartSpec;
  followups(input: {
    question: string;
    plan?: QueryPlan;
    schema: SchemaIndex;
    columns: ResultColumn[];
  }): string[];
}

export interface AskInput {
  /** Optional with `clarification`: the clarified question is asked again. */
  question?: string | undefined;
  conversationId?: string | undefined;
  /** A reading of a clarification, chosen by its index: its SQL runs exactly, no engine drafts. */
  clarification?: { answerId: string; option: number } | undefined;
  sourceId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export type AskResult = AskAnswer & { conversationId: string; answerId: string };

/** Rows as comparable text, whatever the column order and names: two readings agree when these match. */
function fingerprint(result: QueryResult): string {
  const cell = (value: JsonValue) =>
    typeof value === "number" ? String(Number(value.toPrecision(9))) : JSON.stringify(value);
  return result.rows
    .map((row) => row.map(cell).sort().join("\u0001"))
    .sort()
    .join("\u0002");
}

/**
 * Questions in, answers out: picks the scope's SchemaIndex, resolves a follow-up against the
 * conversation's last answer, drafts SQL with the configured engine (both, when an LLM is
 * configured and the offline engine is sure), runs it through the sources' guarded `sql()` path,
 * charts it, stores it, and reports progress on the event bus.
 */
export function createAskService(deps: {
  clock: Clock;
  events: Pick<EventBus, "publish">;
  log: Pick<Logger, "warn">;
  data: Pick<AskData, "sql">;
  scopes: Pick<SchemaScopes, "scopeFor">;
  conversations: ConversationsService;
  queries: QueriesService;
  /** `primary` answers; `offline`, when `primary` is the LLM, is the second opinion. */
  engines: { primary: AskEngine; offline?: AskEngine | undefined };
  present: AnswerPresenter;
}) {
  const { clock, events, data, conversations, queries, engines, present } = deps;

  /** The reading a person chose among an answer's clarification options. */
  async function chosenReading(ctx: RequestContext, input: AskInput) {
    if (!input.clarification) return undefined;
    const { answerId, option } = input.clarification;
    const row = await conversations.ownAnswer(ctx, answerId, input.conversationId);
    const reading = row.answer?.clarification?.options[option];
    if (!row.answer || !reading) {
      throw new Invalid("That answer has no such reading to choose", { field: "clarification.option" });
    }
    const draft: EngineDraft = {
      engine: row.answer.engine,
      sql: reading.sql,
      ...(reading.plan ? { plan: reading.plan } : {}),
      explanation: `The reading you chose: ${reading.label}`,
      // The person settled what the engine would not choose between.
      confidence: 1,
    };
    return { conversationId: row.conversationId, question: row.question, sourceId: row.sourceId, draft };
  }

  async function answer(
    ctx: RequestContext,
    input: AskInput & { question: string },
    scope: Awaited<ReturnType<SchemaScopes["scopeFor"]>>,
    previous: AskAnswer | undefined,
    stage: (stage: AskStage) => Promise<void>,
    chosen?: EngineDraft,
  ): Promise<AskAnswer> {
    const verified = await queries.verifiedPairs(ctx.workspaceId, scope.liveSourceId);
    const schema: SchemaIndex = { ...scope.schema, verified };
    const results = new Map<string, Promise<QueryResult>>();
    let ran = false;
    /** Runs a statement once per question, however many times an engine or the comparison asks. */
    const execute = (sql: string): Promise<QueryResult> => {
      let result = results.get(sql);
      if (!result) {
        const first = !ran;
        ran = true;
        result = (first ? stage("running_sql") : Promise.resolve()).then(() =>
          data.sql(ctx, { sql, maxRows: ASK_MAX_ROWS, sourceId: scope.liveSourceId, signal: input.signal }),
        );
        results.set(sql, result);
      }
      return result;
    };
    const context: AskContext = {
      today: clock.now(),
      ...(input.signal ? { signal: input.signal } : {}),
      ...(previous
        ? {
            previous: {
              question: previous.question,
              sql: previous.sql,
              ...(previous.plan ? { plan: previous.plan } : {}),
            },
          }
        : {}),
      validate: async (sql) => void (await execute(sql)),
    };

    await stage("planning");
    const second = !chosen && engines.primary.name === "llm" ? engines.offline : undefined;
    const offlineDraft = second
      ? await second.draft(input.question, schema, context).catch(() => undefined)
      : undefined;
    const draft: EngineDraft = chosen ?? (await engines.primary.draft(input.question, schema, context));
    const result = draft.sql
      ? await execute(draft.sql)
      : { columns: [], rows: [], truncated: false, durationMs: 0 };

    let disagreement: string | undefined;
    if (
      offlineDraft &&
      offlineDraft.confidence >= CONFIDENT &&
      !offlineDraft.clarification &&
      offlineDraft.sql
    ) {
      const other = await execute(offlineDraft.sql).catch(() => undefined);
      if (other && fingerprint(other) !== fingerprint(result)) {
        disagreement =
          `The offline engine read the question differently and got another result ` +
          `(${other.rows.length} row${other.rows.length === 1 ? "" : "s"}): ${offlineDraft.explanation} — ${offlineDraft.sql}`;
      }
    }

    await stage("building_chart");
    const plan = draft.plan;
    const shown = { question: input.question, ...(plan ? { plan } : {}), columns: result.columns };
    return {
      question: input.question,
      sql: draft.sql,
      explanation: draft.explanation,
      confidence: draft.confidence,
      columns: result.columns,
      rows: result.rows,
      truncated: result.truncated,
      chart: present.chart({ ...shown, rows: result.rows }),
      followups: present.followups({ ...shown, schema }),
      ...(draft.clarification ? { clarification: draft.clarification } : {}),
      ...(plan ? { plan } : {}),
      engine: draft.engine,
      ...(disagreement ? { disagreement } : {}),
    };
  }

  return {
    async ask(ctx: RequestContext, asked: AskInput): Promise<AskResult> {
      const chosen = await chosenReading(ctx, asked);
      const input = chosen
        ? { ...asked, conversationId: chosen.conversationId, sourceId: chosen.sourceId ?? undefined }
        : asked;
      const question = (input.question?.trim() || chosen?.question) ?? "";
      if (!question) throw new Invalid("Ask a question", { field: "question" });
      const started = performance.now();
      const conversation = await conversations.forQuestion(ctx, input.conversationId, question);
      const scope = { workspaceId: ctx.workspaceId };
      const about = { conversationId: conversation.id, userId: ctx.userId };
      // The bus relays to every member of the workspace: events name the conversation, never its content.
      const emit = (type: string, extra: Record<string, unknown> = {}) =>
        events.publish({ ...scope, type, data: { ...about, ...extra } });
      await emit("agent_typing");
      try {
        const where = await deps.scopes.scopeFor(ctx, input.sourceId);
        const previous =
          input.conversationId && !chosen ? await conversations.lastAnswer(conversation.id) : undefined;
        const answered = await answer(
          ctx,
          { ...input, question },
          where,
          previous,
          (stage) => emit("agent_update", { stage }),
          chosen?.draft,
        );
        const record = await conversations.record(ctx, conversation.id, {
          question,
          sourceId: where.liveSourceId,
          answer: answered,
          durationMs: performance.now() - started,
        });
        if (answered.sql) {
          await queries.record(ctx, {
            question,
            sql: answered.sql,
            sourceId: where.liveSourceId,
            answerId: record.id,
          });
        }
        await emit("agent_response", {
          answerId: record.id,
          engine: answered.engine,
          rows: answered.rows.length,
        });
        return { ...answered, conversationId: conversation.id, answerId: record.id };
      } catch (error) {
        const failure: AskFailure =
          error instanceof AppError
            ? {
                code: error.code,
                message: error.message,
                ...(typeof error.extra.reason === "string" ? { reason: error.extra.reason } : {}),
              }
            : { code: "internal", message: "The question could not be answered" };
        const record = await conversations
          .record(ctx, conversation.id, {
            question,
            sourceId: input.sourceId,
            error: failure,
            durationMs: performance.now() - started,
          })
          .catch((recordError: unknown) => {
            deps.log.warn({ err: recordError }, "could not store a failed question");
            return undefined;
          });
        await emit("error", {
          ...(record ? { answerId: record.id } : {}),
          code: failure.code,
          message: failure.message,
        });
        if (error instanceof AppError) {
          // The problem+json names the stored question, so a client can show it in its conversation.
          Object.assign(error.extra, {
            conversationId: conversation.id,
            ...(record ? { answerId: record.id } : {}),
          });
        }
        throw error;
      }
    },
  };
}

export type AskService = ReturnType<typeof createAskService>;
