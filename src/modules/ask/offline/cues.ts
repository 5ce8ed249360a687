import type { Aggregation, FilterOp } from "../types.js";
import type { Token } from "./text.js";

/** A word or phrase that says what to do rather than what to read. */
export type Cue =
  | { kind: "agg"; agg: Aggregation }
  | { kind: "distinct" }
  | {
      kind: "superlative";
      direction: "asc" | "desc" /** A word naming the measure too: "most expensive" → price. */;
      about?: "price" | "time" | "duration" | "size" | "age" | "sales";
    }
  | { kind: "top"; direction: "asc" | "desc" }
  | { kind: "group" }
  | { kind: "compare"; op: FilterOp }
  | { kind: "between" }
  | { kind: "negation" }
  | { kind: "without" }
  | { kind: "with" }
  | { kind: "missing" }
  | { kind: "present" }
  | { kind: "order"; direction?: "asc" | "desc" }
  | { kind: "direction"; direction: "asc" | "desc" }
  | { kind: "which" }
  | { kind: "list" }
  | { kind: "and" }
  | { kind: "single" }
  | { kind: "chart"; chart: "line" | "bar" | "pie" | "table" | "number" | "area" | "scatter" }
  | { kind: "instead" }
  /** "percentage of", "share of": a part over its whole. */
  | { kind: "percent" }
  /** "growth", "how did … change": a figure against an earlier one. */
  | { kind: "change"; percent?: boolean };

export interface CueMatch {
  cue: Cue;
  /** Token indices, end exclusive. */
  start: number;
  end: number;
}

