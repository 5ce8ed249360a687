import { eventSynonyms, nameParts, synonyms } from "../schema-index.js";
import type { IndexedColumn, IndexedTable, SchemaIndex } from "../types.js";
import { flagValues } from "./schema-facts.js";
import { normalize } from "./text.js";

/** Adjectives and their opposites, for yes/no columns named by one of them (`is_active`: "inactive"). */
const ANTONYMS: [string, string][] = [
  ["male", "female"],
  ["active", "inactive"],
  ["paid", "unpaid"],
  ["complete", "incomplete"],
  ["valid", "invalid"],
  ["verified", "unverified"],
  ["enabled", "disabled"],
  ["available", "unavailable"],
  ["public", "private"],
  ["online", "offline"],
  ["internal", "external"],
  ["domestic", "international"],
  ["open", "closed"],
  ["billable", "unbillable"],
  ["active", "discontinued"],
  ["active", "retired"],
  ["available", "sold out"],
];
const antonymsOf = new Map<string, string[]>();
for (const [a, b] of ANTONYMS) {
  antonymsOf.set(a, [...(antonymsOf.get(a) ?? []), b]);
  antonymsOf.set(b, [...(antonymsOf.get(b) ?? []), a]);
}

/** Words for one-letter codes of a column holding both: F/M. */
const CODE_WORDS: [string, string, string[]][] = [
  ["f", "m", ["female", "woman", "girl"]],
  ["m", "f", ["male", "man", "boy"]],
];

/** What a span of the question can name. */
export type Target =
  | { kind: "table"; table: string }
  | { kind: "column"; table: string; column: string }
  | { kind: "value"; table: string; column: string; value: string; count: number };

export interface Entry {
  target: Target;
  /** How well the words name the target: 1 for its own name, less for a part, a synonym or a value's rare spelling. */
  score: number;
  match: "exact" | "lemma" | "synonym" | "fuzzy";
  /** The word means the opposite of a yes/no column ("female" of `is_male`). */
  negated?: boolean;
}

export interface Lexicon {
  /** Phrase in lemma form → what it names. */
  phrases: Map<string, Entry[]>;
  /** Single-word phrases by first letter, for fuzzy matching. */
  byInitial: Map<string, string[]>;
  /** The longest phrase, in words. */
  longest: number;
  tables: Map<string, IndexedTable>;
  columns: Map<string, IndexedColumn>;
}

const cache = new WeakMap<SchemaIndex, Lexicon>();

const columnKey = (table: string, column: string) => `${table}.${column}`;

/** Words that name a column's own parts poorly on their own ("order" of order_date). */
const weakParts = new Set([
  "id",
  "key",
  "code",
  "no",
  "number",
  "is",
  "has",
  "at",
  "on",
  "of",
  "the",
  "num",
  "nr",
  "line",
]);

/** Modifiers that make an amount a different flow of money than sales: refund_amount, shipping_cost. */
const otherFlows = new Set([
  "refund",
  "return",
  "shipping",
  "freight",
  "tax",
  "vat",
  "discount",
  "commission",
  "credit",
  "fee",
  "tip",
  "deposit",
  "expense",
  "budget",
  "cost",
]);
const moneyHeads = new Set(["amount", "total", "value", "revenue", "sale", "price", "income"]);
const revenueWords = new Set(["revenue", "sales", "sale", "income", "turnover", "earnings", "takings"]);
const timeSuffixes = new Set(["at", "on", "date", "time", "timestamp", "dt", "ts", "day", "when"]);

/** What a count column counts: employee_count, number_of_orders, num_seats → employee, order, seat. */
function countedBy(parts: string[]): string | undefined {
  if (parts.length === 2 && ["count", "cnt", "number", "num"].includes(parts[1] ?? "")) return parts[0];
  if (parts.length >= 2 && ["num", "number", "count", "no"].includes(parts[0] ?? ""))
    return parts.slice(parts[1] === "of" ? 2 : 1).join(" ") || undefined;
  return undefined;
}

/**
 * The event a date column records, as a question says it: closed_at → "closed", "close";
 * hire_date → "hire", "hired" (stemmed "hir"); termination_date → "termination", "left".
 */
function eventWords(parts: string[]): [string, number][] {
  if (parts.length < 2 || !timeSuffixes.has(parts.at(-1) ?? "")) return [];
  const event = parts.slice(0, -1);
  const found: [string, number][] = [[event.join(" "), 0.9]];
  const word = event.at(-1) ?? "";
  const forms = new Set<string>([word]);
  const past = /^(.{2,}?)(ed)$/.exec(word);
  if (past?.[1]) {
    forms.add(past[1]);
    forms.add(`${past[1]}e`);
    if (/([b-df-hj-np-tv-z])\1$/.test(past[1])) forms.add(past[1].slice(0, -1));
  } else if (word.endsWith("e")) forms.add(word.slice(0, -1));
  if (event.length === 1) {
    for (const form of forms) found.push([form, 0.88]);
    // opened_on is also the "opening date"; hire_date the "hiring date".
    for (const form of forms) {
      const base = form.endsWith("e") ? form.slice(0, -1) : form;
      found.push([`${base}ing date`, 0.95], [`${form} date`, 0.95]);
    }
    for (const form of forms) for (const synonym of eventSynonyms(form)) found.push([synonym, 0.8]);
  }
  return found;
}

