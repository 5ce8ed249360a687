import { splitName } from "../schema-index.js";
import type {
  Aggregation,
  ChartKind,
  ColumnRef,
  Filter,
  FilterOp,
  SchemaIndex,
  TimeBucket,
} from "../types.js";
import { assemble, factOf } from "./assemble.js";
import { manyToOne } from "./coherence.js";
import type { Cue } from "./cues.js";
import { columnOf, type Entry, type Lexicon } from "./lexicon.js";
import type { Item, Reading } from "./read.js";
import {
  aboutColumn,
  flagValues,
  labelColumn,
  primaryMeasure,
  tableColumns,
  timeColumn,
} from "./schema-facts.js";
import { STOPWORDS } from "./text.js";
import type { TimeSpan } from "./time.js";
import { isMoneyVerb, verbMeasure } from "./verbs.js";

/** What is measured: rows of a table, or a column under an aggregation (raw when ranking rows). */
export type Quantity =
  | { kind: "rows"; table: string; distinct?: boolean; per?: string }
  | { kind: "column"; agg: Aggregation | "raw"; column: ColumnRef; per?: string };

/** The meaning of a question before it is a plan: slots filled from cues and links. */
export interface Intent {
  measures: Quantity[];
  dims: { column: ColumnRef; bucket?: TimeBucket }[];
  /** Tables named as what to group by; their label column becomes the dimension. */
  entity?: string | ColumnRef;
  filters: Filter[];
  /** Numeric conditions whose column is the subject's main measure ("orders over 1,000"). */
  loose: { op: FilterOp; values: number[] }[];
  /** `average`: compared with the same figure's average over every group, not with `values`. */
  having: { measure: Quantity; op: FilterOp; values: number[]; average?: boolean }[];
  /** "growth", "month over month", "from 2023 to 2024": the figure's change, as a percentage or a difference. */
  change?: { percent: boolean };
  /** "2023 vs 2024", "compared with": the periods named are set side by side. */
  versus?: boolean;
  times: TimeSpan[];
  timeColumn?: ColumnRef;
  bucket?: TimeBucket;
  rank?: {
    direction: "asc" | "desc";
    limit?: number;
    measure?: Quantity;
    about?: "price" | "time" | "duration" | "size" | "age" | "sales";
  };
  order?: { column?: ColumnRef; quantity?: Quantity; direction: "asc" | "desc" };
  select: ColumnRef[];
  /** The columns were asked for by name ("the names of…", "the id and title of…"): show only them. */
  projection?: boolean;
  subject?: string;
  distinct: boolean;
  chart?: ChartKind;
  which: boolean;
  single: boolean;
  /** "show", "list": rows are wanted, not a figure. */
  list: boolean;
  /** "percentage of", "share of": the figure as a part of its whole. */
  percent?: boolean;
  /** Tables mentioned without another role. */
  mentioned: string[];
  /** An aggregation asked for with nothing to aggregate ("the average for Sales"). */
  missingMeasure?: Aggregation;
  /** Scores of the links used, for confidence. */
  scores: number[];
  used: Set<number>;
}

/** A choice among a link's candidates, by item index: how alternative readings are built. */
export type Choices = Map<number, number>;

const GAP = 3;

/** Superlatives that count what follows ("the most orders"), not size it ("the biggest customers"). */
const countingWords = new Set(["most", "fewest", "least", "more", "fewer", "less"]);
/** Irregular verbs in the past that take an agent: "sold by", "made by". */
const pastParticiples = new Set([
  "made",
  "done",
  "sold",
  "paid",
  "written",
  "taken",
  "given",
  "run",
  "held",
  "brought",
  "bought",
  "seen",
  "rung",
  "won",
  "led",
  "sent",
]);

/** Dates that end a row's standing: a termination, a churn, a cancellation. */
const endings = /(terminat|left|leav|end|exit|resign|churn|cancel|clos|retir|depart|discharg|expir|quit)/i;

/** Comparisons that name what they compare: "older than" an age, "longer than" a duration. */
const comparatives = new Map<string, "age" | "duration" | "price">([
  ["older than", "age"],
  ["younger than", "age"],
  ["longer than", "duration"],
  ["shorter than", "duration"],
  ["more expensive than", "price"],
  ["cheaper than", "price"],
]);

const secondsIn: [RegExp, number][] = [
  [/^(s|secs?|seconds?)$/, 1],
  [/^(m|mins?|minutes?)$/, 60],
  [/^(h|hrs?|hours?)$/, 3600],
  [/^(d|days?)$/, 86_400],
  [/^(w|wks?|weeks?)$/, 604_800],
];
const secondsOf = (word: string) => secondsIn.find(([pattern]) => pattern.test(word))?.[1];

/** "5 minutes" against `duration_sec`: what to multiply the question's number by (1 when either unit is unknown). */
function unitFactor(word: string, columnName: string): number {
  const asked = secondsOf(word);
  const unit = splitName(columnName)
    .map(secondsOf)
    .find((value) => value !== undefined);
  return asked && unit ? asked / unit : 1;
}

/** "the most frequently prescribed", "the least often booked": how many rows, not how much. */
const frequencyWords = new Set(["frequently", "often", "commonly", "frequent", "common"]);

/** Words before an event that make it a fact about the row: "have left", "been closed", "not completed". */
const auxiliaries = new Set([
  "have",
  "has",
  "had",
  "been",
  "be",
  "is",
  "are",
  "was",
  "were",
  "not",
  "got",
  "get",
]);
const dateWords = new Set(["date", "time", "day", "when", "timestamp", "datetime"]);

/** Words before a table that say it is the scope of a figure ("among our technicians", "in the company"). */
const scopeWords = new Set(["among", "amongst", "across", "of", "in", "within", "our", "all", "company"]);

