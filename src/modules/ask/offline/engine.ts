import { compilePlan, derivedOf, explainPlan } from "../compile.js";
import type { AskContext, AskEngine, Clarification, EngineDraft, QueryPlan, SchemaIndex } from "../types.js";
import {
  judgedReadings,
  measureReadings,
  overviewReadings,
  rankingReadings,
  subjectReadings,
} from "./clarify.js";
import { rerankLinks } from "./coherence.js";
import { applyFollowUp, looksLikeFollowUp } from "./followup.js";
import { lexiconOf } from "./lexicon.js";
import { type Choices, planReading } from "./plan.js";
import { readQuestion } from "./read.js";
import { STOPWORDS } from "./text.js";

/** Below this, the engine says it is unsure rather than answering. */
export const MIN_CONFIDENCE = 0.3;
/** Two readings closer than this, with different results, are offered as a clarification. */
const CLOSE = 0.06;

/**
 * The offline engine: link the question's words to the schema, plan, compile, and score how
 * much of the question the plan explains. Deterministic; no network.
 */
export function createOfflineEngine(): AskEngine {
  return {
    name: "offline",
    async draft(question: string, schema: SchemaIndex, context: AskContext): Promise<EngineDraft> {
      return draftOffline(question, schema, context);
    },
  };
}

/**
 * A request to change data rather than read it: an imperative write verb leading the question
 * ("delete all orders", "please drop the customers table", "can you update the prices").
 */
const WRITE_REQUEST =
  /^\s*(?:(?:please|kindly|now|just|can you|could you|would you|will you|go ahead and|i want you to|i need you to)\s+)*(delete|remove|drop|truncate|update|insert|add|create|alter|rename|modify|change|set|overwrite|replace|merge|grant|revoke|wipe|erase|purge|destroy|clear|reset|edit|write|load|import|copy|attach|install|execute|exec|run)\b(?!\s+(?:by|over|per|across)\b)/i;

/** Verbs that also read ("run a report", "show"): only a write when an object of data follows. */
const AMBIGUOUS_WRITE = new Set([
  "run",
  "execute",
  "exec",
  "load",
  "copy",
  "add",
  "change",
  "set",
  "replace",
]);
const DATA_OBJECT =
  /\b(table|tables|rows?|records?|database|schema|column|columns|data|all|every|the|delete|drop|update|insert|truncate|alter|create)\b/i;

export function writeRequest(question: string): string | undefined {
  const match = WRITE_REQUEST.exec(question);
  const verb = match?.[1]?.toLowerCase();
  if (!verb) return undefined;
  if (AMBIGUOUS_WRITE.has(verb) && !DATA_OBJECT.test(question.slice(match?.[0].length ?? 0)))
    return undefined;
  return verb;
}

export function draftOffline(question: string, schema: SchemaIndex, context: AskContext): EngineDraft {
  const write = writeRequest(question);
  if (write) {
    return {
      engine: "offline",
      sql: "",
      explanation: `Sightline only reads data: it cannot ${write} anything. Ask a question about the data instead.`,
      confidence: 0,
    };
  }
  const lexicon = lexiconOf(schema);
  const reading = rerankLinks(readQuestion(question, lexicon, context.today), schema, lexicon);
  const previous = context.previous?.plan;
  if (previous && looksLikeFollowUp(reading)) {
    const edited = applyFollowUp(previous, reading, schema, lexicon);
    if (edited) return finish(edited.plan, schema, edited.confidence, edited.unexplained);
  }
  const first = planReading(reading, schema, lexicon);
  const ranks = reading.items.some(
    (item) => item.kind === "cue" && (item.match.cue.kind === "superlative" || item.match.cue.kind === "top"),
  );
  if (ranks && first.intent.scores.length === 0) {
    // A ranking that names nothing in the data ("who is the busiest?"): ask which one.
    const readings = rankingReadings(schema, first.intent);
    if (readings.length > 1)
      return {
        engine: "offline",
        sql: "",
        explanation: "The question is ambiguous: it does not say what to rank. Which of these did you mean?",
        confidence: 0,
        clarification: clarify(readings, schema),
        unexplained: unexplainedWords(reading, first.intent.used),
      };
  }
  const nothingNamed = first.intent.scores.length === 0 && first.intent.times.length === 0;
  const overview = nothingNamed ? overviewReadings(question, schema) : [];
  if (overview.length > 1)
    return {
      engine: "offline",
      sql: "",
      explanation: "The question does not say which figures it is about. Which of these did you mean?",
      confidence: 0,
      clarification: clarify(overview, schema),
      unexplained: unexplainedWords(reading, first.intent.used),
    };
  const judged = judgedReadings(question, first.intent, schema);
  if (judged.length > 1)
    return {
      engine: "offline",
      sql: "",
      explanation: "The question does not say what to judge by. Which of these did you mean?",
      confidence: 0,
      clarification: clarify(judged, schema),
      unexplained: unexplainedWords(reading, first.intent.used),
    };
  if (!first.plan) {
    return {
      engine: "offline",
      sql: "",
      explanation: first.problem ?? "I did not understand the question.",
      confidence: 0,
      unexplained: unexplainedWords(reading, first.intent.used),
    };
  }
  const unexplained = unexplainedWords(reading, first.intent.used);
  const confidence = confidenceOf(reading, first.intent.used, first.intent.scores);
  if (first.intent.scores.length === 0 && first.intent.times.length === 0) {
    return {
      engine: "offline",
      sql: "",
      explanation: "Nothing in the question names a table, a column or a value of this data.",
      confidence: 0,
      unexplained,
    };
  }
  const vague = first.intent.missingMeasure
    ? measureReadings(first.intent, first.plan, schema)
    : subjectReadings(first.intent, first.plan, schema);
  if (vague.length > 1 && vague[0]) {
    // "the average for Sales", "the numbers for Europe": what is measured is not said.
    const asked = finish(vague[0], schema, Math.min(confidence, 0.5), unexplained);
    return { ...asked, clarification: clarify(vague, schema) };
  }
  const draft = finish(first.plan, schema, confidence, unexplained);
  const alternatives = alternativeReadings(reading, schema, first.plan, confidence);
  if (first.rankWithoutMeasure) {
    const counted = rankByCount(first.plan, schema);
    if (counted) alternatives.push({ plan: counted, score: confidence });
  }
  if (alternatives.length) {
    const options = [first.plan, ...alternatives.map((alternative) => alternative.plan)].slice(0, 3);
    const clarification = clarify(options, schema);
    return { ...draft, clarification, confidence: Math.min(draft.confidence, 0.6) };
  }
  if (confidence < MIN_CONFIDENCE)
    return {
      ...draft,
      explanation: `${draft.explanation} (I am not sure I understood: ${unexplained.join(", ") || "several words"} did not fit.)`,
    };
  return draft;
}

