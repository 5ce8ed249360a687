import pluralize from "pluralize";
import { candidatePairs, verifyPairs } from "../sources/relationships.js";
import { type ColumnType, columnTypeOf, type DuckEngine, quoteIdent } from "../warehouse/duckdb-engine.js";
import { addDerivedColumns } from "./derived.js";
import type {
  AskDialect,
  ColumnRole,
  IndexedColumn,
  IndexedTable,
  SchemaIndex,
  SchemaJoin,
} from "./types.js";

/** Most distinct values a text column may have and still get a value dictionary. */
export const MAX_DICTIONARY_VALUES = 10_000;

/**
 * Business words that name the same thing. Each group is symmetric: a column or table named by
 * one word of a group is also found by the others.
 */
export const THESAURUS: string[][] = [
  ["revenue", "sales", "sale", "income", "turnover", "amount", "earnings", "takings", "total"],
  ["customer", "client", "account", "buyer", "purchaser"],
  ["employee", "staff", "technician", "agent", "worker", "personnel", "rep", "person", "headcount"],
  ["product", "item", "sku", "article", "good", "merchandise"],
  ["price", "cost", "amount", "value", "charge", "fee"],
  ["total", "value", "amount"],
  ["item", "line", "entry", "detail"],
  ["order", "purchase", "transaction", "sale"],
  ["quantity", "qty", "units", "unit", "volume"],
  ["country", "nation"],
  ["region", "area", "territory", "zone"],
  ["city", "town"],
  ["category", "type", "kind", "class", "group", "segment"],
  ["segment", "tier", "plan", "category"],
  ["channel", "source", "medium"],
  ["status", "state", "stage"],
  ["date", "day", "time", "when", "timestamp"],
  ["name", "title", "label"],
  ["ticket", "case", "issue", "incident", "request"],
  ["supplier", "vendor", "provider"],
  ["department", "team", "division", "unit"],
  ["salary", "pay", "paid", "wage", "compensation", "earn", "earning"],
  ["shipment", "delivery", "consignment"],
  ["discount", "rebate", "markdown"],
  ["profit", "margin"],
  ["duration", "length", "time"],
  ["distance", "length", "mileage"],
  ["weight", "mass", "heavy"],
  ["score", "rating", "grade"],
  ["company", "organization", "organisation", "firm", "business"],
  ["manager", "supervisor", "boss", "lead"],
  ["invoice", "bill"],
  ["payment", "paid"],
];

/** Verbs of events, for the columns that date them (termination_date, hired_on, requested_at). */
export const EVENT_THESAURUS: string[][] = [
  ["termination", "terminate", "leaver", "left", "quit", "exit", "departure", "attrition"],
  ["hire", "join", "joiner", "recruit", "onboard"],
  ["request", "submit", "submission", "apply", "application"],
  ["complete", "completion", "finish", "finished", "done"],
];

const eventSynonymsOf = new Map<string, Set<string>>();
for (const group of EVENT_THESAURUS)
  for (const word of group) eventSynonymsOf.set(word, new Set(group.filter((other) => other !== word)));

/** Other words for an event verb ("left" for termination, "joined" for hire). */
export function eventSynonyms(word: string): string[] {
  return [...(eventSynonymsOf.get(word) ?? [])];
}

const synonymsOf = new Map<string, Set<string>>();
for (const group of THESAURUS) {
  for (const word of group) {
    const set = synonymsOf.get(word) ?? new Set<string>();
    for (const other of group) if (other !== word) set.add(other);
    synonymsOf.set(word, set);
  }
}

/** Synonyms of a lemma from the built-in thesaurus. */
export function synonyms(word: string): string[] {
  return [...(synonymsOf.get(word) ?? [])];
}

/** `orderDate`, `order_date`, `Order Date2` → `["order", "date", "2"]`. */
export function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])([0-9])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Short forms column and table names use for common words (`amt_usd`, `wt_kg`, `shipDt`, `acct_id`):
 * each part of a split name is read as its full word, so questions in plain words reach it.
 */
const ABBREVIATIONS: Record<string, string> = {
  amt: "amount",
  qty: "quantity",
  wt: "weight",
  wgt: "weight",
  len: "length",
  dist: "distance",
  dt: "date",
  evt: "event",
  inv: "invoice",
  acct: "account",
  cat: "category",
  nbr: "number",
  pct: "percent",
  perc: "percent",
  desc: "description",
  descr: "description",
  wh: "warehouse",
  whse: "warehouse",
  dest: "destination",
  orig: "origin",
  cust: "customer",
  emp: "employee",
  dept: "department",
  mgr: "manager",
  addr: "address",
  yr: "year",
  hr: "hour",
  hrs: "hour",
  mins: "minute",
  secs: "second",
  cnt: "count",
  tot: "total",
  bal: "balance",
  rev: "revenue",
  prod: "product",
  svc: "service",
  txn: "transaction",
  trx: "transaction",
  pmt: "payment",
  pymt: "payment",
  ord: "order",
  loc: "location",
  ref: "reference",
  prc: "price",
  cap: "capacity",
  temp: "temperature",
};

