import type { QueryPlan, SchemaIndex } from "../types.js";
import { assemble, factOf } from "./assemble.js";
import { manyToOne } from "./coherence.js";
import type { Intent } from "./plan.js";
import { nameColumns, primaryMeasure, tableColumns } from "./schema-facts.js";

/** At most this many readings are offered. */
const OPTIONS = 3;

const planOf = (intent: Intent, schema: SchemaIndex): QueryPlan | undefined => assemble(intent, schema).plan;

/**
 * "What's the average for Sales?": the aggregation has nothing to aggregate. The readings are the
 * main measures of the question's table and of the tables whose rows belong to it.
 */
export function measureReadings(intent: Intent, plan: QueryPlan, schema: SchemaIndex): QueryPlan[] {
  const agg = intent.missingMeasure;
  if (!agg || plan.measures.length) return [];
  const tables = [plan.from, ...relatedFacts(schema, plan.from)];
  const readings: QueryPlan[] = [];
  for (const table of tables) {
    const measure = primaryMeasure(schema, table);
    if (!measure) continue;
    const option = planOf(
      {
        ...intent,
        missingMeasure: undefined,
        measures: [{ kind: "column", agg, column: { table, column: measure.name } }],
        mentioned: [table],
      },
      schema,
    );
    if (option) readings.push(option);
    if (readings.length === OPTIONS) break;
  }
  return readings;
}

/**
 * "Give me the numbers for Europe": a value and nothing else. The readings count the rows of the
 * tables that belong to the value's table (customers in Europe, orders in Europe…).
 */
export function subjectReadings(intent: Intent, plan: QueryPlan, schema: SchemaIndex): QueryPlan[] {
  const named =
    intent.mentioned.length > 0 ||
    intent.entity !== undefined ||
    intent.measures.length > 0 ||
    intent.select.length > 0 ||
    intent.dims.length > 0 ||
    intent.rank !== undefined ||
    intent.having.length > 0;
  const valueOnly =
    intent.filters.length > 0 && intent.filters.every((filter) => ["=", "in"].includes(filter.op));
  if (named || !valueOnly || plan.measures.length || plan.dimensions.length) return [];
  const readings: QueryPlan[] = [];
  for (const table of relatedFacts(schema, plan.from)) {
    const option = planOf({ ...intent, measures: [{ kind: "rows", table }], mentioned: [table] }, schema);
    if (option) readings.push(option);
    if (readings.length === OPTIONS) break;
  }
  return readings.length > 1 ? readings : [];
}

/**
 * "Who is the busiest?", "the top performers": a ranking that names nothing in the data. The
 * readings rank the tables people and things are named in by how many rows refer to them.
 */
export function rankingReadings(schema: SchemaIndex, intent: Intent): QueryPlan[] {
  const rows = new Map(schema.tables.map((table) => [table.name, table.rows]));
  const entities = schema.tables
    .map((table) => ({ table: table.name, fact: factOf(schema, table.name) }))
    .filter((entry) => entry.fact !== undefined && nameColumns(schema, entry.table).length > 0)
    .sort((a, b) => (rows.get(b.fact ?? "") ?? 0) - (rows.get(a.fact ?? "") ?? 0));
  const readings: QueryPlan[] = [];
  for (const { table, fact } of entities) {
    if (!fact) continue;
    const option = planOf(
      {
        ...intent,
        entity: table,
        rank: {
          direction: intent.rank?.direction ?? "desc",
          limit: intent.rank?.limit ?? 1,
          measure: { kind: "rows", table: fact },
        },
      },
      schema,
    );
    if (option) readings.push(option);
    if (readings.length === OPTIONS) break;
  }
  return readings;
}

/** Tables whose rows belong to `table` (many → one), largest first. */
function relatedFacts(schema: SchemaIndex, table: string): string[] {
  const rows = new Map(schema.tables.map((candidate) => [candidate.name, candidate.rows]));
  return schema.tables
    .map((candidate) => candidate.name)
    .filter(
      (name) => name !== table && manyToOne(schema, name).has(table) && tableColumns(schema, name).length,
    )
    .sort((a, b) => (rows.get(b) ?? 0) - (rows.get(a) ?? 0));
}

/** Words of a question about how things go in general, naming nothing: "how are we doing?", "show me the growth". */
const VAGUE =
  /\b(doing|going|perform(ing|ance)?|growth|grow(ing)?|trends?|overview|summary|numbers|metrics|kpis?|business|health|results|progress|dashboard|figures|stats|statistics|good|bad|well)\b/i;

/** Words that judge things without saying by what: "how are the doctors doing?", "the most popular singer". */
const JUDGED =
  /\b(doing|perform(s|ed|ing|ance)?|popular(ity)?|successful|success|good|bad|well|risk|risky|valuable|important|performers?)\b/i;

/**
 * "How are the doctors doing?", "Who is the most popular singer?": a table is named but not the
 * figure to judge it by. The readings count the rows that belong to each of its rows, in each
 * table that records them, and total their main measure.
 */
export function judgedReadings(question: string, intent: Intent, schema: SchemaIndex): QueryPlan[] {
  if (!JUDGED.test(question)) return [];
  const table = typeof intent.entity === "string" ? intent.entity : (intent.mentioned[0] ?? undefined);
  if (!table || intent.measures.length || intent.rank?.measure || intent.having.length || intent.dims.length)
    return [];
  if (intent.select.length || intent.filters.some((filter) => filter.column.table === table)) return [];
  const figures: Intent["measures"] = [];
  for (const fact of relatedFacts(schema, table)) {
    figures.push({ kind: "rows", table: fact });
    const measure = primaryMeasure(schema, fact);
    if (measure) figures.push({ kind: "column", agg: "sum", column: { table: fact, column: measure.name } });
  }
  const readings: QueryPlan[] = [];
  for (const figure of figures) {
    const option = planOf(
      {
        ...intent,
        entity: table,
        mentioned: [],
        rank: {
          direction: intent.rank?.direction ?? "desc",
          ...(intent.rank?.limit ? { limit: intent.rank.limit } : { limit: 10 }),
          measure: figure,
        },
      },
      schema,
    );
    if (option) readings.push(option);
    if (readings.length === OPTIONS) break;
  }
  return readings.length > 1 ? readings : [];
}

/**
 * "How are we doing?": a question about the business that names nothing in the data. The
 * readings are the main figures of the largest tables that record activity (the totals of their
 * main measure, else their row counts).
 */
export function overviewReadings(question: string, schema: SchemaIndex): QueryPlan[] {
  if (!VAGUE.test(question)) return [];
  const facts = new Set(schema.joins.map((join) => join.fromTable));
  const tables = [...schema.tables]
    .filter((table) => facts.size === 0 || facts.has(table.name))
    .sort((a, b) => b.rows - a.rows);
  const readings: QueryPlan[] = [];
  for (const table of tables) {
    const measure = primaryMeasure(schema, table.name);
    readings.push({
      from: table.name,
      joins: [],
      measures: measure
        ? [
            {
              agg: "sum",
              column: { table: table.name, column: measure.name },
              alias: `total_${measure.name}`,
            },
          ]
        : [{ agg: "count", alias: `${table.name}_count` }],
      dimensions: [],
      filters: [],
      having: [],
      order: [],
    });
    if (readings.length === OPTIONS) break;
  }
  return readings.length > 1 ? readings : [];
}
