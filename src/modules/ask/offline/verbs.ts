import { nameParts } from "../schema-index.js";
import type { ColumnRef, Filter, IndexedColumn, SchemaIndex } from "../types.js";
import type { Lexicon } from "./lexicon.js";
import { primaryMeasure, tableColumns } from "./schema-facts.js";

/**
 * Verbs of money and the nouns their records are kept under: "how much has been paid" is the
 * total of payments, "refunded" of refunds. The last nouns are the plain takings a verb falls back to.
 */
const MONEY_VERBS: [RegExp, string[]][] = [
  [/^pa(id|y|ys|ying)$/, ["paid", "payment", "pay"]],
  [/^sp(ent|end|ends|ending)$/, ["spent", "spend", "spending", "expense", "expenditure", "revenue"]],
  [/^bill(ed|s|ing)?$/, ["billed", "billing", "bill", "invoice", "charge", "revenue"]],
  [/^charg(ed|e|es|ing)$/, ["charged", "charge", "billing", "invoice", "fee", "revenue"]],
  [/^earn(ed|s|ing)?$/, ["earned", "earning", "income", "revenue"]],
  [/^refund(ed|s|ing)?$/, ["refunded", "refund"]],
  [/^invoic(ed|e|es|ing)$/, ["invoiced", "invoice", "billing", "revenue"]],
  [/^collect(ed|s|ing)?$/, ["collected", "collection", "payment"]],
  [/^donat(ed|e|es|ing)$/, ["donated", "donation"]],
];

/** Whether a word is one of the money verbs ("paid", "spent", "refunded"). */
export function isMoneyVerb(word: string): boolean {
  return MONEY_VERBS.some(([pattern]) => pattern.test(word.toLowerCase()));
}

const money =
  /(amount|amt|total|price|cost|revenue|sales|value|fee|paid|pay|spend|spent|charge|income|earning|balance|refund|invoice|bill|donation|usd|eur|gbp)/i;

/** The column that holds a table's money, if it has one (not a quantity or a count). */
function moneyColumn(schema: SchemaIndex, table: string): IndexedColumn | undefined {
  const measure = primaryMeasure(schema, table);
  if (measure && money.test(measure.name)) return measure;
  return tableColumns(schema, table).find((column) => column.role === "measure" && money.test(column.name));
}

/**
 * What "how much has been <verb>" totals: a money column named by the verb (`amount_paid`,
 * `refund_amount`), else the money of a table named by it (payments, refunds), else the money of
 * rows whose status is the verb (`status = 'refunded'`), else the takings a verb falls back to.
 * `focus` are the tables the question names, tried first.
 */
export function verbMeasure(
  word: string,
  schema: SchemaIndex,
  lexicon: Lexicon,
  focus: string[],
): { column: ColumnRef; filter?: Filter } | undefined {
  const lower = word.toLowerCase();
  const nouns = MONEY_VERBS.find(([pattern]) => pattern.test(lower))?.[1];
  if (!nouns) return undefined;
  const rank = (table: string) => (focus.includes(table) ? 0 : 1);
  const own = [lower, ...nouns.filter((noun) => noun !== "revenue")];
  for (const noun of own) {
    const columns = schema.tables
      .flatMap((table) => table.columns)
      .filter((column) => column.role === "measure" && nameParts(column.name).parts.includes(noun))
      .sort((a, b) => rank(a.table) - rank(b.table));
    const found = columns[0];
    if (found) return { column: { table: found.table, column: found.name } };
    const tables = (lexicon.phrases.get(noun) ?? [])
      .filter((entry) => entry.target.kind === "table" && entry.match !== "fuzzy" && entry.score >= 0.9)
      .map((entry) => entry.target.table)
      .sort((a, b) => rank(a) - rank(b));
    for (const table of tables) {
      const column = moneyColumn(schema, table);
      if (column) return { column: { table, column: column.name } };
    }
  }
  // "how much was refunded" over orders with a status `refunded`: the money of those rows.
  const values = (lexicon.phrases.get(lower) ?? []).filter(
    (entry) => entry.target.kind === "value" && entry.match === "exact",
  );
  for (const entry of values) {
    if (entry.target.kind !== "value") continue;
    const column = moneyColumn(schema, entry.target.table);
    if (!column) continue;
    return {
      column: { table: entry.target.table, column: column.name },
      filter: {
        column: { table: entry.target.table, column: entry.target.column },
        op: "=",
        values: [entry.target.value],
      },
    };
  }
  if (!nouns.includes("revenue")) return undefined;
  const takings = (lexicon.phrases.get("revenue") ?? [])
    .flatMap((entry) => (entry.target.kind === "column" ? [{ ...entry.target, score: entry.score }] : []))
    .filter((target) => lexicon.columns.get(`${target.table}.${target.column}`)?.role === "measure")
    .sort((a, b) => b.score - a.score || rank(a.table) - rank(b.table))[0];
  return takings ? { column: { table: takings.table, column: takings.column } } : undefined;
}
