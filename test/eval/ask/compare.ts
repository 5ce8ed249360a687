/**
 * Execution accuracy: two query results are the same answer when they hold the same values,
 * whatever the SQL, the column names or (for the same number of columns) the column order.
 */
export type Value = string | number | boolean | null;

export interface ResultLike {
  rows: Value[][];
}

export interface Comparison {
  match: boolean;
  /** Why the results differ, in a sentence. */
  reason?: string;
  /** The first gold row without a partner, and the answer's row at that place (or its first unmatched one). */
  expected?: Value[];
  actual?: Value[];
}

const numeric = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const dateLike = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * One cell as a comparable value: decimal strings and big integers become numbers, dates and
 * timestamps ISO text (a timestamp at midnight is its date, `2024-03` is `2024-03-01`).
 */
export function normalizeCell(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Object.is(value, -0) ? 0 : value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value;
  if (value instanceof Date) return normalizeCell(value.toISOString());
  const text = String(value).trim();
  if (numeric.test(text)) return Number(text);
  if (/^\d{4}-\d{2}$/.test(text)) return `${text}-01`;
  const date = dateLike.exec(text);
  if (date) {
    const [, day, hm, seconds = "00", fraction = ""] = date;
    if (!hm) return day!;
    const time = `${hm}:${seconds}${/^\.0*$/.test(fraction) ? "" : fraction.replace(/0+$/, "")}`;
    return time === "00:00:00" ? day! : `${day}T${time}`;
  }
  return text;
}

const RELATIVE_TOLERANCE = 1e-6;

function decimalsOf(value: number): number {
  const text = String(value);
  if (text.includes("e")) return 20;
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * Numbers within a relative 1e-6, or one of them the other rounded for display (an average
 * shown as `41.67` for 41.6666…): rounding to one to four decimals is a presentation choice.
 */
export function numbersEqual(a: number, b: number): boolean {
  if (a === b) return true;
  if (Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b), 1e-12)) return true;
  const [short, long] = decimalsOf(a) <= decimalsOf(b) ? [a, b] : [b, a];
  const places = decimalsOf(short);
  if (places < 1 || places > 4 || decimalsOf(long) <= places) return false;
  const factor = 10 ** places;
  return Math.abs(Math.round(long * factor) / factor - short) < 0.5 / factor / 10;
}

const yearStart = /^(\d{4})-01-01$/;

/** Two normalized cells: equal values, numbers within tolerance, or a year number and that year's first day. */
export function cellsEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return numbersEqual(a, b);
  if (typeof a === "number" && typeof b === "string") return isYearOf(a, b);
  if (typeof b === "number" && typeof a === "string") return isYearOf(b, a);
  return false;
}

function isYearOf(year: number, day: string): boolean {
  return Number.isInteger(year) && year >= 1900 && year <= 2200 && yearStart.exec(day)?.[1] === String(year);
}

export const normalizeRows = (rows: unknown[][]): Value[][] => rows.map((row) => row.map(normalizeCell));

/** A key that equal rows share: their text, boolean and null cells (numbers and years may differ within tolerance). */
function bucketKey(row: Value[]): string {
  return JSON.stringify(
    row.map((cell) =>
      typeof cell === "number" || (typeof cell === "string" && yearStart.test(cell)) ? 0 : cell,
    ),
  );
}

const rowsEqual = (a: Value[], b: Value[]) =>
  a.length === b.length && a.every((cell, index) => cellsEqual(cell, b[index]!));

/** Where two results part: a row position (ordered comparison), the gold row and the answer's row. */
interface Difference {
  index?: number;
  expected?: Value[];
  actual?: Value[];
}

/** The first gold row with no equal answer row, when the row multisets differ. */
function unmatchedRow(expected: Value[][], actual: Value[][]): Difference | undefined {
  const buckets = new Map<string, Value[][]>();
  for (const row of actual) {
    const key = bucketKey(row);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(row);
    else buckets.set(key, [row]);
  }
  // A year bucket in one result and a year number in the other share no key: fall back to a scan.
  const loose = actual.slice();
  for (const row of expected) {
    const bucket = buckets.get(bucketKey(row));
    const index = bucket?.findIndex((candidate) => rowsEqual(row, candidate)) ?? -1;
    if (bucket && index >= 0) {
      const [taken] = bucket.splice(index, 1);
      loose.splice(loose.indexOf(taken!), 1);
      continue;
    }
    const other = loose.findIndex((candidate) => rowsEqual(row, candidate));
    if (other < 0) {
      const leftover = buckets.get(bucketKey(row))?.[0] ?? loose[0];
      return { expected: row, ...(leftover ? { actual: leftover } : {}) };
    }
    const [taken] = loose.splice(other, 1);
    const owner = buckets.get(bucketKey(taken!))!;
    owner.splice(owner.indexOf(taken!), 1);
  }
  return undefined;
}

function columnValues(rows: Value[][], index: number): Value[] {
  return rows.map((row) => row[index]!);
}

/** Whether two columns hold the same values in some order (numbers within tolerance). */
function sameColumn(a: Value[], b: Value[]): boolean {
  const order = (x: Value, y: Value) => {
    const rank = (v: Value) => (v === null ? 0 : typeof v === "boolean" ? 1 : typeof v === "number" ? 2 : 3);
    if (rank(x) !== rank(y)) return rank(x) - rank(y);
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x).localeCompare(String(y));
  };
  const sortedA = a.slice().sort(order);
  const sortedB = b.slice().sort(order);
  if (sortedA.every((cell, index) => cellsEqual(cell, sortedB[index]!))) return true;
  // A year against year-start dates sorts apart: compare as multisets the slow way.
  return (
    unmatchedRow(
      a.map((cell) => [cell]),
      b.map((cell) => [cell]),
    ) === undefined
  );
}

