import { expect } from "vitest";
import type { QueryResult } from "../../../src/modules/warehouse/duckdb-engine.js";
import { isOrdered, normalizeCell } from "./compare.js";
import type { EvalQuestion } from "./questions.js";

/**
 * What every gold answer must be, in both evaluation sets: complete (not cut at the row cap),
 * not empty, and not a lone row of nulls or zeros (a sum over nothing, a count of nothing),
 * which would mean the gold's filter missed.
 */
export function expectMeaningful(result: QueryResult, question: string): void {
  expect(result.truncated).toBe(false);
  expect(result.rows.length, question).toBeGreaterThan(0);
  if (result.rows.length === 1) {
    for (const cell of result.rows[0] ?? [])
      expect(cell === null || cell === 0, `${question}: ${cell}`).toBe(false);
  }
}

/**
 * A gold query is sound when its answer is meaningful, a grouping has more than one group, and
 * an ordered answer has no ties in its ordering (they would make the gold order, and which rows
 * make a top-N cut, arbitrary). `label` names the question in failures.
 */
export async function expectSoundGold(
  source: { query(sql: string): Promise<QueryResult> },
  q: EvalQuestion,
  label: string,
): Promise<void> {
  const sql = q.gold_sql!;
  const result = await source.query(sql);
  expectMeaningful(result, label);
  if (q.category === "grouping" || q.category === "having") expect(result.rows.length).toBeGreaterThan(1);
  if (!isOrdered(q)) return;
  const probe = tieProbe(sql);
  expect(probe, `${q.id}: an ordered gold needs an ORDER BY`).toBeDefined();
  const wider = await source.query(probe!.sql);
  const keys = wider.rows.map((row) => JSON.stringify(row.slice(-probe!.keys).map(normalizeCell)));
  for (let n = 1; n < keys.length; n++)
    expect(keys[n], `${q.id}: tie between rows ${n} and ${n + 1}`).not.toBe(keys[n - 1]);
}

/** Where the top-level (outside parentheses and quotes) keywords of a query are. */
function topLevel(sql: string): { at: number; word: string }[] {
  const found: { at: number; word: string }[] = [];
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i]!;
    if (char === "'" || char === '"') {
      const end = sql.indexOf(char, i + 1);
      i = end < 0 ? sql.length : end;
    } else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (depth === 0 && !/\w/.test(sql[i - 1] ?? " ")) {
      const word = /^(select|from|order\s+by|limit)\b/i.exec(sql.slice(i));
      if (word) found.push({ at: i, word: word[1]!.toLowerCase().replace(/\s+/, " ") });
    }
  }
  return found;
}

/** Splits on commas outside parentheses and quotes. */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      i = end < 0 ? text.length : end;
    } else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (char === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/**
 * The gold query with its ORDER BY keys added as trailing columns (and one row past its LIMIT),
 * so that ties in the ordering can be seen whatever the gold projects. Aliases and positions
 * are probed as their expressions; keywords inside subqueries and CTEs are not mistaken for
 * the outer query's.
 */
export function tieProbe(sql: string): { sql: string; keys: number } | undefined {
  const marks = topLevel(sql);
  const order = marks.findLast((mark) => mark.word === "order by");
  if (!order) return undefined;
  const select = marks.findLast((mark) => mark.word === "select" && mark.at < order.at);
  const from = marks.find((mark) => mark.word === "from" && select !== undefined && mark.at > select.at);
  const limit = marks.find((mark) => mark.word === "limit" && mark.at > order.at);
  if (!select || !from) return undefined;
  const items = splitList(sql.slice(select.at + "select".length, from.at).replace(/^\s*distinct\s/i, ""));
  const expressionOf = (key: string): string => {
    if (/^\d+$/.test(key)) return items[Number(key) - 1]!.replace(/\s+as\s+"?\w+"?$/i, "");
    if (!/^\w+$/.test(key)) return key;
    const aliased = items.find((item) => new RegExp(`\\s+as\\s+"?${key}"?$`, "i").test(item));
    return aliased ? aliased.replace(/\s+as\s+"?\w+"?$/i, "") : key;
  };
  const keys = splitList(sql.slice(order.at + "order by".length, limit?.at ?? sql.length)).map((key) =>
    expressionOf(key.replace(/\s+(asc|desc)(\s+nulls\s+(first|last))?$/i, "").trim()),
  );
  const count = limit ? Number(/limit\s+(\d+)/i.exec(sql.slice(limit.at))![1]) : undefined;
  const extra = keys.map((key, n) => `${key} as tie_key_${n}`).join(", ");
  return {
    sql: `${sql.slice(0, from.at).trimEnd()}, ${extra} ${sql.slice(from.at, limit?.at ?? sql.length).trimEnd()}${count === undefined ? "" : ` limit ${count + 1}`}`,
    keys: keys.length,
  };
}
