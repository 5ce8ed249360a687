import { type DuckEngine, quoteIdent } from "../warehouse/duckdb-engine.js";
import type { SourceTable } from "./sources.tables.js";

/** `fromTable.fromColumn` refers to `toTable.toColumn`. */
export interface Pair {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
}

export interface Detected extends Pair {
  /** Share of the referring column's distinct values found in the referred column. */
  confidence: number;
}

export const detectionLimits = {
  /** A pair holds when at least this share of the referring column's distinct values are found. */
  minOverlap: 0.9,
  /** Candidate pairs verified per run; more are left for a person to add. */
  maxCandidates: 300,
  timeoutMs: 5 * 60_000,
};

type Table = Pick<SourceTable, "name" | "rows" | "columns">;
type Column = SourceTable["columns"][number];

const keyTypes = new Set(["integer", "decimal", "text", "other"]);

/** `customer_id`, `customerId`, `customerid` → `customer`; anything else → undefined. */
export function stemOf(column: string): string | undefined {
  const match = /^(.+?)_?id$/.exec(column.toLowerCase());
  const stem = match?.[1]?.replace(/_+$/, "");
  return stem && stem.length > 1 ? stem : undefined;
}

/** A name without case or underscores: `StoreID`, `store_id` and `storeId` are one name. */
const squash = (name: string) => name.toLowerCase().replaceAll("_", "");

/** Whether `short` abbreviates `long`: its first letter, then its letters in order (`dept` → departments). */
function abbreviates(short: string, long: string): boolean {
  if (short.length < 3 || short[0] !== long[0]) return false;
  let at = 0;
  for (const letter of long) if (letter === short[at]) at++;
  return at === short.length;
}

/**
 * Whether a table is named after a key's stem: `customer` → customer, customers; `category` →
 * categories; `box` → boxes; an abbreviation (`dept` → departments, `appt` → appointments); a
 * role ending in the table's word (`head_doctor` → doctors).
 */
export function namedAfter(table: string, stem: string): boolean {
  const name = squash(table);
  // Only a one-word table is abbreviated: `customer` does not name customer_notes.
  const oneWord = !/[_\s]|[a-z][A-Z]/.test(table);
  const stems = [squash(stem)];
  const last = stem.split("_").at(-1);
  if (last && last !== stem && last.length > 2) stems.push(last);
  return stems.some((candidate) => {
    const forms = [candidate, `${candidate}s`, `${candidate}es`];
    if (candidate.endsWith("y")) forms.push(`${candidate.slice(0, -1)}ies`);
    return forms.includes(name) || (oneWord && abbreviates(candidate, name));
  });
}

const comparable = (a: Column, b: Column) =>
  a.type === b.type && keyTypes.has(a.type) && (a.type !== "other" || a.sourceType === b.sourceType);

const key = (pair: Pair) => [pair.fromTable, pair.fromColumn, pair.toTable, pair.toColumn].join("\u0000");

/**
 * Pairs worth checking, by name: `X_id` (or `Xid`) → `id` or `X_id` of a table named after X,
 * and columns of the same name in two tables (except a bare `id`), in both directions: the
 * value check decides which side, if any, is the unique one.
 */
export function candidatePairs(tables: Table[]): Pair[] {
  const pairs = new Map<string, Pair>();
  const add = (from: Table, fromColumn: Column, to: Table, toColumn: Column) => {
    if (from.name === to.name || !comparable(fromColumn, toColumn)) return;
    const pair = {
      fromTable: from.name,
      fromColumn: fromColumn.name,
      toTable: to.name,
      toColumn: toColumn.name,
    };
    pairs.set(key(pair), pair);
  };
  for (const from of tables) {
    for (const column of from.columns) {
      const stem = stemOf(column.name);
      for (const to of tables) {
        if (stem && namedAfter(to.name, stem)) {
          for (const target of to.columns) {
            const name = squash(target.name);
            if (name === "id" || name === squash(column.name)) add(from, column, to, target);
          }
        }
        if (column.name.toLowerCase() === "id") continue;
        const same = to.columns.find((target) => squash(target.name) === squash(column.name));
        if (same) add(from, column, to, same);
      }
    }
  }
  return [...pairs.values()];
}

/**
 * Checks candidate pairs against the data: the referred column must be unique and hold at least
 * `minOverlap` of the referring column's distinct values. Of two columns that refer to each other
 * (both unique), the one in the table named after the key is the referred one, else the smaller table.
 */
export async function verifyPairs(
  engine: Pick<DuckEngine, "query">,
  tables: Table[],
  pairs: Pair[],
): Promise<Detected[]> {
  const options = { maxRows: 1, timeoutMs: detectionLimits.timeoutMs };
  const unique = new Map<string, boolean>();
  async function isUnique(table: string, column: string): Promise<boolean> {
    const id = `${table}\u0000${column}`;
    let known = unique.get(id);
    if (known === undefined) {
      const c = quoteIdent(column);
      const result = await engine.query(
        `select count(${c}), count(distinct ${c}) from ${quoteIdent(table)}`,
        options,
      );
      const [present, distinct] = (result.rows[0] ?? []).map(Number);
      known = present !== undefined && present > 0 && present === distinct;
      unique.set(id, known);
    }
    return known;
  }

  const found = new Map<string, Detected>();
  for (const pair of pairs) {
    if (!(await isUnique(pair.toTable, pair.toColumn))) continue;
    const from = quoteIdent(pair.fromColumn);
    const to = quoteIdent(pair.toColumn);
    const result = await engine.query(
      `with referring as (select distinct ${from} as v from ${quoteIdent(pair.fromTable)} where ${from} is not null) ` +
        `select count(*), count(*) filter (where v in (select ${to} from ${quoteIdent(pair.toTable)})) from referring`,
      options,
    );
    const [referring = 0, matched = 0] = (result.rows[0] ?? []).map(Number);
    const confidence = referring > 0 ? matched / referring : 0;
    if (confidence >= detectionLimits.minOverlap) found.set(key(pair), { ...pair, confidence });
  }

  const rows = new Map(tables.map((table) => [table.name, table.rows]));
  for (const pair of [...found.values()]) {
    if (!found.has(key(pair))) continue;
    const reverse = key({
      fromTable: pair.toTable,
      fromColumn: pair.toColumn,
      toTable: pair.fromTable,
      toColumn: pair.fromColumn,
    });
    const other = found.get(reverse);
    if (!other) continue;
    const stem = stemOf(pair.fromColumn) ?? pair.fromColumn.toLowerCase();
    const keepThis = namedAfter(pair.toTable, stem)
      ? true
      : namedAfter(pair.fromTable, stem)
        ? false
        : (rows.get(pair.toTable) ?? 0) < (rows.get(pair.fromTable) ?? 0) ||
          ((rows.get(pair.toTable) ?? 0) === (rows.get(pair.fromTable) ?? 0) &&
            pair.toTable < pair.fromTable);
    found.delete(keepThis ? reverse : key(pair));
  }
  return [...found.values()];
}
