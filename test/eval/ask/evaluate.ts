import { asksForClarification, compareResults, isOrdered, type Value } from "./compare.js";
import type { Category, EvalQuestion } from "./questions.js";

/** An answer as `sightline ask --json` prints it; `clarification` may be added by the engine's owners. */
export interface AnswerLike {
  question?: string;
  sql: string;
  columns?: { name: string; type: string }[];
  rows: Value[][];
  error?: string;
  clarification?: unknown;
}

/** What the evaluation needs from an ask session and from the gold side. */
export interface EvalDeps {
  ask(question: string): Promise<AnswerLike>;
  /** The engine's draft, when the session exposes it: a clarification there counts too. */
  draft?(question: string): Promise<{ clarification?: unknown }>;
  gold(sql: string): Promise<{ rows: Value[][] }>;
}

export interface Outcome {
  dataset: string;
  id: string;
  category: Category;
  question: string;
  correct: boolean;
  /** Correct if the answer may carry columns beyond the gold's (a looser, secondary measure). */
  correctWithExtraColumns: boolean;
  /** Why it missed: an error, a shape difference, a differing row. */
  reason?: string;
  sql: string;
  goldSql: string | null;
  expected?: Value[];
  actual?: Value[];
  ms: number;
}

/** Asks one question and judges the answer by its values against the gold SQL's. */
export async function evaluateQuestion(dataset: string, q: EvalQuestion, deps: EvalDeps): Promise<Outcome> {
  const started = performance.now();
  const base = { dataset, id: q.id, category: q.category, question: q.question, goldSql: q.gold_sql };
  let answer: AnswerLike;
  try {
    answer = await deps.ask(q.question);
  } catch (error) {
    // The contract says ask never throws; if it does, that is a miss, not a crash of the evaluation.
    answer = { sql: "", rows: [], error: `ask threw: ${(error as Error).message}` };
  }
  const ms = performance.now() - started;
  if (q.gold_sql === null) {
    let correct = asksForClarification(answer);
    if (!correct && deps.draft) {
      const drafted = await deps.draft(q.question).catch(() => undefined);
      correct = drafted?.clarification !== undefined && drafted.clarification !== null;
    }
    return {
      ...base,
      sql: answer.sql,
      correct,
      correctWithExtraColumns: correct,
      ms,
      ...(correct
        ? {}
        : { reason: answer.error ? `no clarification: ${answer.error}` : "answered without asking back" }),
    };
  }
  if (answer.error) {
    return {
      ...base,
      sql: answer.sql,
      correct: false,
      correctWithExtraColumns: false,
      reason: `error: ${answer.error}`,
      ms,
    };
  }
  const gold = await deps.gold(q.gold_sql);
  const comparison = compareResults(gold, answer, { ordered: isOrdered(q) });
  const loose =
    comparison.match || compareResults(gold, answer, { ordered: isOrdered(q), extraColumns: true }).match;
  return {
    ...base,
    sql: answer.sql,
    correct: comparison.match,
    correctWithExtraColumns: loose,
    ms,
    ...(comparison.reason ? { reason: comparison.reason } : {}),
    ...(comparison.expected ? { expected: comparison.expected } : {}),
    ...(comparison.actual ? { actual: comparison.actual } : {}),
  };
}

export interface Tally {
  correct: number;
  total: number;
}

/** Correct / total by a key of the outcomes (dataset, category), in first-seen order. */
export function tally(outcomes: Outcome[], key: (outcome: Outcome) => string): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const outcome of outcomes) {
    const entry = tallies.get(key(outcome)) ?? { correct: 0, total: 0 };
    entry.total++;
    if (outcome.correct) entry.correct++;
    tallies.set(key(outcome), entry);
  }
  return tallies;
}