/** Verbs whose records a table keeps, where the verb is not the noun plus -ed. */
const IRREGULAR_VERBS: Record<string, string[]> = {
  sale: ["sold", "sell", "selling"],
  purchase: ["purchased", "bought", "buy"],
  payment: ["paid", "pay"],
  prescription: ["prescribed", "prescribe"],
  subscription: ["subscribed", "subscribe"],
  registration: ["registered", "register"],
  delivery: ["delivered", "deliver"],
  shipment: ["shipped", "ship"],
  enrollment: ["enrolled", "enroll"],
  enrolment: ["enrolled", "enrol"],
  booking: ["booked", "book"],
  rental: ["rented", "rent"],
  visit: ["visited"],
  review: ["reviewed"],
  order: ["ordered"],
  return: ["returned"],
  transaction: ["transacted"],
  performance: ["performed", "perform"],
  membership: ["joined"],
};

/** "sold", "ordered", "booked": the verbs a question uses for a table's rows ("never been sold"). */
function verbsOf(noun: string): string[] {
  const irregular = IRREGULAR_VERBS[noun];
  if (irregular) return irregular;
  const stem = noun.replace(/(ment|ing)$/, "");
  if (stem === noun || stem.length < 3) return [];
  return [stem.endsWith("e") ? `${stem}d` : `${stem}ed`];
}