export function planReading(
  reading: Reading,
  schema: SchemaIndex,
  lexicon: Lexicon,
  choices: Choices = new Map(),
): ReturnType<typeof assemble> {
  const { items, tokens } = reading;
  const used = new Set<number>();
  const intent: Intent = {
    measures: [],
    dims: [],
    filters: [],
    loose: [],
    having: [],
    times: [],
    select: [],
    distinct: false,
    which: false,
    single: false,
    list: false,
    mentioned: [],
    scores: [],
    used,
  };
  const choice = (index: number): Entry | undefined => {
    const item = items[index];
    if (item?.kind !== "link") return undefined;
    return item.link.candidates[choices.get(index) ?? 0];
  };
  const cueAt = (index: number): Cue | undefined => {
    const item = items[index];
    return item?.kind === "cue" ? item.match.cue : undefined;
  };
  /** Tokens between two items that are not stopwords. */
  const gap = (a: number, b: number) => {
    const left = items[a];
    const right = items[b];
    if (!left || !right) return Number.POSITIVE_INFINITY;
    let count = 0;
    for (let index = left.end; index < right.start; index++)
      if (!STOPWORDS.has(tokens[index]?.lower ?? "")) count += 2;
    return count + Math.max(0, right.start - left.end);
  };
  const use = (index: number) => {
    used.add(index);
    const entry = choice(index);
    if (entry) intent.scores.push(entry.score);
  };
  const column = (entry: Entry | undefined) =>
    entry && entry.target.kind !== "table"
      ? columnOf(lexicon, entry.target.table, entry.target.column)
      : undefined;
  /** The best candidate of a link that is a column with one of `roles`, if it scores near the best. */
  const preferColumn = (index: number, roles: string[]): Entry | undefined => {
    const item = items[index];
    if (item?.kind !== "link") return undefined;
    const best = choice(index);
    const chosen = column(best);
    if (best?.target.kind === "column" && chosen && roles.includes(chosen.role)) return best;
    const found = item.link.candidates.find((entry) => {
      const col = column(entry);
      return entry.target.kind === "column" && col && roles.includes(col.role);
    });
    if (found && best && found.score >= best.score - 0.3) return found;
    return undefined;
  };
  const nextLink = (from: number, maxGap = GAP, accept: (index: number) => boolean = () => true) => {
    for (let index = from + 1; index < items.length; index++) {
      const item = items[index];
      if (!item) break;
      if (gap(from, index) > maxGap * 2) break;
      if (item.kind === "link" && !used.has(index) && choice(index)?.target.kind !== "value" && accept(index))
        return index;
      if (item.kind === "link" && choice(index)?.target.kind === "value") continue;
      if (item.kind === "cue" && ["distinct", "and", "single", "which"].includes(item.match.cue.kind))
        continue;
      if (item.kind !== "link") break;
    }
    return undefined;
  };
  const prevLink = (from: number, maxGap = GAP) => {
    for (let index = from - 1; index >= 0; index--) {
      const item = items[index];
      if (!item || gap(index, from) > maxGap * 2) break;
      if (item.kind === "link" && choice(index)?.target.kind !== "value") return index;
      if (item.kind !== "link") break;
    }
    return undefined;
  };
  /** The word before a token, past articles ("of a parcel" → "of"). */
  const wordBefore = (start: number) => {
    let at = start - 1;
    while (at > 0 && ["a", "an", "the", "each", "any"].includes(tokens[at]?.lower ?? "")) at--;
    return tokens[at]?.lower ?? "";
  };
  /** Whether a link's last word is written in the plural ("hours", "customers"). */
  const plural = (index: number) => {
    const token = tokens[(items[index]?.end ?? 1) - 1];
    return token !== undefined && token.lower !== token.lemma;
  };
  /** Whether a link's words also name a table about as well as its best reading ("sales": orders). */
  const namesTable = (index: number) => {
    const item = items[index];
    const best = choice(index);
    return (
      item?.kind === "link" &&
      item.link.candidates.some(
        (entry) => entry.target.kind === "table" && entry.score >= (best?.score ?? 0) - 0.1,
      )
    );
  };
  /** A column a link names that has empty values: what "no manager", "without an email" check. */
  const nullableColumn = (index: number): Entry | undefined => {
    const item = items[index];
    if (item?.kind !== "link") return undefined;
    return item.link.candidates.find((entry) => {
      const col = column(entry);
      return entry.target.kind === "column" && col && col.nulls > 0 && entry.score >= 0.5;
    });
  };
  /** A "by" after a verb in the past ("made by", "placed by"): who did it, not a breakdown. */
  const agentBy = (index: number) => {
    const item = items[index];
    if (item?.kind !== "cue" || tokens[item.start]?.lower !== "by" || item.end - item.start !== 1)
      return false;
    const verb = tokens[item.start - 1]?.lower ?? "";
    return /[a-z]{3,}ed$/.test(verb) || pastParticiples.has(verb);
  };
  /** The table named first before `index`: what the question is about. */
  const tableBefore = (index: number): string | undefined => {
    for (let at = 0; at < index; at++) {
      const entry = choice(at);
      if (items[at]?.kind === "link" && entry?.target.kind === "table") return entry.target.table;
    }
    return undefined;
  };
  const quantityOf = (entry: Entry, agg?: Aggregation): Quantity | undefined => {
    if (entry.target.kind === "table") {
      if (agg && agg !== "count") {
        const measure = primaryMeasure(schema, entry.target.table);
        if (measure) return { kind: "column", agg, column: { table: measure.table, column: measure.name } };
      }
      return { kind: "rows", table: entry.target.table };
    }
    if (entry.target.kind === "value") return undefined;
    const col = column(entry);
    if (!col) return undefined;
    const ref = { table: col.table, column: col.name };
    if (col.role === "key")
      return { kind: "rows", table: joinedTable(schema, ref) ?? col.table, distinct: true };
    if (col.role !== "measure") {
      if (!agg || agg === "count" || agg === "sum")
        return { kind: "column", agg: "count_distinct", column: ref };
      if (col.role === "time" && (agg === "min" || agg === "max"))
        return { kind: "column", agg, column: ref };
      return { kind: "column", agg: "count_distinct", column: ref };
    }
    if (agg === "count") return { kind: "rows", table: col.table };
    return { kind: "column", agg: agg ?? "sum", column: ref };
  };

  /** The tables the question names, in order: where a verb's money is looked for first. */
  const namedTables = () =>
    items.flatMap((other, at) => {
      const entry = other.kind === "link" ? choice(at) : undefined;
      return entry ? [entry.target.table] : [];
    });
  /**
   * A comparison with "the average" made per entity: the figure before the comparison (a money verb,
   * a measure, or a counted table) lives on rows that refer to the subject. Marks what it reads.
   */
  const versusAverage = (compareAt: number, averageAt: number, namedAt?: number): Quantity | undefined => {
    const compare = items[compareAt];
    const entity = tableBefore(compareAt);
    if (!compare || !entity) return undefined;
    let figure: Quantity | undefined;
    let figureAt: number | undefined;
    const verb = tokens[compare.start - 1]?.lower ?? "";
    if (isMoneyVerb(verb)) {
      const found = verbMeasure(verb, schema, lexicon, namedTables());
      if (found) figure = { kind: "column", agg: "sum", column: found.column };
      const linked = items.findIndex((other) => other.kind === "link" && other.end === compare.start);
      if (linked >= 0) figureAt = linked;
    }
    const before = figure ? undefined : prevLink(compareAt, 2);
    const after = nextLink(averageAt, 1);
    for (const at of figure ? [] : namedAt !== undefined ? [namedAt] : [before, after]) {
      if (at === undefined) continue;
      const entry = preferColumn(at, ["measure"]) ?? choice(at);
      const col = column(entry);
      if (entry?.target.kind === "table" && entry.target.table !== entity)
        figure = { kind: "rows", table: entry.target.table };
      else if (col?.role === "measure")
        figure = { kind: "column", agg: "sum", column: { table: col.table, column: col.name } };
      if (figure) {
        figureAt = at;
        break;
      }
    }
    if (!figure) return undefined;
    const table = figure.kind === "rows" ? figure.table : figure.column.table;
    if (table === entity || !manyToOne(schema, table).has(entity)) return undefined;
    used.add(compareAt);
    used.add(averageAt);
    if (figureAt !== undefined) use(figureAt);
    // "than the average customer": the entity named again.
    const again = nextLink(averageAt, 1);
    if (
      again !== undefined &&
      choice(again)?.target.table === entity &&
      choice(again)?.target.kind === "table"
    )
      use(again);
    if (!intent.mentioned.includes(entity)) intent.mentioned.push(entity);
    return figure;
  };
  // "by what percentage", "the growth rate": a change is wanted as a percentage.
  const asksPercent = tokens.some((token) =>
    ["percent", "percentage", "%", "pct", "rate"].includes(token.lower),
  );
  if (tokens.some((token) => ["vs", "versus", "compared", "against"].includes(token.lower)))
    intent.versus = true;
  // "how many more concerts in 2024 than in 2023": the difference between two periods.
  const more = tokens.findIndex((token) => ["more", "fewer", "less"].includes(token.lower));
  const periodsNamed = items.filter((item) => item.kind === "time").length === 2;
  if (more >= 0 && periodsNamed && tokens.some((token, at) => at > more && token.lower === "than"))
    intent.change = { percent: asksPercent };
  // Flags and chart requests.
  for (const [index, item] of items.entries()) {
    if (item.kind !== "cue") continue;
    const cue = item.match.cue;
    // "which order was the largest": a row is wanted; "what is the lowest price": a figure.
    if (cue.kind === "which" && items[index + 1]?.kind === "link") intent.which = true;
    if (cue.kind === "single") intent.single = true;
    if (cue.kind === "list") intent.list = true;
    if (cue.kind === "percent") {
      intent.percent = true;
      used.add(index);
    }
    if (cue.kind === "chart") {
      intent.chart = cue.chart;
      used.add(index);
    }
    if (cue.kind === "change") {
      intent.change = { percent: (intent.change?.percent ?? false) || cue.percent === true || asksPercent };
      used.add(index);
    }
  }
  for (const [index, item] of items.entries())
    if (item.kind === "bucket" && item.bucket.change) {
      intent.change = { percent: (intent.change?.percent ?? false) || asksPercent };
      used.add(index);
    }

  // 0. Verbs of money: "how much has been paid / spent / refunded" totals what the verb records.
  for (const [index, item] of items.entries()) {
    const cue = cueAt(index);
    if (cue?.kind !== "agg" || cue.agg !== "sum" || tokens[item.start]?.lower !== "how") continue;
    const verbAt = tokens.findIndex(
      (token, at) => at >= item.end && at < item.end + 5 && isMoneyVerb(token.lower),
    );
    if (verbAt < 0) continue;
    const focus = items.flatMap((other, at) => {
      const entry =
        other.kind === "link" && (other.start > verbAt || other.end <= verbAt) ? choice(at) : undefined;
      return entry ? [entry.target.table] : [];
    });
    const found = verbMeasure(tokens[verbAt]?.lower ?? "", schema, lexicon, focus);
    if (!found) continue;
    used.add(index);
    const linked = items.findIndex(
      (other) => other.kind === "link" && other.start <= verbAt && other.end > verbAt,
    );
    if (linked >= 0) used.add(linked);
    intent.scores.push(0.9);
    intent.measures.push({ kind: "column", agg: "sum", column: found.column });
    if (found.filter) intent.filters.push(found.filter);
    break;
  }

  // 1. Values are filters; a negation before one turns it around; a column word beside it is absorbed.
  const valueFilters = new Map<string, { column: ColumnRef; values: string[]; negated: boolean }>();
  for (const [index, item] of items.entries()) {
    const entry = choice(index);
    if (item.kind !== "link" || entry?.target.kind !== "value" || used.has(index)) continue;
    // "employees with no manager": the empty manager_id, not the job level "Manager".
    if (cueAt(index - 1)?.kind === "without" && nullableColumn(index)) continue;
    const negated = [index - 1, index - 2].some(
      (at) => cueAt(at)?.kind === "negation" && gap(at, index) <= 2,
    );
    const { table, column: name, value } = entry.target;
    const key = `${table}.${name}.${negated}`;
    const known = valueFilters.get(key) ?? { column: { table, column: name }, values: [], negated };
    if (!known.values.includes(value)) known.values.push(value);
    valueFilters.set(key, known);
    use(index);
    for (const neighbour of [index - 1, index + 1]) {
      const other = choice(neighbour);
      if (
        other?.target.kind === "column" &&
        other.target.table === table &&
        other.target.column === name &&
        !used.has(neighbour)
      )
        use(neighbour);
    }
    for (const at of [index - 1, index - 2]) if (cueAt(at)?.kind === "negation") used.add(at);
  }
  for (const filter of valueFilters.values()) {
    const many = filter.values.length > 1;
    intent.filters.push({
      column: filter.column,
      op: filter.negated ? (many ? "not in" : "!=") : many ? "in" : "=",
      values: filter.values,
    });
  }

  // 1a. "current employees", "former customers", "no longer with us": whether the rows' ending date is set.
  const current = tokens.findIndex((token) =>
    ["current", "currently", "still", "existing"].includes(token.lower),
  );
  const former = tokens.findIndex(
    (token, at) =>
      ["former", "ex", "past", "previous"].includes(token.lower) ||
      (token.lower === "no" && tokens[at + 1]?.lower === "longer"),
  );
  const standing = current >= 0 ? current : former;
  if (standing >= 0) {
    const linked = items.flatMap((item, at) => (item.kind === "link" && choice(at) ? [choice(at)] : []));
    const table = (linked.find((entry) => entry?.target.kind === "table") ?? linked[0])?.target.table;
    const ending = table
      ? tableColumns(schema, table).find(
          (col) => col.role === "time" && col.nulls > 0 && endings.test(col.name),
        )
      : undefined;
    if (ending) {
      intent.filters.push({
        column: { table: ending.table, column: ending.name },
        op: current >= 0 ? "is null" : "is not null",
        values: [],
      });
      for (const [at, item] of items.entries())
        if (item.start <= standing + 1 && item.end > standing && item.kind === "cue") used.add(at);
    }
  }

  // 1b. Anti-joins: "patrons without any bookings", "customers who never ordered", "students not
  // enrolled in any course": the subject's rows that no row of the other table refers to.
  for (const [index, item] of items.entries()) {
    if (item.kind !== "cue" || used.has(index)) continue;
    const kind = item.match.cue.kind;
    if (kind !== "without" && kind !== "negation") continue;
    const subject = tableBefore(index);
    // "not performed in any concert": a verb may stand between the negation and the table.
    const target = nextLink(index, 3);
    const entry = target === undefined ? undefined : choice(target);
    if (!subject || target === undefined || !entry || entry.target.table === subject) continue;
    // "without an email" is a null check of a column; "never ordered" names the other table by a verb.
    if (entry.target.kind === "value" || (kind === "without" && entry.target.kind !== "table")) continue;
    const filter = antiJoin(schema, subject, entry.target.table);
    if (!filter) continue;
    intent.filters.push(filter);
    used.add(index);
    use(target);
    // "never booked a class": the verb's object belongs to the rows checked, not to the answer.
    const objectAt = nextLink(target, 1);
    const object = objectAt === undefined ? undefined : choice(objectAt);
    const recorder = filter.subquery?.table;
    if (
      objectAt !== undefined &&
      object?.target.kind === "table" &&
      recorder &&
      schema.joins.some((join) => join.fromTable === recorder && join.toTable === object.target.table)
    )
      use(objectAt);
    if (!intent.mentioned.includes(subject)) intent.mentioned.push(subject);
  }

  // 2. Null checks: "without an email", "email is missing", "with a phone number".
  for (const [index, item] of items.entries()) {
    if (item.kind !== "cue") continue;
    const kind = item.match.cue.kind;
    if (kind !== "without" && kind !== "missing" && kind !== "present" && kind !== "with") continue;
    const forward = kind === "without" || kind === "with";
    const target =
      forward && items[index + 1]?.kind === "link" && !used.has(index + 1)
        ? index + 1
        : forward
          ? nextLink(index, 1)
          : prevLink(index, 1);
    if (target === undefined) continue;
    const entry =
      nullableColumn(target) ?? preferColumn(target, ["dimension", "measure", "time", "text", "key"]);
    const col = column(entry);
    if (!col || (kind === "with" && col.nulls === 0)) continue;
    // "customers without orders": a table, not a column, is left for a later reading.
    const negated = cueAt(index - 1)?.kind === "negation";
    const isNull = (kind === "without" || kind === "missing") !== negated;
    intent.filters.push({
      column: { table: col.table, column: col.name },
      op: isNull ? "is null" : "is not null",
      values: [],
    });
    used.add(index);
    use(target);
  }

  // 3a. "doctors with more appointments than the average doctor": a figure between the comparison and "than average".
  for (const [index, item] of items.entries()) {
    if (item.kind !== "link" || used.has(index)) continue;
    const word = tokens[item.start - 1]?.lower ?? "";
    const op: FilterOp | undefined = ["more", "higher", "greater", "larger", "bigger"].includes(word)
      ? ">"
      : ["fewer", "less", "lower", "smaller"].includes(word)
        ? "<"
        : undefined;
    if (!op || tokens[item.end]?.lower !== "than") continue;
    const averageAt = items.findIndex(
      (other, at) =>
        at > index &&
        other.start <= item.end + 3 &&
        other.kind === "cue" &&
        other.match.cue.kind === "agg" &&
        other.match.cue.agg === "avg",
    );
    if (averageAt < 0) continue;
    const versus = versusAverage(index, averageAt, index);
    if (versus) intent.having.push({ measure: versus, op, values: [], average: true });
  }

  // 3. Comparisons with numbers: a column or a counted table after the number, or a column before the cue.
  for (const [index, item] of items.entries()) {
    if (item.kind !== "cue" || used.has(index)) continue;
    const cue = item.match.cue;
    let op: FilterOp;
    let values: number[];
    let last: number;
    let first = index;
    const postfix = tokens[item.start]?.lower === "or";
    const aggCueAfter = cueAt(index + 1);
    if (cue.kind === "compare" && !postfix && aggCueAfter?.kind === "agg" && aggCueAfter.agg === "avg") {
      // "customers who spent more than the average customer", "products with above-average revenue":
      // each entity's total against the average of those totals.
      const versus = versusAverage(index, index + 1);
      if (versus) {
        intent.having.push({ measure: versus, op: cue.op, values: [], average: true });
        continue;
      }
    }
    if (
      cue.kind === "compare" &&
      !postfix &&
      aggCueAfter?.kind === "agg" &&
      aggCueAfter.agg !== "count" &&
      aggCueAfter.agg !== "sum"
    ) {
      // "a price above the average price", "bookings with a qty above average": a scalar subquery.
      const measuredAt = nextLink(index + 1, 1);
      const before = prevLink(index, 2);
      const compared = column(before === undefined ? undefined : preferColumn(before, ["measure"]));
      const measured = column(measuredAt === undefined ? undefined : preferColumn(measuredAt, ["measure"]));
      const target = compared ?? measured;
      const over = measured ?? compared;
      if (!target || !over || target.role !== "measure" || over.role !== "measure") continue;
      intent.filters.push({
        column: { table: target.table, column: target.name },
        op: cue.op,
        values: [],
        subquery: { table: over.table, column: over.name, agg: aggCueAfter.agg },
      });
      used.add(index);
      used.add(index + 1);
      if (compared && before !== undefined) use(before);
      if (measured && measuredAt !== undefined) use(measuredAt);
      continue;
    }
    if (cue.kind === "compare" && postfix) {
      // "a score of 2 or lower", "5 or more orders": the number comes first.
      const number = items[index - 1];
      if (number?.kind !== "number" || used.has(index - 1)) continue;
      op = cue.op;
      values = [number.value];
      last = index;
      first = index - 1;
      used.add(index - 1);
    } else if (cue.kind === "compare") {
      const number = items[index + 1];
      if (number?.kind !== "number") continue;
      op = cue.op;
      values = [number.value];
      last = index + 1;
    } else if (cue.kind === "between") {
      const first = items[index + 1];
      const and = items[index + 2];
      const second = items[index + 3];
      if (first?.kind !== "number" || and?.kind !== "cue" || second?.kind !== "number") continue;
      op = "between";
      values = [first.value, second.value];
      last = index + 3;
      used.add(index + 2);
    } else continue;
    used.add(index);
    for (let at = index + 1; at <= last; at++) used.add(at);
    const aggBefore = (at: number) => {
      const before = items[at - 1];
      // "how many employees earn over 100k" counts rows that pass; "average salary over 70k" is a condition on groups.
      if (before?.kind !== "cue" || before.match.cue.kind !== "agg" || before.match.cue.agg === "count")
        return undefined;
      used.add(at - 1);
      return before.match.cue.agg;
    };
    const subjectTable = tableBefore(first);
    const lastItem = items[last];
    // "a discount of 20% or more" over a column of fractions (0.2): the percentage as a fraction.
    const percentWritten = [first, last].some((at) => {
      const number = items[at];
      return number?.kind === "number" && /%$/.test(tokens[number.start]?.raw ?? "");
    });
    const asFraction = (numbers: number[], col: { max?: number }) =>
      percentWritten && col.max !== undefined && col.max <= 1 ? numbers.map((value) => value / 100) : numbers;
    // "older than 25", "longer than 5 minutes": the comparative names the column, the unit converts.
    const about = comparatives.get(
      tokens
        .slice(item.start, item.end)
        .map((token) => token.lower)
        .join(" "),
    );
    const aboutCol = about && subjectTable ? aboutColumn(schema, subjectTable, about) : undefined;
    if (aboutCol && op !== "between") {
      const unitAt = items.findIndex((other) => other.kind === "link" && other.start === lastItem?.end);
      const factor = unitFactor(tokens[lastItem?.end ?? -1]?.lower ?? "", aboutCol.name);
      if (factor !== 1 && unitAt >= 0) used.add(unitAt);
      intent.filters.push({
        column: { table: aboutCol.table, column: aboutCol.name },
        op,
        values: values.map((value) => value * factor),
      });
      continue;
    }
    if (tokens[lastItem?.end ?? -1]?.lower === "times" && subjectTable) {
      // "products returned more than 10 times": a count of the rows the verb before names.
      const verbAt = prevLink(first, 2);
      const verb = verbAt === undefined ? undefined : choice(verbAt);
      const counted =
        verb && verb.target.table !== subjectTable && manyToOne(schema, verb.target.table).has(subjectTable)
          ? verb.target.table
          : factOf(schema, subjectTable);
      if (counted) {
        if (verbAt !== undefined && verb?.target.table === counted) use(verbAt);
        const timesAt = items.findIndex((other) => other.kind === "link" && other.start === lastItem?.end);
        if (timesAt >= 0) used.add(timesAt);
        intent.having.push({ measure: { kind: "rows", table: counted }, op, values });
        continue;
      }
    }
    const after = nextLink(last, 1);
    const afterEntry = after === undefined ? undefined : choice(after);
    // "teams that average more than 60 points": an aggregation right before the comparison.
    const aggCue = cueAt(first - 1);
    const afterCol = column(afterEntry);
    if (
      aggCue?.kind === "agg" &&
      aggCue.agg !== "count" &&
      after !== undefined &&
      afterCol?.role === "measure" &&
      afterEntry?.target.kind === "column"
    ) {
      used.add(first - 1);
      use(after);
      intent.having.push({
        measure: {
          kind: "column",
          agg: aggCue.agg,
          column: { table: afterCol.table, column: afterCol.name },
        },
        op,
        values,
      });
      continue;
    }
    if (
      after !== undefined &&
      afterEntry &&
      (afterEntry.target.kind === "table" || column(afterEntry)?.role === "measure")
    ) {
      const col = column(afterEntry);
      // "time entries longer than 3 hours", "clients with more than 500 employees": the rows' own figure.
      if (col && afterEntry.target.kind === "column" && (col.table === subjectTable || !subjectTable)) {
        use(after);
        intent.filters.push({
          column: { table: col.table, column: col.name },
          op,
          values: asFraction(values, col),
        });
        continue;
      }
      const quantity = quantityOf(afterEntry, afterEntry.target.kind === "table" ? "count" : "sum");
      if (quantity) {
        use(after);
        intent.having.push({ measure: quantity, op, values });
        continue;
      }
    }
    const before = prevLink(first, 2);
    const beforeEntry =
      before === undefined ? undefined : (preferColumn(before, ["measure", "time"]) ?? choice(before));
    const col = column(beforeEntry);
    if (
      before !== undefined &&
      col &&
      (col.role === "measure" || col.role === "time" || col.type === "integer" || col.type === "decimal")
    ) {
      const agg = aggBefore(before);
      use(before);
      const ref = { table: col.table, column: col.name };
      // "sales reps with revenue over 800,000": a total of their rows elsewhere, per rep.
      const perEntity =
        col.role === "measure" &&
        subjectTable !== undefined &&
        subjectTable !== col.table &&
        manyToOne(schema, col.table).has(subjectTable);
      if (agg || perEntity)
        intent.having.push({ measure: { kind: "column", agg: agg ?? "sum", column: ref }, op, values });
      else intent.filters.push({ column: ref, op, values: asFraction(values, col) });
      continue;
    }
    if (before !== undefined && beforeEntry?.target.kind === "table") {
      const measure = primaryMeasure(schema, beforeEntry.target.table);
      if (measure) {
        intent.filters.push({ column: { table: measure.table, column: measure.name }, op, values });
        if (!intent.mentioned.includes(beforeEntry.target.table))
          intent.mentioned.push(beforeEntry.target.table);
        use(before);
        continue;
      }
    }
    intent.loose.push({ op, values });
  }

  // 4. Dates and buckets.
  for (const [index, item] of items.entries()) {
    if (item.kind === "time") {
      intent.times.push(item.span);
      used.add(index);
      const near = [prevLink(index, 2), nextLink(index, 0)].find(
        (at) => at !== undefined && column(preferColumn(at, ["time"]))?.role === "time",
      );
      const col = near === undefined ? undefined : column(preferColumn(near, ["time"]));
      if (near !== undefined && col && !intent.timeColumn) {
        intent.timeColumn = { table: col.table, column: col.name };
        use(near);
      }
    }
    if (item.kind === "bucket") {
      intent.bucket = item.bucket.bucket;
      used.add(index);
    }
  }

  // 4b. Yes/no columns: "discontinued products" keeps the true ones, "non-billable" the false;
  // "billable vs non-billable hours" compares the two.
  for (const [index, item] of items.entries()) {
    if (item.kind !== "link" || used.has(index)) continue;
    const flagEntry = preferColumn(index, ["dimension", "measure"]);
    const col = column(flagEntry);
    const flag = col ? flagValues(col) : undefined;
    if (!col || !flag) continue;
    const ref = { table: col.table, column: col.name };
    const versus = items.findIndex(
      (other, at) =>
        at > index &&
        other.kind === "link" &&
        other.link.candidates.some(
          (entry) =>
            entry.target.kind === "column" &&
            entry.target.column === col.name &&
            entry.target.table === col.table,
        ),
    );
    const between = tokens.slice(item.end, items[versus]?.start ?? item.end).map((token) => token.lower);
    if (versus > index && between.some((word) => ["vs", "versus", "v", "compared", "and"].includes(word))) {
      intent.dims.push({ column: ref });
      use(index);
      used.add(versus);
      for (let at = index + 1; at < versus; at++) if (items[at]?.kind === "cue") used.add(at);
      continue;
    }
    const negation = cueAt(index - 1)?.kind === "negation";
    if (negation) used.add(index - 1);
    if (cueAt(index - 1)?.kind === "group" && !agentBy(index - 1)) continue;
    const negated = negation !== (flagEntry?.negated ?? false);
    if (flag.yes === true) intent.filters.push({ column: ref, op: "=", values: [!negated] });
    else intent.filters.push({ column: ref, op: "=", values: [negated ? flag.no : flag.yes] });
    use(index);
  }

  // 5. Ranking: "top 5 customers", "which region has the most orders", "most expensive product".
  // "the 10 most expensive products", "which 3 products sold the most": how many rows to return.
  let wantedRows: number | undefined;
  const ranked = items.some(
    (item) => item.kind === "cue" && (item.match.cue.kind === "superlative" || item.match.cue.kind === "top"),
  );
  for (const [index, item] of items.entries()) {
    if (!ranked || item.kind !== "number" || used.has(index) || !Number.isInteger(item.value)) continue;
    const next = items[index + 1];
    const before = cueAt(index - 1)?.kind;
    const beforeRank = next?.kind === "cue" && next.match.cue.kind === "superlative";
    // "which 3 majors", "the 5 customers": a count of rows before what they are, a table or a column of groups.
    const named = next?.kind === "link" ? choice(index + 1) : undefined;
    const groups = named?.target.kind === "column" && column(named)?.role === "dimension";
    const beforeEntity =
      (named?.target.kind === "table" || groups) &&
      (before === "which" || before === "list" || before === undefined);
    if (item.value > 0 && (beforeRank || beforeEntity)) {
      wantedRows = item.value;
      used.add(index);
      break;
    }
  }
  for (const [index, item] of items.entries()) {
    if (item.kind !== "cue" || used.has(index)) continue;
    const cue = item.match.cue;
    if (cue.kind === "top") {
      used.add(index);
      const number = items[index + 1];
      let limit: number | undefined;
      let from = index;
      if (number?.kind === "number") {
        limit = number.value;
        used.add(index + 1);
        from = index + 1;
      }
      const target = nextLink(from, 2);
      if (target !== undefined) {
        const entry = choice(target);
        use(target);
        const token = reading.tokens[items[target]?.end ? (items[target]?.end ?? 1) - 1 : 0];
        const plural = token ? token.lower !== token.lemma : true;
        limit ??= plural ? 10 : 1;
        if (entry?.target.kind === "table") intent.entity = entry.target.table;
        else if (entry && column(entry)?.role === "measure") {
          intent.measures.push({
            kind: "column",
            agg: "raw",
            column: { table: entry.target.table, column: (entry.target as { column: string }).column },
          });
        } else if (entry?.target.kind === "column")
          intent.entity = { table: entry.target.table, column: entry.target.column };
      }
      intent.rank = { direction: cue.direction, limit: limit ?? 1 };
    }
    if (cue.kind === "superlative") {
      used.add(index);
      const counting = countingWords.has(tokens[item.start]?.lower ?? "");
      const often = frequencyWords.has(tokens[item.end]?.lower ?? "");
      const eventAt = counting ? nextLink(index, often ? 2 : 1) : undefined;
      const event = eventAt === undefined ? undefined : choice(eventAt);
      const eventCol = column(event);
      const afterEvent = eventAt === undefined ? undefined : nextLink(eventAt, 0);
      const measured = column(afterEvent === undefined ? undefined : preferColumn(afterEvent, ["measure"]));
      const isEvent =
        eventCol?.role === "time" &&
        event?.target.kind === "column" &&
        (eventCol.nulls > 0 || (measured?.role === "measure" && measured.table === eventCol.table));
      if (often || isEvent) {
        // "the most frequently prescribed medications": how many rows record it; "the most churned
        // accounts": how many rows have the event's date set.
        const counted =
          event?.target.kind === "table"
            ? event.target.table
            : eventCol?.role === "time"
              ? eventCol.table
              : undefined;
        if (isEvent && eventCol && eventAt !== undefined) {
          intent.filters.push({
            column: { table: eventCol.table, column: eventCol.name },
            op: "is not null",
            values: [],
          });
          use(eventAt);
        } else if (counted && eventAt !== undefined) use(eventAt);
        // "the most returned units": the measure named after the event is what is added up.
        const unitsAt = eventAt === undefined ? undefined : nextLink(eventAt, 0);
        const units = unitsAt === undefined ? undefined : column(preferColumn(unitsAt, ["measure"]));
        let measure: Quantity | undefined;
        if (units?.role === "measure" && unitsAt !== undefined && (!counted || units.table === counted)) {
          use(unitsAt);
          measure = { kind: "column", agg: "sum", column: { table: units.table, column: units.name } };
        } else if (counted) measure = { kind: "rows", table: counted };
        intent.rank = {
          direction: cue.direction,
          limit: wantedRows ?? intent.rank?.limit ?? 1,
          ...(measure ? { measure } : {}),
        };
        continue;
      }
      const target = nextLink(index, 2);
      const entry =
        target === undefined ? undefined : (preferColumn(target, ["measure", "time"]) ?? choice(target));
      let measure: Quantity | undefined;
      if (target !== undefined && entry) {
        const agg =
          cueAt(index + 1)?.kind === "agg" ? (cueAt(index + 1) as { agg: Aggregation }).agg : undefined;
        if (agg) used.add(index + 1);
        if (entry.target.kind === "table" && !cue.about) {
          // "the most orders" counts orders; "the largest order" ranks orders by their size.
          const plural = reading.tokens[(items[target]?.end ?? 1) - 1];
          // "the most orders" counts them; "our biggest customers" ranks customers by a size not named.
          const counting = countingWords.has(tokens[item.start]?.lower ?? "");
          if (plural && plural.lower !== plural.lemma && !counting && !intent.entity) {
            intent.entity = entry.target.table;
            intent.rank = { direction: cue.direction, limit: wantedRows ?? 1 };
            use(target);
            continue;
          }
          if (plural && plural.lower !== plural.lemma) measure = { kind: "rows", table: entry.target.table };
          else if (!intent.entity) {
            intent.entity = entry.target.table;
            intent.rank = { direction: cue.direction, limit: wantedRows ?? 1, about: "size" };
            use(target);
            continue;
          } else measure = { kind: "rows", table: entry.target.table };
        } else if (entry.target.kind === "table" && cue.about) {
          intent.entity ??= entry.target.table;
          intent.rank = { direction: cue.direction, limit: wantedRows ?? 1, about: cue.about };
          use(target);
          continue;
        } else {
          const col = column(entry);
          if (col?.role === "measure" || col?.role === "time")
            measure = { kind: "column", agg: agg ?? "raw", column: { table: col.table, column: col.name } };
          else if (col)
            measure = {
              kind: "column",
              agg: "count_distinct",
              column: { table: col.table, column: col.name },
            };
        }
        if (measure) use(target);
      }
      intent.rank = {
        direction: cue.direction,
        limit: wantedRows ?? intent.rank?.limit ?? 1,
        ...(measure ? { measure } : {}),
        ...(cue.about ? { about: cue.about } : {}),
      };
    }
  }

  // 5b. A number beside a numeric column and no comparison: "a rating of 5", "a 20% discount".
  for (const [index, item] of items.entries()) {
    if (item.kind !== "number" || used.has(index)) continue;
    const next = items[index + 1]?.kind === "link" && !used.has(index + 1) ? index + 1 : undefined;
    const numeric = (at: number | undefined) => {
      const col = at === undefined || used.has(at) ? undefined : column(preferColumn(at, ["measure"]));
      return col && (col.type === "integer" || col.type === "decimal") ? col : undefined;
    };
    const previous = prevLink(index, 1);
    const at = numeric(previous) ? previous : numeric(next) ? next : undefined;
    const col = numeric(at);
    if (at === undefined || !col) continue;
    const percent = tokens[item.start]?.raw.endsWith("%") && col.max !== undefined && col.max <= 1;
    intent.filters.push({
      column: { table: col.table, column: col.name },
      op: "=",
      values: [percent ? item.value / 100 : item.value],
    });
    used.add(index);
    use(at);
  }

  // 5c. Averages of counts across two tables: "average bookings per patron", "average number of
  // orders per customer" are the rows of one over every row of the other, those with none included.
  for (const index of items.keys()) {
    const cue = cueAt(index);
    if (cue?.kind !== "agg" || cue.agg !== "avg" || used.has(index)) continue;
    const counted = cueAt(index + 1)?.kind === "agg" && (cueAt(index + 1) as { agg: string }).agg === "count";
    const from = counted ? index + 1 : index;
    const measuredAt = nextLink(from, 1);
    const measured = measuredAt === undefined ? undefined : choice(measuredAt);
    if (measuredAt === undefined || measured?.target.kind !== "table") continue;
    const perAt = measuredAt + 1;
    const perItem = items[perAt];
    const perWords = perItem ? tokens.slice(perItem.start, perItem.end).map((token) => token.lower) : [];
    if (cueAt(perAt)?.kind !== "group" || !perWords.some((word) => ["per", "each", "every"].includes(word)))
      continue;
    const entityAt = nextLink(perAt, 1);
    const entity = entityAt === undefined ? undefined : choice(entityAt);
    const table = measured.target.table;
    if (entityAt === undefined || entity?.target.kind !== "table" || entity.target.table === table) continue;
    if (!manyToOne(schema, table).has(entity.target.table)) continue;
    for (const at of [index, from, perAt]) used.add(at);
    use(measuredAt);
    use(entityAt);
    intent.measures.push({ kind: "rows", table, per: entity.target.table });
  }

  // 5d. Averages of totals per entity: "the average total spend per customer", "average amount billed
  // per patient": each entity's total, averaged over every entity there is.
  for (const index of items.keys()) {
    const cue = cueAt(index);
    if (cue?.kind !== "agg" || cue.agg !== "avg" || used.has(index)) continue;
    const totalAt =
      cueAt(index + 1)?.kind === "agg" && (cueAt(index + 1) as { agg: string }).agg === "sum"
        ? index + 1
        : undefined;
    const start = items[index]?.end ?? 0;
    const verbAt = tokens.findIndex((token, at) => at >= start && at < start + 4 && isMoneyVerb(token.lower));
    if (totalAt === undefined && verbAt < 0) continue;
    let figure: ColumnRef | undefined;
    let figureAt: number | undefined;
    if (totalAt !== undefined) {
      figureAt = nextLink(totalAt, 1);
      const col = column(figureAt === undefined ? undefined : preferColumn(figureAt, ["measure"]));
      if (col?.role === "measure") figure = { table: col.table, column: col.name };
    }
    if (!figure && verbAt >= 0)
      figure = verbMeasure(tokens[verbAt]?.lower ?? "", schema, lexicon, namedTables())?.column;
    if (!figure) continue;
    const perAt = items.findIndex(
      (other, at) =>
        at > index &&
        other.kind === "cue" &&
        other.match.cue.kind === "group" &&
        tokens.slice(other.start, other.end).some((token) => ["per", "each", "every"].includes(token.lower)),
    );
    const entityAt = perAt < 0 ? undefined : nextLink(perAt, 1);
    const entity = entityAt === undefined ? undefined : choice(entityAt);
    if (entityAt === undefined || entity?.target.kind !== "table" || entity.target.table === figure.table)
      continue;
    if (!manyToOne(schema, figure.table).has(entity.target.table)) continue;
    for (const at of [index, totalAt, perAt]) if (at !== undefined) used.add(at);
    if (figureAt !== undefined) use(figureAt);
    const linkedVerb = items.findIndex(
      (other) => other.kind === "link" && other.start <= verbAt && other.end > verbAt,
    );
    if (linkedVerb >= 0) used.add(linkedVerb);
    use(entityAt);
    intent.scores.push(0.9);
    intent.measures.push({ kind: "column", agg: "sum", column: figure, per: entity.target.table });
  }

  // 6. Aggregations: "how many customers", "total revenue", "average order value", "number of distinct products".
  for (const [index, item] of items.entries()) {
    if (item.kind !== "cue" || used.has(index)) continue;
    const cue = item.match.cue;
    if (cue.kind !== "agg" && cue.kind !== "distinct") continue;
    used.add(index);
    // "total and average amount": cues joined by "and" share the word after the last.
    let last = index;
    const aggs: Aggregation[] = [cue.kind === "agg" ? cue.agg : "count"];
    let distinct = cue.kind === "distinct";
    // "the average, minimum and maximum age": a list of aggregations before one word.
    for (;;) {
      const joined = cueAt(last + 1)?.kind === "and" ? 1 : 0;
      const next = cueAt(last + 1 + joined);
      if (next?.kind !== "agg" || (joined === 0 && (next.agg === "count" || aggs[0] === "count"))) break;
      aggs.push(next.agg);
      for (let at = last + 1; at <= last + 1 + joined; at++) used.add(at);
      last += 1 + joined;
    }
    if (cueAt(last + 1)?.kind === "distinct") {
      distinct = true;
      used.add(last + 1);
      last += 1;
    }
    const nextCue = cueAt(last + 1);
    if (nextCue?.kind === "agg" && (aggs[0] === "sum" || (aggs[0] === "count" && nextCue.agg === "count"))) {
      // "total number of orders": the second cue says what.
      continue;
    }
    const target = nextLink(last, 3);
    if (target === undefined) {
      if (cue.kind === "agg")
        intent.measures.push(
          ...aggs
            .map(
              (agg): Quantity =>
                agg === "count" ? { kind: "rows", table: "" } : { kind: "rows", table: "", distinct: false },
            )
            .slice(0, aggs[0] === "count" ? 1 : 0),
        );
      if (cue.kind === "distinct") intent.distinct = true;
      // "what's the average for Sales?": an average of what?
      if (cue.kind === "agg" && aggs[0] !== "count") intent.missingMeasure = aggs[0];
      continue;
    }
    const wantsMeasure = aggs.some((agg) => agg !== "count");
    let measureAt = target;
    let entry = (wantsMeasure ? preferColumn(target, ["measure"]) : undefined) ?? choice(target);
    // "total leave days", "average order processing time": a modifier before the measure it qualifies.
    const following = nextLink(target, 0);
    const qualified = following === undefined ? undefined : preferColumn(following, ["measure"]);
    if (
      following !== undefined &&
      qualified &&
      column(entry)?.role !== "measure" &&
      (wantsMeasure || entry?.target.kind !== "table" || plural(following))
    ) {
      if (entry?.target.kind === "table" && !intent.mentioned.includes(entry.target.table))
        intent.mentioned.push(entry.target.table);
      use(target);
      measureAt = following;
      entry = qualified;
    }
    if (!entry) continue;
    use(measureAt);
    // "how many hours", "number of units": a count of a measure's unit is its sum.
    const countsUnits =
      !wantsMeasure && column(entry)?.role === "measure" && plural(measureAt) && !namesTable(measureAt);
    for (const agg of countsUnits ? (["sum"] as Aggregation[]) : aggs) {
      const quantity = quantityOf(entry, agg);
      if (!quantity) continue;
      if (distinct && quantity.kind === "column" && (agg === "count" || quantity.agg === "count_distinct"))
        intent.measures.push({ ...quantity, agg: "count_distinct" });
      else if (distinct && quantity.kind === "rows") intent.measures.push({ ...quantity, distinct: true });
      else if (cue.kind === "distinct" && entry.target.kind !== "table") {
        const col = column(entry);
        if (col) intent.select.push({ table: col.table, column: col.name });
        intent.distinct = true;
      } else intent.measures.push(quantity);
    }
  }

  // 7. Grouping: "by region", "per month", "for each customer", "region and channel breakdown".
  for (const [index, item] of items.entries()) {
    if (item.kind !== "cue" || used.has(index) || item.match.cue.kind !== "group") continue;
    used.add(index);
    // "sales made by loyalty members", "orders placed by Enterprise customers": who did it, a filter.
    const by = items[index + 1];
    if (
      agentBy(index) &&
      by?.kind === "link" &&
      (choice(index + 1)?.target.kind === "value" || used.has(index + 1))
    )
      continue;
    // "across all departments", "for every order": the whole, not a breakdown; "a breakdown of
    // customers by country": the noun, the grouping comes after.
    const after = reading.tokens[item.end]?.lower ?? "";
    if (["all", "whole", "entire"].includes(after)) continue;
    if (after === "of" && item.end - item.start === 1 && nextGroupCue(index)) continue;
    let target = nextLink(index, 2);
    // "list the stores by opening date, newest first": a sort, when nothing is aggregated.
    const sorted =
      items.some((other) => other.kind === "cue" && other.match.cue.kind === "direction") &&
      intent.measures.length === 0 &&
      !items.some((other) => other.kind === "cue" && other.match.cue.kind === "agg");
    const sortedBy = sorted && target !== undefined ? column(choice(target)) : undefined;
    if (sortedBy && target !== undefined) {
      use(target);
      intent.order = {
        column: { table: sortedBy.table, column: sortedBy.name },
        direction: intent.order?.direction ?? "asc",
      };
      continue;
    }
    if (target === undefined && reading.tokens[item.start]?.lower === "breakdown") {
      // "region and channel breakdown": the words before.
      for (let at = index - 1; at >= 0; at--) {
        const before = items[at];
        if (before?.kind === "link" && !used.has(at)) addGroup(at);
        else if (!(before?.kind === "cue" && before.match.cue.kind === "and")) break;
      }
      continue;
    }
    while (target !== undefined) {
      addGroup(target);
      const and = items[target + 1];
      if (and?.kind === "cue" && and.match.cue.kind === "and") {
        used.add(target + 1);
        target = nextLink(target + 1, 1);
      } else break;
    }
  }
  /**
   * "What are the names of…", "Find the id and title of…", "Give the name and age of…": the columns
   * named right after the question word and before "of" are what to show.
   */
  function projectedLinks(): Set<number> {
    const found = new Set<number>();
    for (const [index, item] of items.entries()) {
      if (item.kind !== "cue" || (item.match.cue.kind !== "which" && item.match.cue.kind !== "list"))
        continue;
      const chain: number[] = [];
      for (let at = index + 1; ; at += 2) {
        const col = items[at]?.kind === "link" && !used.has(at) ? column(choice(at)) : undefined;
        // A figure is shown as it is when the question ranks by something else ("the release year of
        // the song by the youngest singer"); otherwise a measure after "what is" is a figure to compute.
        if (!col || (col.role === "measure" && !ranked) || choice(at)?.target.kind !== "column") break;
        chain.push(at);
        if (cueAt(at + 1)?.kind !== "and") break;
      }
      let last = items[chain.at(-1) ?? -1];
      // "the country name": a column and the word "name", as one thing to show.
      const nameWord = (chain.at(-1) ?? -2) + 1;
      const named = items[nameWord];
      const trailingName =
        item.match.cue.kind === "list" &&
        named?.kind === "link" &&
        named.end - named.start === 1 &&
        tokens[named.start]?.lemma === "name";
      if (trailingName) last = named;
      // "…? Give the country name.": a list request that closes a sentence names what to show too.
      const lastToken = last ? tokens[last.end - 1] : undefined;
      const closes =
        item.match.cue.kind === "list" &&
        lastToken !== undefined &&
        /^\s*([.?!;]|$)/.test(reading.question.slice(lastToken.end));
      if (last && (tokens[last.end]?.lower === "of" || closes)) {
        for (const at of chain) found.add(at);
        if (trailingName && closes) used.add(nameWord);
      }
    }
    return found;
  }
  function nextGroupCue(from: number) {
    return items.some((other, at) => at > from && other.kind === "cue" && other.match.cue.kind === "group");
  }
  function addGroup(at: number) {
    const entry = preferColumn(at, ["dimension", "time", "text"]) ?? choice(at);
    if (!entry) return;
    use(at);
    // "the average weight per parcel": each row is one parcel, so the figure is over rows, not groups.
    const rowsOf =
      entry.target.kind === "table"
        ? entry.target.table
        : column(entry)?.role === "key" && column(entry)?.unique
          ? entry.target.table
          : undefined;
    if (
      rowsOf &&
      !intent.rank &&
      intent.measures.length > 0 &&
      intent.measures.every((quantity) => quantity.kind === "column" && quantity.column.table === rowsOf)
    )
      return;
    if (entry.target.kind === "table") {
      if (intent.rank && !intent.entity) intent.entity = entry.target.table;
      else if (intent.rank && intent.entity && !intent.rank.measure)
        intent.rank.measure = { kind: "rows", table: entry.target.table };
      else intent.dims.push({ column: labelRef(schema, entry.target.table) });
      return;
    }
    const col = column(entry);
    if (!col) return;
    const ref = { table: col.table, column: col.name };
    if (col.role === "measure" && (intent.rank || intent.measures.length === 0)) {
      // "top 5 products by revenue": ranked by the measure; "the largest stores by floor space": by their own.
      const own =
        typeof intent.entity === "string" ? intent.entity === col.table : intent.entity?.table === col.table;
      if (intent.rank) intent.rank.measure = { kind: "column", agg: own ? "raw" : "sum", column: ref };
      else intent.order = { quantity: { kind: "column", agg: "sum", column: ref }, direction: "desc" };
      return;
    }
    if (col.role === "time") {
      intent.dims.push({ column: ref, bucket: intent.bucket ?? "day" });
      intent.bucket = undefined;
      return;
    }
    if (col.role === "key") {
      const referred = joinedTable(schema, ref);
      intent.dims.push({ column: referred ? labelRef(schema, referred) : ref });
      return;
    }
    intent.dims.push({ column: ref });
  }

  // 8. Sorting: "sorted by price descending", "alphabetically".
  for (const [index, item] of items.entries()) {
    if (item.kind !== "cue" || used.has(index)) continue;
    const cue = item.match.cue;
    if (cue.kind === "direction") {
      used.add(index);
      if (intent.order) intent.order.direction = cue.direction;
      else intent.order = { direction: cue.direction };
    }
    if (cue.kind !== "order") continue;
    used.add(index);
    const target = nextLink(index, 1);
    const entry = target === undefined ? undefined : choice(target);
    const col = column(entry);
    const direction =
      cue.direction ??
      intent.order?.direction ??
      (col?.role === "measure" || col?.role === "time" ? "desc" : "asc");
    if (target !== undefined && col) {
      use(target);
      intent.order = { column: { table: col.table, column: col.name }, direction };
    } else intent.order = { direction };
  }

  // 9. What is left: "which/what X" names the entity or the column to show; tables are the subject.
  const projected = projectedLinks();
  for (const [index, item] of items.entries()) {
    if (item.kind !== "link" || used.has(index)) continue;
    const entry = choice(index);
    if (!entry) continue;
    const named = projected.has(index) ? column(entry) : undefined;
    if (named) {
      intent.select.push({ table: named.table, column: named.name });
      intent.projection = true;
      use(index);
      continue;
    }
    const afterWhich = cueAt(index - 1)?.kind === "which" || cueAt(index - 1)?.kind === "list";
    // "the highest hourly rate among our technicians": the figure over those rows, not the row.
    const scope =
      intent.rank?.measure?.kind === "column" &&
      intent.rank.measure.agg === "raw" &&
      !intent.which &&
      !intent.projection &&
      scopeWords.has(wordBefore(items[index]?.start ?? 0));
    if (entry.target.kind === "table") {
      if (
        intent.rank &&
        !intent.entity &&
        !scope &&
        (afterWhich ||
          !intent.rank.measure ||
          intent.rank.measure.kind !== "rows" ||
          intent.rank.measure.table !== entry.target.table)
      ) {
        intent.entity = entry.target.table;
      } else if (!intent.mentioned.includes(entry.target.table)) intent.mentioned.push(entry.target.table);
      use(index);
      continue;
    }
    const col = column(entry);
    if (!col) continue;
    const ref = { table: col.table, column: col.name };
    // "employees who have left", "tickets that haven't been closed": whether the event's date is set.
    if (
      col.role === "time" &&
      col.nulls > 0 &&
      !intent.times.length &&
      !intent.bucket &&
      !dateWords.has(tokens[item.start]?.lemma ?? "") &&
      auxiliaries.has(tokens[item.start - 1]?.lower ?? "")
    ) {
      const negated = tokens
        .slice(Math.max(0, item.start - 3), item.start)
        .some((token) => token.lower === "not" || token.lower === "never");
      intent.filters.push({ column: ref, op: negated ? "is null" : "is not null", values: [] });
      for (let at = index - 3; at < index; at++) if (cueAt(at)?.kind === "negation") used.add(at);
      use(index);
      continue;
    }
    if (col.role === "time" && (intent.times.length || intent.bucket) && !intent.timeColumn) {
      intent.timeColumn = ref;
      use(index);
      continue;
    }
    if (intent.rank && !intent.entity && col.role !== "measure") {
      intent.entity = col.role === "key" ? (joinedTable(schema, ref) ?? ref) : ref;
      use(index);
      continue;
    }
    if (intent.rank && !intent.rank.measure && (col.role === "measure" || col.role === "time")) {
      intent.rank.measure = { kind: "column", agg: "raw", column: ref };
      use(index);
      continue;
    }
    if (col.role === "key") {
      const referred = joinedTable(schema, ref);
      if (referred && !intent.mentioned.includes(referred)) intent.mentioned.push(referred);
      else intent.select.push(ref);
      use(index);
      continue;
    }
    if (
      col.role === "measure" &&
      intent.measures.length === 0 &&
      !intent.rank &&
      (intent.dims.length > 0 || intent.bucket)
    ) {
      intent.measures.push({ kind: "column", agg: "sum", column: ref });
      use(index);
      continue;
    }
    intent.select.push(ref);
    use(index);
  }

  // Ranking about a word ("most expensive", "latest") finds its column on the entity's table.
  if (intent.rank && !intent.rank.measure && intent.rank.about) {
    const table =
      typeof intent.entity === "string" ? intent.entity : (intent.entity?.table ?? intent.mentioned[0]);
    let col = table ? aboutColumn(schema, table, intent.rank.about) : undefined;
    if (!col && table && intent.rank.about === "age") {
      // No age column: the oldest row is the one born, or dated, first.
      const times = tableColumns(schema, table).filter((candidate) => candidate.role === "time");
      col = times.find((candidate) => /birth|born|dob/i.test(candidate.name)) ?? timeColumn(schema, table);
      if (col) intent.rank.direction = intent.rank.direction === "desc" ? "asc" : "desc";
    }
    const agg = intent.single ? (intent.rank.direction === "desc" ? "max" : "min") : "raw";
    if (col) intent.rank.measure = { kind: "column", agg, column: { table: col.table, column: col.name } };
  }
  return assemble(intent, schema);
}

