import { nameParts } from "../schema-index.js";
import type { SchemaIndex } from "../types.js";
import type { Entry, Lexicon } from "./lexicon.js";
import type { Reading } from "./read.js";

/** Candidates this close to a link's best are re-ranked by how well they fit the rest of the question. */
const NEAR = 0.12;
/** How much a candidate on a table the question is clearly about gains. */
const ANCHORED = 0.12;
const ADJACENT = 0.05;
const perfectWords = new Set(["have", "has", "had", "been"]);

/**
 * Re-ranks each link's near-best candidates by the rest of the question: a word that names
 * columns of several tables means the one on a table the question clearly names ("status Open"
 * of tickets, not of invoices); a date word beside a date range means the date column; a measure
 * found on a header and its detail table ("revenue": orders.order_total or order_items.line_total)
 * is read on the table from which every other table of the question is reached many → one, the
 * header when both do, so a sum is never repeated by a join.
 */
export function rerankLinks(reading: Reading, schema: SchemaIndex, lexicon: Lexicon): Reading {
  const links = reading.items.flatMap((item) => (item.kind === "link" ? [item.link] : []));
  if (links.length === 0) return reading;
  const anchors = new Map<string, number>();
  for (const link of links) {
    const table = clearTable(link.candidates);
    if (table) anchors.set(table, (anchors.get(table) ?? 0) + 1);
  }
  const timed = reading.items.some((item) => item.kind === "time" || item.kind === "bucket");
  const adjacent = (a: string, b: string) =>
    schema.joins.some(
      (join) => (join.fromTable === a && join.toTable === b) || (join.fromTable === b && join.toTable === a),
    );
  for (const link of links) {
    const [best] = link.candidates;
    if (!best || link.candidates.length < 2) continue;
    const own = clearTable(link.candidates);
    const others = new Set(
      [...anchors.keys()].filter((table) => table !== own || (anchors.get(table) ?? 0) > 1),
    );
    const near = link.candidates.filter((entry) => entry.score >= best.score - NEAR);
    // "city" of shipments is where they go or come from (`dest_city`, `origin_city`), not the city of
    // a customer joined to them: a column of the table in focus, named by the word and a direction.
    const directed = others.has(best.target.table)
      ? []
      : link.candidates.filter(
          (entry) =>
            entry.target.kind === "column" &&
            others.has(entry.target.table) &&
            directionOf(entry.target.column, link.text) !== undefined,
        );
    if (directed.length && best.target.kind !== "table") {
      const lifted = new Set(directed);
      // "receives", "went to" point at the destination, "sent from", "departs" at the origin; else both are offered.
      const words = reading.tokens.map((token) => token.lower).join(" ");
      const towards = destinationVerbs.test(words) ? "to" : originVerbs.test(words) ? "from" : undefined;
      const edge = (entry: Entry) => {
        const head = entry.target.kind === "column" ? directionOf(entry.target.column, link.text) : "";
        return towards && head && (towards === "to") === destinationHeads.test(head) ? 0.1 : 0;
      };
      link.candidates = [
        ...directed
          .map((entry) => ({ ...entry, score: best.score + ANCHORED + edge(entry) }))
          .sort((a, b) => b.score - a.score),
        ...link.candidates.filter((entry) => !lifted.has(entry)),
      ];
      continue;
    }

    const before = reading.tokens.slice(Math.max(0, link.start - 2), link.start).map((token) => token.lower);
    const perfect = before.some((word) => perfectWords.has(word));
    const bonus = new Map<Entry, number>();
    for (const entry of near) {
      let gain = 0;
      const table = entry.target.table;
      if (others.has(table)) gain += ANCHORED;
      else if ([...others].some((anchor) => adjacent(anchor, table))) gain += ADJACENT;
      const column =
        entry.target.kind === "column" ? lexicon.columns.get(`${table}.${entry.target.column}`) : undefined;
      if (timed && column?.role === "time") gain += 0.1;
      // "haven't been closed": the date the event is recorded on, when some rows have none yet.
      if (perfect && column?.role === "time" && column.nulls > 0) gain += 0.15;
      bonus.set(entry, gain);
    }
    // The measures a word names are ranked among themselves too, when a table is its best reading
    // ("sales": the sales table, and sales.sale_total before sale_lines.line_total).
    const isMeasure = (entry: Entry) =>
      entry.target.kind === "column" &&
      lexicon.columns.get(`${entry.target.table}.${entry.target.column}`)?.role === "measure";
    const bestMeasure = link.candidates.find(isMeasure);
    const measures = bestMeasure
      ? link.candidates.filter((entry) => isMeasure(entry) && entry.score >= bestMeasure.score - NEAR)
      : [];
    for (const entry of measures) {
      if (!bonus.has(entry)) bonus.set(entry, others.has(entry.target.table) ? ANCHORED : 0);
      if (best.target.kind === "table" && entry.target.table === best.target.table)
        bonus.set(entry, (bonus.get(entry) ?? 0) + 0.1);
    }
    const grain = measureGrain(measures, [...others], schema, lexicon);
    if (grain) bonus.set(grain, (bonus.get(grain) ?? 0) + 0.1);
    if ([...bonus.values()].every((gain) => gain === 0)) continue;
    link.candidates = link.candidates
      .map((entry) => (bonus.has(entry) ? { ...entry, score: entry.score + (bonus.get(entry) ?? 0) } : entry))
      .sort((a, b) => b.score - a.score);
  }
  return reading;
}

