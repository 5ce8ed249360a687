import type { JsonValue } from "../../warehouse/duckdb-engine.js";
import { splitName } from "../schema-index.js";
import type { IndexedColumn, SchemaIndex } from "../types.js";

const measurePreference = /(amount|revenue|sales|total|price|value|cost|spend|income|salary|profit)/;
const labelNames = /^(name|title|label|full_?name|display_?name|description)$/;

/** `product_name`, `StoreName`, `songTitle`: a column that names its row. */
const namedLike = (name: string) => ["name", "title"].includes(splitName(name).at(-1) ?? "");

export function tableColumns(schema: SchemaIndex, table: string): IndexedColumn[] {
  return schema.tables.find((candidate) => candidate.name === table)?.columns ?? [];
}

/** The column that names a table's rows in answers: `name`, `<table>_name`, `title`…, else its key. */
export function labelColumn(schema: SchemaIndex, table: string): IndexedColumn | undefined {
  const columns = tableColumns(schema, table);
  return (
    columns.find((column) => labelNames.test(column.name.toLowerCase())) ??
    columns.find((column) => column.type === "text" && namedLike(column.name)) ??
    columns.find((column) => column.type === "text" && column.role !== "key" && column.unique) ??
    keyColumn(schema, table) ??
    columns.find((column) => column.role === "dimension") ??
    columns[0]
  );
}

const firstNames = /^(first_?name|firstname|given_?name|forename|fname)$/i;
const lastNames = /^(last_?name|lastname|surname|family_?name|lname)$/i;

/**
 * The columns that name a table's rows, as a person reads them: a name or title column, or a
 * person's first and last name together. Empty when the rows have no name (then a key or every
 * column says more).
 */
export function nameColumns(schema: SchemaIndex, table: string): IndexedColumn[] {
  const columns = tableColumns(schema, table);
  const first = columns.find((column) => firstNames.test(column.name));
  const last = columns.find((column) => lastNames.test(column.name));
  if (first && last && !columns.some((column) => labelNames.test(column.name.toLowerCase())))
    return [first, last];
  const named =
    columns.find((column) => labelNames.test(column.name.toLowerCase())) ??
    columns.find((column) => column.type === "text" && namedLike(column.name));
  return named ? [named] : [];
}

/** The column other tables refer to, or a unique id column. */
export function keyColumn(schema: SchemaIndex, table: string): IndexedColumn | undefined {
  const columns = tableColumns(schema, table);
  const referred = schema.joins.find((join) => join.toTable === table)?.toColumn;
  return (
    columns.find((column) => column.name === referred) ??
    columns.find((column) => column.role === "key" && column.unique) ??
    columns.find((column) => column.unique && column.type !== "decimal")
  );
}

/** Amounts that are not the row's own size: a refund, the shipping, a tax, a discount. */
const sideFlows = /(refund|return|shipping|freight|tax|vat|discount|commission|fee|tip|deposit)/;
const sizeNames = /(total|amount|revenue|sales|value|income)/;

/**
 * What "how big" means for a table's rows: its total or amount, then a price, a cost…, else its
 * first measure; never a side flow (shipping_cost) while the row's own amount exists.
 */
export function primaryMeasure(schema: SchemaIndex, table: string): IndexedColumn | undefined {
  const measures = tableColumns(schema, table).filter((column) => column.role === "measure");
  const rank = (column: IndexedColumn) => {
    const name = column.name.toLowerCase();
    const side = sideFlows.test(name) ? 4 : 0;
    const named = sizeNames.test(name) ? 0 : measurePreference.test(name) ? 1 : 2;
    return side + named + (column.type === "decimal" ? 0 : 0.5);
  };
  return [...measures].sort((a, b) => rank(a) - rank(b))[0];
}

const timePreference = /(order|created|date|placed|opened|start|signup|sign_up|joined|hired|at$)/;

/** The time column a table's dates mean by default: the one with fewest gaps, named like a date of record. */
export function timeColumn(schema: SchemaIndex, table: string): IndexedColumn | undefined {
  const times = tableColumns(schema, table).filter((column) => column.role === "time");
  return [...times].sort(
    (a, b) =>
      a.nulls - b.nulls ||
      Number(timePreference.test(b.name.toLowerCase())) - Number(timePreference.test(a.name.toLowerCase())),
  )[0];
}

/** Columns that mean a price, a time or a duration, for "most expensive", "latest", "longest". */
export function aboutColumn(
  schema: SchemaIndex,
  table: string,
  about: "price" | "time" | "duration" | "size" | "age" | "sales",
): IndexedColumn | undefined {
  const columns = tableColumns(schema, table);
  if (about === "time") return timeColumn(schema, table);
  if (about === "age")
    return columns.find((column) => column.role === "measure" && /(^|_)age($|_)|Age$/.test(column.name));
  if (about === "price")
    return (
      columns.find(
        (column) => column.role === "measure" && /(price|cost|amount|fee|rate)/i.test(column.name),
      ) ?? primaryMeasure(schema, table)
    );
  // "best-selling": what the rows sold, counted in units or money; else a ranking by the rows that record sales.
  if (about === "sales")
    return columns.find(
      (column) => column.role === "measure" && /(sales|sold|units|revenue|quantity|qty)/i.test(column.name),
    );
  if (about === "duration")
    return columns.find(
      (column) =>
        column.role === "measure" &&
        /(duration|length|minutes|hours|days|time|distance|dist|len|km|mi$|miles)/i.test(column.name),
    );
  return primaryMeasure(schema, table);
}

const yesNoPairs: [string, string][] = [
  ["y", "n"],
  ["yes", "no"],
  ["t", "f"],
  ["true", "false"],
  ["1", "0"],
];

/**
 * The values a yes/no column is true and false with: a boolean, a text column coded Y/N, Yes/No,
 * T/F or 1/0, or an `is_…`/`has_…` integer of zeros and ones.
 */
export function flagValues(column: IndexedColumn): { yes: JsonValue; no: JsonValue } | undefined {
  if (column.type === "boolean") return { yes: true, no: false };
  if (column.type === "integer")
    return /^(is|has)([_A-Z]|$)|_flag$/i.test(column.name) && column.distinct <= 2 && (column.max ?? 2) <= 1
      ? { yes: 1, no: 0 }
      : undefined;
  const values = column.values?.map((entry) => entry.value) ?? [];
  if (column.type !== "text" || values.length === 0 || values.length > 2) return undefined;
  for (const [yes, no] of yesNoPairs) {
    const yesValue = values.find((value) => value.trim().toLowerCase() === yes);
    const noValue = values.find((value) => value.trim().toLowerCase() === no);
    if (!yesValue && !noValue) continue;
    if (values.some((value) => value !== yesValue && value !== noValue)) continue;
    const upper = (values[0] ?? "") === (values[0] ?? "").toUpperCase();
    const spell = (word: string) => (upper ? word.toUpperCase() : word);
    return { yes: yesValue ?? spell(yes), no: noValue ?? spell(no) };
  }
  return undefined;
}
