import { distance } from "fastest-levenshtein";
import type { AskEngine, EngineDraft } from "./types.js";

/** How alike two questions must read (1 − edit distance / length) for a verified answer to stand in. */
export const VERIFIED_SIMILARITY = 0.9;

const normalized = (question: string) =>
  question
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s.]/gu, " ")
    .replace(/\.(?!\d)/g, " ")
    .replace(/\s+/g, " ")
    .trim();

const numbersOf = (text: string) => (text.match(/\d+(?:\.\d+)?/g) ?? []).sort().join(",");

/**
 * The verified pair a question asks again, if any: the same words up to small edits (case,
 * punctuation, a typo, a plural) and exactly the same numbers — "top 5" is not "top 3".
 */
export function verifiedMatch(
  question: string,
  verified: { question: string; sql: string }[] = [],
): { question: string; sql: string; similarity: number } | undefined {
  const asked = normalized(question);
  let best: { question: string; sql: string; similarity: number } | undefined;
  for (const pair of verified) {
    const known = normalized(pair.question);
    if (numbersOf(known) !== numbersOf(asked)) continue;
    const length = Math.max(known.length, asked.length);
    const similarity = length === 0 ? 0 : 1 - distance(known, asked) / length;
    if (similarity >= VERIFIED_SIMILARITY && (!best || similarity > best.similarity)) {
      best = { ...pair, similarity };
    }
  }
  return best;
}

/**
 * An engine that answers a question a person has verified before with the verified SQL, and
 * leaves every other question (and every follow-up, which depends on what came before) to `engine`.
 */
export function withVerifiedAnswers(engine: AskEngine): AskEngine {
  return {
    name: engine.name,
    async draft(question, schema, context): Promise<EngineDraft> {
      const match = context.previous ? undefined : verifiedMatch(question, schema.verified);
      if (!match) return engine.draft(question, schema, context);
      return {
        engine: engine.name,
        sql: match.sql,
        explanation: `The verified answer to “${match.question}”.`,
        confidence: 1,
      };
    },
  };
}