/** The table a link clearly names: its best candidate's, when no near candidate is on another table. */
function clearTable(candidates: Entry[]): string | undefined {
  const [best] = candidates;
  if (!best) return undefined;
  const rival = candidates.find(
    (entry) => entry.target.table !== best.target.table && entry.score >= best.score - 0.1,
  );
  return rival ? undefined : best.target.table;
}

/**
 * Among measure columns of different tables that a word names about equally well, the one on the
 * table that reaches every anchor many → one; of those, the table with fewest rows (the header).
 */
function measureGrain(
  near: Entry[],
  anchors: string[],
  schema: SchemaIndex,
  lexicon: Lexicon,
): Entry | undefined {
  const measures = near.filter(
    (entry) =>
      entry.target.kind === "column" &&
      lexicon.columns.get(`${entry.target.table}.${entry.target.column}`)?.role === "measure",
  );
  if (new Set(measures.map((entry) => entry.target.table)).size < 2) return undefined;
  // A word that is part of both columns' own names ("price": list_price, unit_price) names two
  // different things, left to a clarification; a synonym ("revenue") names one thing at two grains.
  if (measures.some((entry) => entry.match !== "synonym")) return undefined;
  const rows = new Map(schema.tables.map((table) => [table.name, table.rows]));
  const tables = measures.map((entry) => entry.target.table);
  const reachedFrom = new Map(tables.map((table) => [table, manyToOne(schema, table)]));
  const ranked = measures
    .map((entry) => {
      const reached = reachedFrom.get(entry.target.table) ?? new Set<string>();
      // A header is reached many → one from the other candidates' tables (payments → orders).
      const header = tables.filter(
        (other) => other !== entry.target.table && reachedFrom.get(other)?.has(entry.target.table),
      ).length;
      return { entry, header, reaches: anchors.every((anchor) => reached.has(anchor)) };
    })
    .sort(
      (a, b) =>
        Number(b.reaches) - Number(a.reaches) ||
        b.header - a.header ||
        (rows.get(a.entry.target.table) ?? 0) - (rows.get(b.entry.target.table) ?? 0),
    );
  return ranked[0]?.entry;
}

/** Tables reached from `table` along many → one relationships, itself included. */
export function manyToOne(schema: SchemaIndex, table: string): Set<string> {
  const reached = new Set([table]);
  const queue = [table];
  while (queue.length) {
    const current = queue.shift() as string;
    for (const join of schema.joins)
      if (join.fromTable === current && !reached.has(join.toTable)) {
        reached.add(join.toTable);
        queue.push(join.toTable);
      }
  }
  return reached;
}

/** Words that say which end of a movement a column is about: `dest_city`, `origin_country`, `ship_to_city`. */
const directionWords = new Set([
  "destination",
  "origin",
  "source",
  "src",
  "from",
  "to",
  "ship",
  "pickup",
  "dropoff",
  "delivery",
  "departure",
  "arrival",
  "sender",
  "receiver",
  "recipient",
]);

const destinationVerbs =
  /\b(receiv\w*|arriv\w*|deliver\w* to|(?:go|goes|going|went|gone|sent|ship\w*|headed|bound|travel\w*) to|inbound|destinations?)\b/;
const originVerbs =
  /\b(originat\w*|depart\w*|(?:sent|ship\w*|come|comes|came|leav\w*|left|dispatched) from|outbound|origins?)\b/;
const destinationHeads = /^(destination|to|ship to|dropoff|delivery|arrival|receiver|recipient)$/;

/** The direction words of a column named by a direction and `words` ("dest_city" for "city"), if it is one. */
function directionOf(column: string, words: string): string | undefined {
  const parts = nameParts(column).parts;
  const named = nameParts(words.replace(/\s+/g, "_")).parts;
  if (parts.length <= named.length) return undefined;
  const tail = parts.slice(parts.length - named.length);
  if (tail.join(" ") !== named.join(" ")) return undefined;
  const head = parts.slice(0, parts.length - named.length);
  return head.every((part) => directionWords.has(part)) ? head.join(" ") : undefined;
}