/** Units a column's name may end with, and what they say the column measures. */
const UNITS: Record<string, string> = {
  kg: "weight",
  kgs: "weight",
  lb: "weight",
  lbs: "weight",
  ton: "weight",
  tons: "weight",
  tonnes: "weight",
  cm: "length",
  mm: "length",
  km: "distance",
  mi: "distance",
  miles: "distance",
  usd: "amount",
  eur: "amount",
  gbp: "amount",
  chf: "amount",
  jpy: "amount",
  cad: "amount",
  aud: "amount",
  ms: "duration",
  sec: "duration",
  min: "duration",
  pct: "percent",
};

/**
 * The words a table or column name is made of, as questions say them: split, abbreviations
 * written out (`amt` → amount, `wt` → weight), a trailing unit dropped from the name (`wt_kg` →
 * weight) and returned as hints with what it measures (`kg`, `weight`).
 */
export function nameParts(name: string): { parts: string[]; hints: string[] } {
  const split = splitName(name);
  const hints: string[] = [];
  const last = split.at(-1) ?? "";
  const unit = UNITS[last];
  let parts = split;
  if (unit && split.length > 1) {
    parts = split.slice(0, -1);
    hints.push(last);
  } else if (unit) hints.push(unit);
  parts = parts.map((part) => ABBREVIATIONS[part] ?? part).map(lemma);
  if (unit && split.length > 1 && !parts.includes(unit)) hints.push(unit);
  return { parts, hints };
}

const invariant = new Set(["sales", "series", "news", "status", "analysis", "data", "species", "gas", "bus"]);

/** The dictionary form of a word used on both sides of matching: plural → singular, lower case. */
export function lemma(word: string): string {
  const lower = word.toLowerCase();
  if (lower.length <= 3 || invariant.has(lower) || /\d/.test(lower))
    return lower === "sales" ? "sale" : lower;
  return pluralize.singular(lower);
}

/** Words that name a table or column: its split name in lemma form, the whole phrase, and synonyms. */
export function wordsOf(name: string, options: { key?: boolean } = {}): string[] {
  const named = nameParts(name);
  let parts = named.parts;
  if (options.key && parts.length > 1 && ["id", "key", "code", "no", "number"].includes(parts.at(-1) ?? "")) {
    parts = parts.slice(0, -1);
  }
  const words = new Set<string>();
  words.add(parts.join(" "));
  if (parts.length > 1) words.add(parts.join(""));
  for (const part of parts) words.add(part);
  const head = parts.at(-1);
  if (head) for (const synonym of synonyms(head)) words.add([...parts.slice(0, -1), synonym].join(" "));
  if (parts.length === 1 && parts[0]) for (const synonym of synonyms(parts[0])) words.add(synonym);
  for (const hint of named.hints) words.add(hint);
  return [...words].filter(Boolean);
}

export interface IndexInputTable {
  name: string;
  columns: { name: string; type: string }[];
  rows: number;
}

const columnTypes = new Set<ColumnType>([
  "integer",
  "decimal",
  "boolean",
  "date",
  "timestamp",
  "text",
  "other",
]);
const typeOf = (type: string): ColumnType =>
  columnTypes.has(type as ColumnType) ? (type as ColumnType) : columnTypeOf(type);

const isKeyName = (name: string) =>
  /(^id$|^Id$|^ID$|_id$|_ID$|_Id$|[a-z0-9]Id$|[a-z0-9]ID$|^id_|_key$|uuid$)/.test(name);

interface ColumnStats {
  present: number;
  distinct: number;
  avgLength?: number;
  max?: number;
}

async function tableStats(engine: Pick<DuckEngine, "query">, table: IndexInputTable): Promise<ColumnStats[]> {
  if (table.columns.length === 0) return [];
  const parts = table.columns.flatMap((column) => {
    const c = quoteIdent(column.name);
    const type = typeOf(column.type);
    const third =
      type === "text" ? `avg(length(${c}))` : type === "integer" || type === "decimal" ? `max(${c})` : "null";
    return [`count(${c})`, `count(distinct ${c})`, third];
  });
  const result = await engine.query(`select ${parts.join(", ")} from ${quoteIdent(table.name)}`, {
    maxRows: 1,
    timeoutMs: 60_000,
  });
  const row = result.rows[0] ?? [];
  return table.columns.map((column, index) => {
    const third = row[index * 3 + 2];
    const known = third !== null && third !== undefined;
    const text = typeOf(column.type) === "text";
    return {
      present: Number(row[index * 3] ?? 0),
      distinct: Number(row[index * 3 + 1] ?? 0),
      ...(known && text ? { avgLength: Number(third) } : {}),
      ...(known && !text ? { max: Number(third) } : {}),
    };
  });
}