/** The lexicon of a schema: every phrase that names a table, a column or a value. Built once per index. */
export function lexiconOf(schema: SchemaIndex): Lexicon {
  const known = cache.get(schema);
  if (known) return known;
  const phrases = new Map<string, Entry[]>();
  const add = (phrase: string, target: Target, score: number, match: Entry["match"], negated?: boolean) => {
    if (!phrase) return;
    const entries = phrases.get(phrase) ?? [];
    const same = entries.find((entry) => sameTarget(entry.target, target));
    if (same) {
      if (same.score >= score) return;
      same.score = score;
      same.match = match;
    } else entries.push({ target, score, match, ...(negated ? { negated } : {}) });
    phrases.set(phrase, entries);
  };
  const tables = new Map<string, IndexedTable>();
  const columns = new Map<string, IndexedColumn>();

  for (const table of schema.tables) {
    tables.set(table.name, table);
    const parts = nameParts(table.name).parts;
    const target: Target = { kind: "table", table: table.name };
    add(parts.join(" "), target, 1, "exact");
    if (parts.length > 1) {
      add(parts.join(""), target, 0.95, "exact");
      add(parts.at(-1) ?? "", target, 0.7, "lemma");
      // leave_requests is also "leave": weaker than a column's own name.
      if (!weakParts.has(parts[0] ?? "")) add(parts[0] ?? "", target, 0.5, "lemma");
    }
    for (const synonym of synonyms(parts.at(-1) ?? ""))
      add([...parts.slice(0, -1), synonym].join(" "), target, 0.8, "synonym");
    // sale_items are also "order lines": both words by another name.
    if (parts.length === 2)
      for (const first of synonyms(parts[0] ?? ""))
        for (const last of [parts[1] ?? "", ...synonyms(parts[1] ?? "")])
          add(`${first} ${last}`, target, 0.75, "synonym");
    // sales are what was "sold": weaker than a column whose event the verb names (returned_on).
    if (parts.length === 1) for (const verb of verbsOf(parts[0] ?? "")) add(verb, target, 0.75, "lemma");
  }

  const tableNames = new Set(
    schema.tables.flatMap((table) => {
      const parts = nameParts(table.name).parts;
      return [parts.join(" "), parts.at(-1) ?? ""];
    }),
  );
  for (const table of schema.tables) {
    const tableParts = nameParts(table.name).parts;
    const tableWord = tableParts.join(" ");
    for (const column of table.columns) {
      columns.set(columnKey(table.name, column.name), column);
      const target: Target = { kind: "column", table: table.name, column: column.name };
      const named = nameParts(column.name);
      let parts = named.parts;
      if (parts[0] === "is" || parts[0] === "has") parts = parts.slice(1);
      const key = column.role === "key";
      // A key names the entity it refers to: customer_id is "customer", weaker than the customers table.
      const strong = key ? parts.filter((part) => !weakParts.has(part)) : parts;
      const base = key ? 0.6 : 1;
      // A table's own key is its "id": "the ids of the concerts".
      if (
        key &&
        column.unique &&
        parts.at(-1) === "id" &&
        (strong.join(" ") === tableWord || strong.length === 0)
      )
        for (const word of ["id", "ids"]) add(word, target, 0.55, "lemma");
      if (strong.length === 0) continue;
      add(strong.join(" "), target, base, "exact");
      if (parts.length > 1 && !key) add(parts.join(""), target, base * 0.95, "exact");
      // "product category", "customer name": the table's word before the column's.
      if (strong.join(" ") !== tableWord)
        add(`${tableWord} ${strong.join(" ")}`, target, key ? 0.6 : 1.05, "exact");
      // product_name in products is also "name"; order_date is also "date", less strongly.
      if (strong.length > 1) {
        const rest = strong[0] === tableParts.at(-1) ? strong.slice(1) : undefined;
        if (rest?.length) add(rest.join(" "), target, base * 0.9, "lemma");
        add(strong.at(-1) ?? "", target, base * 0.7, "lemma");
        for (const part of strong.slice(0, -1))
          if (!weakParts.has(part)) add(part, target, base * 0.45, "lemma");
      }
      // wt_kg is also "kg" and "weight": the unit it is recorded in says what it measures.
      for (const hint of named.hints) add(hint, target, base * 0.8, "synonym");
      // song_release_year is also "release year": the end of a longer name.
      for (let from = 1; from < strong.length - 1; from++)
        add(strong.slice(from).join(" "), target, base * 0.85, "lemma");
      // employee_count, num_orders: a count column is named by what it counts.
      const counted = countedBy(parts);
      if (column.role === "measure" && counted) add(counted, target, 0.85, "lemma");
      // refund_amount is an amount, but not what "revenue" or "price" mean: its synonyms are weak.
      const otherFlow = strong.slice(0, -1).some((part) => otherFlows.has(part));
      const money = column.role === "measure" && moneyHeads.has(strong.at(-1) ?? "");
      const flow = otherFlow ? 0.5 : 1;
      for (const synonym of synonyms(strong.at(-1) ?? "")) {
        // "revenue", "sales": the money a row brings in, when the column is a plain total or amount.
        const revenue = money && !otherFlow && revenueWords.has(synonym);
        add([...strong.slice(0, -1), synonym].join(" "), target, base * (revenue ? 0.85 : 0.8), "synonym");
        const concept = revenue ? 0.85 : 0.6;
        if (strong.length > 1) add(synonym, target, base * concept * flow, "synonym");
        add(`${tableWord} ${synonym}`, target, base * 0.85 * flow, "synonym");
      }
      // "sales channel", "client name": a synonym of the table's word before the column's.
      if (!key)
        for (const synonym of synonyms(tableParts.at(-1) ?? ""))
          add([...tableParts.slice(0, -1), synonym, ...strong].join(" "), target, 0.9, "synonym");
      // invoice_date on invoices is the invoice's date, not an event with its own verb.
      if (column.role === "time" && !tableNames.has(parts.slice(0, -1).join(" ")))
        for (const [phrase, score] of eventWords(parts)) add(phrase, target, score, "lemma");
      if (strong.length > 1)
        for (const synonym of synonyms(strong.join(""))) add(synonym, target, base * 0.8, "synonym");
      // is_male is also "female", turned around.
      const opposites =
        strong.length === 1 && flagValues(column) ? antonymsOf.get(strong[0] ?? "") : undefined;
      for (const opposite of opposites ?? []) add(opposite, target, base * 0.9, "lemma", true);
      const codes = new Set((column.values ?? []).map((entry) => entry.value.trim().toLowerCase()));
      if ((column.values ?? []).every((entry) => entry.value.trim().length === 1))
        for (const [code, other, words] of CODE_WORDS) {
          const value = column.values?.find((entry) => entry.value.trim().toLowerCase() === code);
          if (!value || !codes.has(other)) continue;
          const valueTarget: Target = { ...target, kind: "value", value: value.value, count: value.count };
          for (const word of words) add(word, valueTarget, 0.95, "synonym");
        }
      for (const value of column.values ?? []) {
        const phrase = normalize(value.value);
        if (!phrase || /^[\d\s.,-]+$/.test(phrase) || phrase.length < 2) continue;
        add(
          phrase,
          { kind: "value", table: table.name, column: column.name, value: value.value, count: value.count },
          0.97,
          "exact",
        );
      }
    }
  }

  const byInitial = new Map<string, string[]>();
  let longest = 1;
  for (const phrase of phrases.keys()) {
    const words = phrase.split(" ").length;
    longest = Math.max(longest, words);
    if (words === 1 && phrase.length >= 4) {
      const list = byInitial.get(phrase[0] ?? "") ?? [];
      list.push(phrase);
      byInitial.set(phrase[0] ?? "", list);
    }
  }
  const lexicon = { phrases, byInitial, longest: Math.min(longest, 6), tables, columns };
  cache.set(schema, lexicon);
  return lexicon;
}

export function sameTarget(a: Target, b: Target): boolean {
  if (a.kind !== b.kind || a.table !== b.table) return false;
  if (a.kind === "table") return true;
  if (b.kind === "table") return false;
  if (a.column !== b.column) return false;
  return a.kind !== "value" || (b.kind === "value" && a.value === b.value);
}

export const columnOf = (lexicon: Lexicon, table: string, column: string) =>
  lexicon.columns.get(columnKey(table, column));