const table: [string, Cue][] = [
  ["percentage of", { kind: "percent" }],
  ["percent of", { kind: "percent" }],
  ["% of", { kind: "percent" }],
  ["share of", { kind: "percent" }],
  ["proportion of", { kind: "percent" }],
  ["fraction of", { kind: "percent" }],
  ["by what percentage", { kind: "change", percent: true }],
  ["by what percent", { kind: "change", percent: true }],
  ["by how much", { kind: "change" }],
  ["growth rate", { kind: "change", percent: true }],
  ["percent change", { kind: "change", percent: true }],
  ["percentage change", { kind: "change", percent: true }],
  ["% change", { kind: "change", percent: true }],
  ["percent growth", { kind: "change", percent: true }],
  ["percentage growth", { kind: "change", percent: true }],
  ["growth", { kind: "change", percent: true }],
  ["grow", { kind: "change" }],
  ["grew", { kind: "change" }],
  ["grown", { kind: "change" }],
  ["change", { kind: "change" }],
  ["changed", { kind: "change" }],
  ["increase", { kind: "change" }],
  ["increased", { kind: "change" }],
  ["decrease", { kind: "change" }],
  ["decreased", { kind: "change" }],
  ["how many", { kind: "agg", agg: "count" }],
  ["how much", { kind: "agg", agg: "sum" }],
  ["number of", { kind: "agg", agg: "count" }],
  ["count of", { kind: "agg", agg: "count" }],
  ["count", { kind: "agg", agg: "count" }],
  ["counts", { kind: "agg", agg: "count" }],
  ["# of", { kind: "agg", agg: "count" }],
  ["total number of", { kind: "agg", agg: "count" }],
  ["total count of", { kind: "agg", agg: "count" }],
  ["total", { kind: "agg", agg: "sum" }],
  ["totals", { kind: "agg", agg: "sum" }],
  ["sum of", { kind: "agg", agg: "sum" }],
  ["sum", { kind: "agg", agg: "sum" }],
  ["overall", { kind: "agg", agg: "sum" }],
  ["combined", { kind: "agg", agg: "sum" }],
  ["average", { kind: "agg", agg: "avg" }],
  ["avg", { kind: "agg", agg: "avg" }],
  ["mean", { kind: "agg", agg: "avg" }],
  ["typical", { kind: "agg", agg: "avg" }],
  ["maximum", { kind: "agg", agg: "max" }],
  ["max", { kind: "agg", agg: "max" }],
  ["minimum", { kind: "agg", agg: "min" }],
  ["min", { kind: "agg", agg: "min" }],
  ["distinct", { kind: "distinct" }],
  ["unique", { kind: "distinct" }],
  ["different", { kind: "distinct" }],
  ["best selling", { kind: "superlative", direction: "desc", about: "sales" }],
  ["bestselling", { kind: "superlative", direction: "desc", about: "sales" }],
  ["top selling", { kind: "superlative", direction: "desc", about: "sales" }],
  ["worst selling", { kind: "superlative", direction: "asc", about: "sales" }],
  ["newest first", { kind: "direction", direction: "desc" }],
  ["latest first", { kind: "direction", direction: "desc" }],
  ["most recent first", { kind: "direction", direction: "desc" }],
  ["oldest first", { kind: "direction", direction: "asc" }],
  ["earliest first", { kind: "direction", direction: "asc" }],
  ["highest first", { kind: "direction", direction: "desc" }],
  ["largest first", { kind: "direction", direction: "desc" }],
  ["biggest first", { kind: "direction", direction: "desc" }],
  ["lowest first", { kind: "direction", direction: "asc" }],
  ["smallest first", { kind: "direction", direction: "asc" }],
  ["most expensive", { kind: "superlative", direction: "desc", about: "price" }],
  ["priciest", { kind: "superlative", direction: "desc", about: "price" }],
  ["least expensive", { kind: "superlative", direction: "asc", about: "price" }],
  ["cheapest", { kind: "superlative", direction: "asc", about: "price" }],
  ["most recent", { kind: "superlative", direction: "desc", about: "time" }],
  ["latest", { kind: "superlative", direction: "desc", about: "time" }],
  ["newest", { kind: "superlative", direction: "desc", about: "time" }],
  ["oldest", { kind: "superlative", direction: "desc", about: "age" }],
  ["youngest", { kind: "superlative", direction: "asc", about: "age" }],
  ["earliest", { kind: "superlative", direction: "asc", about: "time" }],
  ["longest", { kind: "superlative", direction: "desc", about: "duration" }],
  ["shortest", { kind: "superlative", direction: "asc", about: "duration" }],
  ["most", { kind: "superlative", direction: "desc" }],
  ["highest", { kind: "superlative", direction: "desc" }],
  ["largest", { kind: "superlative", direction: "desc" }],
  ["biggest", { kind: "superlative", direction: "desc" }],
  ["greatest", { kind: "superlative", direction: "desc" }],
  ["best", { kind: "superlative", direction: "desc" }],
  ["top", { kind: "top", direction: "desc" }],
  ["bottom", { kind: "top", direction: "asc" }],
  ["least", { kind: "superlative", direction: "asc" }],
  ["fewest", { kind: "superlative", direction: "asc" }],
  ["lowest", { kind: "superlative", direction: "asc" }],
  ["smallest", { kind: "superlative", direction: "asc" }],
  ["worst", { kind: "superlative", direction: "asc" }],
  ["by", { kind: "group" }],
  ["per", { kind: "group" }],
  ["for each", { kind: "group" }],
  ["for every", { kind: "group" }],
  ["in each", { kind: "group" }],
  ["each", { kind: "group" }],
  ["across", { kind: "group" }],
  ["broken down by", { kind: "group" }],
  ["break down by", { kind: "group" }],
  ["break it down by", { kind: "group" }],
  ["breakdown by", { kind: "group" }],
  ["breakdown", { kind: "group" }],
  ["split by", { kind: "group" }],
  ["grouped by", { kind: "group" }],
  ["group by", { kind: "group" }],
  ["more than", { kind: "compare", op: ">" }],
  ["greater than", { kind: "compare", op: ">" }],
  ["higher than", { kind: "compare", op: ">" }],
  ["larger than", { kind: "compare", op: ">" }],
  ["bigger than", { kind: "compare", op: ">" }],
  ["over", { kind: "compare", op: ">" }],
  ["above", { kind: "compare", op: ">" }],
  ["exceeding", { kind: "compare", op: ">" }],
  ["exceed", { kind: "compare", op: ">" }],
  [">", { kind: "compare", op: ">" }],
  [">=", { kind: "compare", op: ">=" }],
  ["at least", { kind: "compare", op: ">=" }],
  ["no less than", { kind: "compare", op: ">=" }],
  ["or more", { kind: "compare", op: ">=" }],
  ["or higher", { kind: "compare", op: ">=" }],
  ["or above", { kind: "compare", op: ">=" }],
  ["or greater", { kind: "compare", op: ">=" }],
  ["or over", { kind: "compare", op: ">=" }],
  ["or better", { kind: "compare", op: ">=" }],
  ["longer than", { kind: "compare", op: ">" }],
  ["older than", { kind: "compare", op: ">" }],
  ["heavier than", { kind: "compare", op: ">" }],
  ["shorter than", { kind: "compare", op: "<" }],
  ["younger than", { kind: "compare", op: "<" }],
  ["lighter than", { kind: "compare", op: "<" }],
  ["cheaper than", { kind: "compare", op: "<" }],
  ["more expensive than", { kind: "compare", op: ">" }],
  ["less than", { kind: "compare", op: "<" }],
  ["fewer than", { kind: "compare", op: "<" }],
  ["lower than", { kind: "compare", op: "<" }],
  ["smaller than", { kind: "compare", op: "<" }],
  ["under", { kind: "compare", op: "<" }],
  ["below", { kind: "compare", op: "<" }],
  ["<", { kind: "compare", op: "<" }],
  ["<=", { kind: "compare", op: "<=" }],
  ["at most", { kind: "compare", op: "<=" }],
  ["no more than", { kind: "compare", op: "<=" }],
  ["up to", { kind: "compare", op: "<=" }],
  ["or less", { kind: "compare", op: "<=" }],
  ["or lower", { kind: "compare", op: "<=" }],
  ["or below", { kind: "compare", op: "<=" }],
  ["or under", { kind: "compare", op: "<=" }],
  ["or worse", { kind: "compare", op: "<=" }],
  ["or fewer", { kind: "compare", op: "<=" }],
  ["exactly", { kind: "compare", op: "=" }],
  ["equal to", { kind: "compare", op: "=" }],
  ["equals", { kind: "compare", op: "=" }],
  ["=", { kind: "compare", op: "=" }],
  ["between", { kind: "between" }],
  ["not", { kind: "negation" }],
  ["excluding", { kind: "negation" }],
  ["exclude", { kind: "negation" }],
  ["except", { kind: "negation" }],
  ["except for", { kind: "negation" }],
  ["other than", { kind: "negation" }],
  ["apart from", { kind: "negation" }],
  ["aside from", { kind: "negation" }],
  ["besides", { kind: "negation" }],
  ["non", { kind: "negation" }],
  ["never", { kind: "negation" }],
  ["no longer", { kind: "negation" }],
  ["not anymore", { kind: "negation" }],
  ["isnt", { kind: "negation" }],
  ["without", { kind: "without" }],
  ["with no", { kind: "without" }],
  ["has no", { kind: "without" }],
  ["have no", { kind: "without" }],
  ["no", { kind: "without" }],
  ["lacking", { kind: "without" }],
  ["missing", { kind: "missing" }],
  ["is missing", { kind: "missing" }],
  ["is null", { kind: "missing" }],
  ["is empty", { kind: "missing" }],
  ["is blank", { kind: "missing" }],
  ["is unknown", { kind: "missing" }],
  ["not set", { kind: "missing" }],
  ["is not null", { kind: "present" }],
  ["is known", { kind: "present" }],
  ["is set", { kind: "present" }],
  ["with a", { kind: "with" }],
  ["with an", { kind: "with" }],
  ["has a", { kind: "with" }],
  ["have a", { kind: "with" }],
  ["has an", { kind: "with" }],
  ["have an", { kind: "with" }],
  ["sorted by", { kind: "order" }],
  ["sort by", { kind: "order" }],
  ["ordered by", { kind: "order" }],
  ["order by", { kind: "order" }],
  ["ranked by", { kind: "order" }],
  ["rank by", { kind: "order" }],
  ["alphabetically", { kind: "order", direction: "asc" }],
  ["in descending order of", { kind: "order", direction: "desc" }],
  ["in ascending order of", { kind: "order", direction: "asc" }],
  ["by descending order of", { kind: "order", direction: "desc" }],
  ["by ascending order of", { kind: "order", direction: "asc" }],
  ["descending order of", { kind: "order", direction: "desc" }],
  ["ascending order of", { kind: "order", direction: "asc" }],
  ["in the order of", { kind: "order" }],
  ["in order of", { kind: "order" }],
  ["in descending order", { kind: "direction", direction: "desc" }],
  ["in ascending order", { kind: "direction", direction: "asc" }],
  ["from highest to lowest", { kind: "direction", direction: "desc" }],
  ["from lowest to highest", { kind: "direction", direction: "asc" }],
  ["in alphabetical order", { kind: "order", direction: "asc" }],
  ["ascending", { kind: "direction", direction: "asc" }],
  ["asc", { kind: "direction", direction: "asc" }],
  ["descending", { kind: "direction", direction: "desc" }],
  ["desc", { kind: "direction", direction: "desc" }],
  ["which", { kind: "which" }],
  ["what", { kind: "which" }],
  ["who", { kind: "which" }],
  ["list", { kind: "list" }],
  ["show", { kind: "list" }],
  ["display", { kind: "list" }],
  ["find", { kind: "list" }],
  ["give", { kind: "list" }],
  ["and", { kind: "and" }],
  ["or", { kind: "and" }],
  ["single", { kind: "single" }],
  ["individual", { kind: "single" }],
  ["line chart", { kind: "chart", chart: "line" }],
  ["line graph", { kind: "chart", chart: "line" }],
  ["as a line", { kind: "chart", chart: "line" }],
  ["bar chart", { kind: "chart", chart: "bar" }],
  ["bar graph", { kind: "chart", chart: "bar" }],
  ["pie chart", { kind: "chart", chart: "pie" }],
  ["pie", { kind: "chart", chart: "pie" }],
  ["area chart", { kind: "chart", chart: "area" }],
  ["scatter plot", { kind: "chart", chart: "scatter" }],
  ["as a table", { kind: "chart", chart: "table" }],
  ["instead", { kind: "instead" }],
];

