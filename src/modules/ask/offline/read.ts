import { type CueMatch, readCues } from "./cues.js";
import type { Lexicon } from "./lexicon.js";
import { type Link, linkSpans } from "./link.js";
import { type Token, tokenize } from "./text.js";
import { type BucketCue, readTimes, type TimeSpan } from "./time.js";

/** One element of a question, in the order written. */
export type Item =
  | { kind: "cue"; start: number; end: number; match: CueMatch }
  | { kind: "link"; start: number; end: number; link: Link }
  | { kind: "number"; start: number; end: number; value: number }
  | { kind: "time"; start: number; end: number; span: TimeSpan }
  | { kind: "bucket"; start: number; end: number; bucket: BucketCue };

/** A question read into tokens, dates, cues, numbers and links: what the planner works from. */
export interface Reading {
  question: string;
  tokens: Token[];
  items: Item[];
  links: Link[];
}

/** Reads a question: dates first (they hold numbers and words), then cues, then links to the schema. */
export function readQuestion(question: string, lexicon: Lexicon, today: Date): Reading {
  const tokens = tokenize(question);
  const { spans, buckets } = readTimes(question, today);
  const items: Item[] = [];
  const claimed = new Set<number>();
  /** Tokens of a value that holds a number ("Spring 2024"): linked, not read as numbers. */
  const valueWords = new Set<number>();
  const tokensIn = (start: number, end: number) => {
    const indices = tokens.flatMap((token, index) =>
      token.start >= start && token.end <= end ? [index] : [],
    );
    return indices.length ? ([indices[0], (indices.at(-1) as number) + 1] as [number, number]) : undefined;
  };
  for (const span of spans) {
    const range = tokensIn(span.start, span.end);
    if (!range) continue;
    // "the Spring 2024 season", "Fall 2024": a value of the data that holds a date's words.
    const value = valueAround(tokens, range[0], range[1], lexicon);
    if (value) {
      for (let index = value[0]; index < value[1]; index++) valueWords.add(index);
      continue;
    }
    for (let index = range[0]; index < range[1]; index++) claimed.add(index);
    items.push({ kind: "time", start: range[0], end: range[1], span });
  }
  for (const bucket of buckets) {
    const range = tokensIn(bucket.start, bucket.end);
    if (!range || claimed.has(range[0])) continue;
    // "monthly fee", "annual budget": the bucket word begins a column's name; "annual plans": a value.
    if (namesColumn(tokens, range[0], lexicon)) continue;
    if (range[1] - range[0] === 1 && adjectiveValue(tokens, range[0], lexicon)) continue;
    for (let index = range[0]; index < range[1]; index++) claimed.add(index);
    items.push({ kind: "bucket", start: range[0], end: range[1], bucket });
  }
  const namesLonger = (start: number, end: number) => {
    for (let length = end - start + 1; length <= Math.min(lexicon.longest, tokens.length - start); length++) {
      const words = tokens.slice(start, start + length);
      if (words.some((_, offset) => claimed.has(start + offset))) return false;
      const entries = lexicon.phrases.get(words.map((token) => token.lemma).join(" "));
      if (entries?.some((entry) => entry.match === "exact" && entry.target.kind !== "table")) return true;
    }
    return false;
  };
  for (const match of readCues(tokens, claimed)) {
    // A cue word that is also a table's or column's own name ("count", "total", "status") stays a cue
    // unless it is the whole name of a column of the schema.
    const words = tokens
      .slice(match.start, match.end)
      .map((token) => token.lemma)
      .join(" ");
    const named = lexicon.phrases
      .get(words)
      ?.some((entry) => entry.match === "exact" && entry.score >= 1 && entry.target.kind === "column");
    if (
      named &&
      (match.cue.kind === "agg" || match.cue.kind === "distinct") &&
      match.end - match.start === 1
    ) {
      const next = tokens[match.end];
      // "total revenue": a cue before another word; "the total": the column.
      if (!next || next.number !== undefined) continue;
    }
    // "list price", "order status": a cue word that begins a longer name is the name; so does one that
    // ends it ("the sale total", "order count").
    if (namesLonger(match.start, match.end)) continue;
    if (
      match.start > 0 &&
      !claimed.has(match.start - 1) &&
      namesColumn(tokens, match.start - 1, lexicon, match.end)
    )
      continue;
    for (let index = match.start; index < match.end; index++) claimed.add(index);
    items.push({ kind: "cue", start: match.start, end: match.end, match });
  }
  for (const [index, token] of tokens.entries()) {
    if (claimed.has(index) || valueWords.has(index) || token.number === undefined) continue;
    claimed.add(index);
    items.push({ kind: "number", start: index, end: index + 1, value: token.number });
  }
  const links = linkSpans(tokens, claimed, lexicon);
  for (const link of links) items.push({ kind: "link", start: link.start, end: link.end, link });
  items.sort((a, b) => a.start - b.start);
  return { question, tokens, items, links };
}

/**
 * Whether the words of a date or bucket, with a word either side, are a value of the data
 * ("Spring 2024", "FY2024 Q1"); `adjective`: a lone word before a noun that is not a measure
 * ("annual plans", not "monthly revenue").
 */
function valueAround(
  tokens: Token[],
  start: number,
  end: number,
  lexicon: Lexicon,
): [number, number] | undefined {
  for (let from = Math.max(0, start - 1); from <= start; from++)
    for (let to = Math.min(tokens.length, end + 1); to >= end; to--)
      if (to - from >= 2 && isValue(tokens, from, to, lexicon)) return [from, to];
  return undefined;
}

function adjectiveValue(tokens: Token[], at: number, lexicon: Lexicon): boolean {
  if (!isValue(tokens, at, at + 1, lexicon)) return false;
  const next = tokens[at + 1];
  const named = next ? lexicon.phrases.get(next.lemma) : undefined;
  return (
    !!named?.length &&
    !named.some(
      (entry) =>
        entry.target.kind !== "table" &&
        lexicon.columns.get(`${entry.target.table}.${entry.target.column}`)?.role === "measure",
    )
  );
}

function isValue(tokens: Token[], from: number, to: number, lexicon: Lexicon): boolean {
  const phrase = tokens
    .slice(from, to)
    .map((token) => token.lemma)
    .join(" ");
  return !!lexicon.phrases
    .get(phrase)
    ?.some((entry) => entry.target.kind === "value" && entry.match === "exact");
}

/** Whether the words from `start` on, two or more of them, are a column's own name. */
function namesColumn(tokens: Token[], start: number, lexicon: Lexicon, end?: number): boolean {
  const lengths = end === undefined ? Math.min(lexicon.longest, tokens.length - start) : end - start;
  for (let length = end === undefined ? 2 : end - start; length <= lengths; length++) {
    const phrase = tokens
      .slice(start, start + length)
      .map((token) => token.lemma)
      .join(" ");
    if (
      lexicon.phrases.get(phrase)?.some((entry) => entry.match === "exact" && entry.target.kind === "column")
    )
      return true;
  }
  return false;
}
