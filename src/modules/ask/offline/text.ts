import { lemma } from "../schema-index.js";

/** One word, number or symbol of a question, with where it stands in the text. */
export interface Token {
  /** The text as written. */
  raw: string;
  lower: string;
  lemma: string;
  start: number;
  end: number;
  /** Set for numbers: "1,000", "5k", "ten", "$20", "3.5". */
  number?: number;
}

const numberWords: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  thousand: 1000,
  dozen: 12,
};

const scales: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, thousand: 1e3, million: 1e6, billion: 1e9 };

/** "1,000" → 1000, "5k" → 5000, "$1.5m" → 1500000, "ten" → 10; anything else → undefined. */
export function parseNumber(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower in numberWords) return numberWords[lower];
  const match = /^[$€£]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(k|m|b)?%?$/.exec(lower);
  if (!match) return undefined;
  const value = Number(`${(match[1] ?? "").replaceAll(",", "")}${match[2] ?? ""}`);
  return match[3] ? value * (scales[match[3]] ?? 1) : value;
}

const tokenPattern =
  /[$€£]?\d[\d,]*(?:\.\d+)?[kmb%]?(?![a-z])|[\p{L}\p{N}]+(?:[’'](?:s|t)\b)?|[<>!=]=?|[&#]/giu;

/** Splits a question into tokens: words (lemmatised), numbers and comparison symbols. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(tokenPattern)) {
    let raw = match[0];
    const start = match.index ?? 0;
    let negated = false;
    if (/[’']t$/i.test(raw)) {
      raw = raw.slice(0, -2).replace(/n$/i, "");
      negated = true;
    } else if (/[’']s$/i.test(raw)) raw = raw.slice(0, -2);
    if (raw) {
      const lower = raw.toLowerCase();
      const token: Token = { raw, lower, lemma: lemma(lower), start, end: start + raw.length };
      const number = parseNumber(lower);
      if (number !== undefined) token.number = number;
      tokens.push(token);
    }
    if (negated) tokens.push({ raw: "not", lower: "not", lemma: "not", start, end: start + match[0].length });
  }
  // "5 thousand", "1.2 million": the scale word multiplies the number before it.
  for (let index = tokens.length - 1; index > 0; index--) {
    const token = tokens[index];
    const before = tokens[index - 1];
    if (token && before?.number !== undefined && ["thousand", "million", "billion"].includes(token.lower)) {
      before.number *= scales[token.lower] ?? 1;
      before.end = token.end;
      before.raw = `${before.raw} ${token.raw}`;
      tokens.splice(index, 1);
    }
  }
  return tokens;
}

/** The lemma form of a text (a value, a name) as questions are matched: tokens' lemmas joined by spaces. */
export function normalize(text: string): string {
  return tokenize(text)
    .map((token) => token.lemma)
    .join(" ");
}

/** Words that carry no meaning of their own for linking; they are neither explained nor unexplained. */
export const STOPWORDS = new Set(
  (
    "a an the of in on at to for from with by as is are was were be been being do does did done have has had " +
    "what which who whom whose when where how me my i we our us you your show list give tell find get display " +
    "return see all there that this these those it its and or please can could would should will let " +
    "any some than then also just them they their s one ones data record records row rows " +
    "whats what's about into out up each every per " +
    // Verbs and fillers that carry the question along without naming anything.
    "place placed make made come came get got happen happened occur exist belong still currently ever so far " +
    "right now been being currently recorded registered there's how's"
  ).split(" "),
);