const phrases = new Map<string, Cue>(table);
const longest = Math.max(...table.map(([phrase]) => phrase.split(" ").length));

/** Cue phrases in the tokens, longest first, skipping `skip`ped tokens (dates). */
export function readCues(tokens: Token[], skip: Set<number>): CueMatch[] {
  const found: CueMatch[] = [];
  for (let index = 0; index < tokens.length; ) {
    let matched: CueMatch | undefined;
    if (!skip.has(index)) {
      for (let length = Math.min(longest, tokens.length - index); length >= 1 && !matched; length--) {
        const words = tokens.slice(index, index + length);
        if (words.some((_, offset) => skip.has(index + offset))) continue;
        const cue = phrases.get(words.map((token) => token.lower).join(" "));
        if (cue) matched = { cue, start: index, end: index + length };
      }
    }
    // "the busiest", "the costliest": a superlative adjective the table does not list.
    const word = tokens[index];
    if (
      !matched &&
      !skip.has(index) &&
      word &&
      word.lower.length > 5 &&
      word.lower.endsWith("iest") &&
      ["the", "our", "my", "your", "their"].includes(tokens[index - 1]?.lower ?? "")
    )
      matched = { cue: { kind: "superlative", direction: "desc" }, start: index, end: index + 1 };
    if (matched) {
      found.push(matched);
      index = matched.end;
    } else index++;
  }
  return found;
}