function roleOf(
  column: { name: string; type: ColumnType },
  stats: ColumnStats,
  rows: number,
  joined: boolean,
): ColumnRole {
  const { type, name } = column;
  if (type === "date" || type === "timestamp") return "time";
  if (joined || isKeyName(name)) return "key";
  if (type === "integer" || type === "decimal") {
    // A unique integer counting up from one is a row number, not something to add up.
    if (
      type === "integer" &&
      stats.distinct === rows &&
      rows > 20 &&
      /(^|_)(no|num|number|code)$/i.test(name)
    )
      return "key";
    return "measure";
  }
  if (type === "boolean") return "dimension";
  if (type === "text") {
    if (stats.distinct > MAX_DICTIONARY_VALUES || (stats.avgLength ?? 0) > 80) return "text";
    return "dimension";
  }
  return "text";
}

/**
 * Indexes a schema once per data version: words, roles, distinct counts, uniqueness and the
 * value dictionary of every text column small enough (one aggregate query per column).
 */
export async function buildSchemaIndex(input: {
  engine: Pick<DuckEngine, "query">;
  tables: IndexInputTable[];
  joins: SchemaJoin[];
  dialect: AskDialect;
  verified?: { question: string; sql: string }[];
}): Promise<SchemaIndex> {
  const { engine, joins } = input;
  const joinedColumns = new Set(
    joins.flatMap((join) => [`${join.fromTable}.${join.fromColumn}`, `${join.toTable}.${join.toColumn}`]),
  );
  const tables: IndexedTable[] = [];
  for (const table of input.tables) {
    const stats = await tableStats(engine, table);
    const columns: IndexedColumn[] = [];
    for (const [index, raw] of table.columns.entries()) {
      const type = typeOf(raw.type);
      const stat = stats[index] ?? { present: 0, distinct: 0 };
      const joined = joinedColumns.has(`${table.name}.${raw.name}`);
      const role = roleOf({ name: raw.name, type }, stat, table.rows, joined);
      const column: IndexedColumn = {
        table: table.name,
        name: raw.name,
        type,
        role,
        words: wordsOf(raw.name, { key: role === "key" }),
        distinct: stat.distinct,
        nulls: table.rows - stat.present,
        unique: stat.present > 0 && stat.present === stat.distinct,
        ...(stat.max !== undefined && Number.isFinite(stat.max) ? { max: stat.max } : {}),
      };
      if (type === "text" && stat.distinct > 0 && stat.distinct <= MAX_DICTIONARY_VALUES && role !== "key") {
        const c = quoteIdent(raw.name);
        const result = await engine.query(
          `select ${c}, count(*) from ${quoteIdent(table.name)} where ${c} is not null group by ${c} order by count(*) desc, ${c} limit ${MAX_DICTIONARY_VALUES}`,
          { maxRows: MAX_DICTIONARY_VALUES, timeoutMs: 60_000 },
        );
        column.values = result.rows.map(([value, count]) => ({ value: String(value), count: Number(count) }));
      }
      columns.push(column);
    }
    tables.push({ name: table.name, rows: table.rows, words: wordsOf(table.name), columns });
  }
  addDerivedColumns(tables, joins);
  return { dialect: input.dialect, tables, joins, ...(input.verified ? { verified: input.verified } : {}) };
}

/**
 * Relationships between the tables of a local directory, found the way a source's are
 * (sources/relationships.ts): candidate pairs by name, kept when the values agree.
 */
export async function detectJoins(
  engine: Pick<DuckEngine, "query">,
  tables: { name: string; rows: number; columns: { name: string; type: string }[] }[],
): Promise<SchemaJoin[]> {
  const shaped = tables.map((table) => ({
    name: table.name,
    rows: table.rows,
    columns: table.columns.map((column) => ({
      name: column.name,
      type: typeOf(column.type),
      sourceType: column.type,
    })),
  }));
  const detected = await verifyPairs(engine, shaped, candidatePairs(shaped));
  return detected.map(({ fromTable, fromColumn, toTable, toColumn }) => ({
    fromTable,
    fromColumn,
    toTable,
    toColumn,
  }));
}