/**
 * The ways to line up the answer's columns with the gold's (an answer column per gold column),
 * the identity first when the widths match: every gold column paired with a distinct answer
 * column holding the same values.
 */
function* columnMappings(expected: Value[][], actual: Value[][], goldWidth: number, answerWidth: number) {
  const identity = Array.from({ length: goldWidth }, (_, index) => index);
  if (goldWidth === answerWidth) yield identity;
  if (goldWidth === answerWidth && goldWidth < 2) return;
  const answerColumns = Array.from({ length: answerWidth }, (_, index) => index);
  const candidates = identity.map((gold) =>
    answerColumns.filter((answer) => sameColumn(columnValues(expected, gold), columnValues(actual, answer))),
  );
  const chosen: number[] = [];
  const used = new Set<number>();
  let tries = 0;
  function* assign(gold: number): Generator<number[]> {
    if (tries++ > 5_000) return;
    if (gold === goldWidth) {
      if (goldWidth !== answerWidth || chosen.some((answer, index) => answer !== index)) yield chosen.slice();
      return;
    }
    for (const answer of candidates[gold]!) {
      if (used.has(answer)) continue;
      used.add(answer);
      chosen.push(answer);
      yield* assign(gold + 1);
      chosen.pop();
      used.delete(answer);
    }
  }
  yield* assign(0);
}

/**
 * Compares an answer's rows with the gold rows as values: the same multiset of rows (the same
 * sequence when `ordered`), column names ignored, column order free when the widths match.
 */
export function compareResults(
  gold: ResultLike,
  answer: ResultLike,
  options: {
    ordered?: boolean;
    /** Also accept an answer with more columns than the gold, when the gold's are among them (a looser, secondary measure). */
    extraColumns?: boolean;
  } = {},
): Comparison {
  const expected = normalizeRows(gold.rows);
  const actual = normalizeRows(answer.rows);
  const goldWidth = expected[0]?.length ?? 0;
  const answerWidth = actual[0]?.length ?? 0;
  if (expected.length !== actual.length) {
    return {
      match: false,
      reason: `expected ${expected.length} row${expected.length === 1 ? "" : "s"}, got ${actual.length}`,
      ...firstDifference(expected, actual, options.ordered),
    };
  }
  if (expected.length === 0) return { match: true };
  if (goldWidth !== answerWidth && !(options.extraColumns && answerWidth > goldWidth)) {
    return {
      match: false,
      reason: `expected ${goldWidth} column${goldWidth === 1 ? "" : "s"}, got ${answerWidth}`,
      ...firstDifference(expected, actual, options.ordered),
    };
  }
  let first: Comparison | undefined;
  for (const mapping of columnMappings(expected, actual, goldWidth, answerWidth)) {
    const reordered = actual.map((row) => mapping.map((index) => row[index]!));
    const difference = options.ordered
      ? firstOrderedDifference(expected, reordered)
      : unmatchedRow(expected, reordered);
    if (!difference) return { match: true };
    first ??= {
      match: false,
      reason:
        difference.index !== undefined
          ? `row ${difference.index + 1} differs`
          : "a gold row has no equal row in the answer",
      ...(difference.expected ? { expected: difference.expected } : {}),
      ...(difference.actual ? { actual: difference.actual } : {}),
    };
  }
  return (
    first ?? {
      match: false,
      reason: `no ${goldWidth} of the answer's ${answerWidth} columns hold the gold's values`,
    }
  );
}

function firstOrderedDifference(expected: Value[][], actual: Value[][]): Difference | undefined {
  const index = expected.findIndex((row, n) => !actual[n] || !rowsEqual(row, actual[n]!));
  if (index < 0) return undefined;
  return { index, expected: expected[index]!, ...(actual[index] ? { actual: actual[index] } : {}) };
}

function firstDifference(expected: Value[][], actual: Value[][], ordered?: boolean) {
  const difference = ordered ? firstOrderedDifference(expected, actual) : unmatchedRow(expected, actual);
  if (difference) {
    return {
      ...(difference.expected ? { expected: difference.expected } : {}),
      ...(difference.actual ? { actual: difference.actual } : {}),
    };
  }
  const extra = unmatchedRow(actual, expected)?.expected;
  return extra ? { actual: extra } : {};
}

/** Whether a gold query's order is part of its answer: asked for, or an ORDER BY … LIMIT (a top N). */
export function isOrdered(question: { gold_sql: string | null; ordered?: boolean }): boolean {
  if (question.ordered !== undefined) return question.ordered;
  return question.gold_sql !== null && /\border\s+by\b[\s\S]*\blimit\s+\d+/i.test(question.gold_sql);
}

const asksBack =
  /ambiguous|clarif|could mean|did you mean|which (one|of)|more than one (reading|meaning)|unclear/i;

/** An answer to a clarification-worthy question is right when it asks back instead of guessing. */
export function asksForClarification(answer: { clarification?: unknown; error?: unknown }): boolean {
  if (answer.clarification !== undefined && answer.clarification !== null) return true;
  return typeof answer.error === "string" && asksBack.test(answer.error);
}