export function labelRef(schema: SchemaIndex, table: string): ColumnRef {
  const label = labelColumn(schema, table);
  return { table, column: label?.name ?? "" };
}

/**
 * Rows of `subject` that no row of `other` refers to, directly (`customers.id not in orders.customer_id`)
 * or through a table that refers to both (students → enrollments ← courses).
 */
function antiJoin(schema: SchemaIndex, subject: string, other: string): Filter | undefined {
  const direct = schema.joins.find((join) => join.fromTable === other && join.toTable === subject);
  // Of several tables between the two, the one with the most rows: the record of the activity
  // (sale lines between products and sales, not returns).
  const rows = (table: string) => schema.tables.find((candidate) => candidate.name === table)?.rows ?? 0;
  const bridge = direct
    ? undefined
    : schema.joins
        .filter(
          (join) =>
            join.toTable === subject &&
            schema.joins.some((second) => second.fromTable === join.fromTable && second.toTable === other),
        )
        .sort((a, b) => rows(b.fromTable) - rows(a.fromTable))[0];
  const via = direct ?? bridge;
  if (!via) return undefined;
  return {
    column: { table: subject, column: via.toColumn },
    op: "not in",
    values: [],
    subquery: { table: via.fromTable, column: via.fromColumn },
  };
}

/** The table a key column refers to (customer_id → customers), if the schema knows the relationship. */
export function joinedTable(schema: SchemaIndex, ref: ColumnRef): string | undefined {
  const join = schema.joins.find(
    (candidate) => candidate.fromTable === ref.table && candidate.fromColumn === ref.column,
  );
  return join?.toTable;
}

export type { Item };