function clarify(options: QueryPlan[], schema: SchemaIndex): Clarification {
  return {
    question: "Which of these did you mean?",
    options: options.map((plan) => ({
      label: explainPlan(plan),
      plan,
      sql: compilePlan(plan, schema.dialect, derivedOf(schema)),
    })),
  };
}

function finish(
  plan: QueryPlan,
  schema: SchemaIndex,
  confidence: number,
  unexplained: string[],
): EngineDraft {
  return {
    engine: "offline",
    sql: compilePlan(plan, schema.dialect, derivedOf(schema)),
    plan,
    explanation: explainPlan(plan),
    confidence: Math.round(confidence * 100) / 100,
    ...(unexplained.length ? { unexplained } : {}),
  };
}

/** Content words the plan did not use. */
function unexplainedWords(reading: ReturnType<typeof readQuestion>, used: Set<number>): string[] {
  const covered = new Set<number>();
  for (const [index, item] of reading.items.entries()) {
    if (!used.has(index) && item.kind === "link") continue;
    if (!used.has(index) && item.kind === "number") continue;
    for (let token = item.start; token < item.end; token++) covered.add(token);
  }
  return reading.tokens
    .filter(
      (token, index) =>
        !covered.has(index) && !STOPWORDS.has(token.lower) && !/^[^\p{L}\p{N}]+$/u.test(token.raw),
    )
    .map((token) => token.raw);
}

/** How much of the question the plan explains × its weakest link. */
function confidenceOf(reading: ReturnType<typeof readQuestion>, used: Set<number>, scores: number[]): number {
  const content = reading.tokens.filter((token) => !STOPWORDS.has(token.lower)).length || 1;
  const missing = unexplainedWords(reading, used).length;
  const coverage = Math.max(0, (content - missing) / content);
  const weakest = Math.min(1, ...scores);
  return Math.max(0, Math.min(1, coverage * weakest));
}

/**
 * Readings that swap one used link for its runner-up (a word that names two columns almost as
 * well) and give a different query: offered beside the first instead of a silent guess.
 */
function alternativeReadings(
  reading: ReturnType<typeof readQuestion>,
  schema: SchemaIndex,
  chosen: QueryPlan,
  confidence: number,
): { plan: QueryPlan; score: number }[] {
  const lexicon = lexiconOf(schema);
  const sql = compilePlan(chosen, schema.dialect, derivedOf(schema));
  const found: { plan: QueryPlan; score: number }[] = [];
  const seen = new Set([sql]);
  for (const [index, item] of reading.items.entries()) {
    if (item.kind !== "link") continue;
    const [best, second] = item.link.candidates;
    if (!best || !second || best.score - second.score > CLOSE) continue;
    if (
      best.target.kind !== second.target.kind &&
      !(best.target.kind !== "table" && second.target.kind !== "table")
    )
      continue;
    const choices: Choices = new Map([[index, 1]]);
    const other = planReading(reading, schema, lexicon, choices);
    if (!other.plan) continue;
    const otherSql = compilePlan(other.plan, schema.dialect, derivedOf(schema));
    if (seen.has(otherSql)) continue;
    seen.add(otherSql);
    found.push({ plan: other.plan, score: confidence * (second.score / best.score) });
  }
  return found;
}

/** "top 5 customers" could rank by how much or by how many: the reading that counts rows. */
function rankByCount(plan: QueryPlan, schema: SchemaIndex): QueryPlan | undefined {
  const measure = plan.measures[0];
  if (!measure?.column) return undefined;
  const table = measure.column.table;
  const counted: QueryPlan = {
    ...plan,
    measures: [{ agg: "count", alias: `${table}_count` }, ...plan.measures.slice(1)],
    order: plan.order.map((order) =>
      order.by === measure.alias ? { ...order, by: `${table}_count` } : order,
    ),
  };
  if (plan.from !== table) {
    const key = schema.tables
      .find((candidate) => candidate.name === table)
      ?.columns.find((column) => column.unique && column.role === "key");
    if (!key) return undefined;
    counted.measures[0] = {
      agg: "count_distinct",
      column: { table, column: key.name },
      alias: `${table}_count`,
    };
  }
  return counted;
}
