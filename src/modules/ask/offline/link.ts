import { distance } from "fastest-levenshtein";
import type { Entry, Lexicon } from "./lexicon.js";
import { STOPWORDS, type Token } from "./text.js";

/** A span of the question and what it may name, best first. */
export interface Link {
  start: number;
  end: number;
  text: string;
  candidates: Entry[];
}

/** "shipped" → "ship", "ordering" → "order": a crude stem tried when a word names nothing as written. */
export function stem(word: string): string | undefined {
  const match = /^(.{3,}?)(ed|ing|er|ers)$/.exec(word);
  if (!match?.[1]) return undefined;
  const base = match[1];
  return /([b-df-hj-np-tv-z])\1$/.test(base) ? base.slice(0, -1) : base;
}

function fuzzy(lexicon: Lexicon, word: string): Entry[] {
  if (word.length < 4) return [];
  const limit = word.length >= 7 ? 2 : 1;
  const found: Entry[] = [];
  for (const phrase of lexicon.byInitial.get(word[0] ?? "") ?? []) {
    if (Math.abs(phrase.length - word.length) > limit) continue;
    const d = distance(word, phrase);
    if (d === 0 || d > limit) continue;
    for (const entry of lexicon.phrases.get(phrase) ?? [])
      found.push({ target: entry.target, score: entry.score * (0.78 - 0.08 * d), match: "fuzzy" });
  }
  return found;
}

/** The weakest match kept as a link. */
const MIN_LINK = 0.3;

/** Words before a value that say it is a filter: "in Germany", "for the Partner channel", "is open". */
const filterWords = new Set([
  "in",
  "for",
  "from",
  "at",
  "is",
  "are",
  "was",
  "were",
  "with",
  "where",
  "of",
  "whose",
  "by",
  "to",
  "via",
  "through",
  "only",
  "just",
  "on",
]);

/**
 * Every span of unclaimed tokens that names something in the schema, then the assignment that
 * explains most of the question with the best scores and no overlaps (longest, best spans first).
 */
export function linkSpans(tokens: Token[], claimed: Set<number>, lexicon: Lexicon): Link[] {
  const spans: Link[] = [];
  for (let start = 0; start < tokens.length; start++) {
    if (claimed.has(start)) continue;
    for (let end = Math.min(tokens.length, start + lexicon.longest); end > start; end--) {
      const words = tokens.slice(start, end);
      if (words.some((_, offset) => claimed.has(start + offset))) continue;
      const single = end - start === 1;
      const first = words[0];
      if (single && first && first.number !== undefined) continue;
      const phrase = words.map((token) => token.lemma).join(" ");
      // A filler word ("records", "data") names something only when it is a table's own name.
      const filler = single && first !== undefined && STOPWORDS.has(first.lower);
      let candidates = [...(lexicon.phrases.get(phrase) ?? [])];
      const raw = words.map((token) => token.lower).join(" ");
      if (raw !== phrase) {
        for (const entry of lexicon.phrases.get(raw) ?? [])
          if (!candidates.some((known) => known.target === entry.target)) candidates.push(entry);
      }
      if (filler) {
        candidates = candidates.filter(
          (entry) => entry.target.kind === "table" && entry.match === "exact" && entry.score >= 1,
        );
        if (candidates.length === 0) continue;
      }
      if (candidates.length === 0 && single && first) {
        const stemmed = stem(first.lemma);
        if (stemmed)
          candidates = (lexicon.phrases.get(stemmed) ?? []).map((entry) => ({
            ...entry,
            score: entry.score * 0.9,
            match: "lemma" as const,
          }));
        if (candidates.length === 0) candidates = fuzzy(lexicon, first.lemma);
      }
      // A far-fetched match (a misspelling of a part of a synonym) says nothing.
      candidates = candidates.filter((entry) => entry.score >= MIN_LINK);
      if (candidates.length === 0) continue;
      const before = tokens[start - 1]?.lower;
      const context = before !== undefined && filterWords.has(before);
      const scored = candidates
        .map((entry) => ({
          ...entry,
          score: entry.target.kind === "value" && context ? entry.score + 0.08 : entry.score,
        }))
        .sort((a, b) => b.score - a.score || frequency(b) - frequency(a));
      spans.push({ start, end, text: words.map((token) => token.raw).join(" "), candidates: scored });
    }
  }
  const weight = (link: Link) => (link.candidates[0]?.score ?? 0) + 0.6 * (link.end - link.start - 1);
  spans.sort((a, b) => weight(b) - weight(a) || a.start - b.start);
  const chosen: Link[] = [];
  const used = new Set<number>();
  for (const span of spans) {
    let free = true;
    for (let index = span.start; index < span.end; index++) if (used.has(index)) free = false;
    if (!free) continue;
    for (let index = span.start; index < span.end; index++) used.add(index);
    chosen.push(span);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

const frequency = (entry: Entry) => (entry.target.kind === "value" ? entry.target.count : 0);
