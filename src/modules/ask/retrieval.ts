import pluralize from "pluralize";
import type { IndexedColumn, IndexedTable, SchemaIndex, SchemaJoin } from "./types.js";

/** Words too common in questions to say anything about which table is meant. */
const STOP = new Set(
  (
    "a an the of in on at to for by per and or with without from is are was were be been show me list give " +
    "what which who whom how many much number count total sum average avg mean all each every any " +
    "top bottom most least than more less over under between during since last this that these those " +
    "there their its it do does did have has had get find tell please i we our my your by"
  ).split(" "),
);

/** The question's content words, lower-cased and singular. */
export function questionWords(question: string): string[] {
  const words = question
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !STOP.has(word));
  return [...new Set(words.flatMap((word) => [word, pluralize.singular(word)]))];
}

/** Words naming a schema element: the index's words, plus its name split on `_` and case changes. */
function namesOf(name: string, words: readonly string[]): Set<string> {
  const split = name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return new Set([
    ...words.map((word) => word.toLowerCase()),
    ...split,
    ...split.map((w) => pluralize.singular(w)),
  ]);
}

export interface RetrievalOptions {
  /** Tables kept besides those joined to them (default 6). */
  maxTables?: number;
  /** Columns kept per table (default 25); keys and the best-matching columns come first. */
  maxColumns?: number;
}

export interface RetrievedSchema extends SchemaIndex {
  /** Each kept table's score, for explaining and testing the choice. */
  scores: Map<string, number>;
}

/** How strongly one column matches the question: its name, and its values named in the question. */
function columnScore(column: IndexedColumn, words: Set<string>, lowered: string): number {
  let score = 0;
  for (const word of namesOf(column.name, column.words)) if (words.has(word)) score += 2;
  for (const { value } of column.values ?? []) {
    const text = value.toLowerCase();
    if (text.length > 2 && lowered.includes(text)) {
      score += 3;
      break;
    }
  }
  return score;
}

/**
 * The part of a schema a question needs, for a prompt that stays small on large schemas: tables
 * scored by the overlap of the question's words with their names, their columns' names and their
 * values; the top `maxTables`, the tables that join them to each other, and the joins among them.
 * A small schema is kept whole.
 */
export function retrieveSchema(
  question: string,
  schema: SchemaIndex,
  options: RetrievalOptions = {},
): RetrievedSchema {
  const maxTables = options.maxTables ?? 6;
  const maxColumns = options.maxColumns ?? 25;
  const words = new Set(questionWords(question));
  const lowered = question.toLowerCase();
  const scored = schema.tables.map((table) => {
    let score = 0;
    for (const word of namesOf(table.name, table.words)) if (words.has(word)) score += 5;
    const columns = table.columns.map((column) => ({ column, score: columnScore(column, words, lowered) }));
    score += columns.reduce((sum, entry) => sum + entry.score, 0);
    return { table, score, columns };
  });
  const ranked = scored
    .filter((entry) => entry.score > 0 || schema.tables.length <= maxTables)
    .sort((a, b) => b.score - a.score || a.table.name.localeCompare(b.table.name));
  const chosen = new Set(ranked.slice(0, maxTables).map((entry) => entry.table.name));
  // A table that joins two chosen ones (a bridge) or a dimension of a chosen fact comes along.
  for (const join of schema.joins) {
    if (chosen.size >= maxTables * 2) break;
    if (chosen.has(join.fromTable) && !chosen.has(join.toTable)) chosen.add(join.toTable);
  }
  const keep = scored.filter((entry) => chosen.has(entry.table.name));
  const tables: IndexedTable[] = keep.map(({ table, columns }) => {
    if (table.columns.length <= maxColumns) return table;
    const joined = new Set(
      schema.joins.flatMap((join) => [
        join.fromTable === table.name ? join.fromColumn : "",
        join.toTable === table.name ? join.toColumn : "",
      ]),
    );
    const ordered = [...columns].sort(
      (a, b) =>
        Number(joined.has(b.column.name) || b.column.role === "key") -
          Number(joined.has(a.column.name) || a.column.role === "key") || b.score - a.score,
    );
    const kept = new Set(ordered.slice(0, maxColumns).map((entry) => entry.column.name));
    return { ...table, columns: table.columns.filter((column) => kept.has(column.name)) };
  });
  const joins: SchemaJoin[] = schema.joins.filter(
    (join) => chosen.has(join.fromTable) && chosen.has(join.toTable),
  );
  return {
    dialect: schema.dialect,
    tables,
    joins,
    ...(schema.verified ? { verified: schema.verified } : {}),
    scores: new Map(keep.map((entry) => [entry.table.name, entry.score])),
  };
}

/** The verified pairs closest to the question, by shared words: the prompt's examples. */
export function closestExamples(question: string, verified: { question: string; sql: string }[], limit = 5) {
  const words = new Set(questionWords(question));
  return verified
    .map((pair) => ({ pair, score: questionWords(pair.question).filter((word) => words.has(word)).length }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((entry) => entry.pair);
}
