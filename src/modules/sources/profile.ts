import type { Logger } from "../../platform/log.js";
import {
  type ColumnType,
  type DuckEngine,
  type JsonValue,
  type QueryResult,
  quoteIdent,
} from "../warehouse/duckdb-engine.js";
import { type MalformedRows, qualityReport } from "./quality.js";
import type { ColumnProfile, QualityIssue, TableProfile } from "./sources.tables.js";

export const profileLimits = {
  /** Columns profiled per table: wider tables profile their first ones. */
  maxColumns: 200,
  /** Above this many rows, distinct counts are HyperLogLog estimates (`approx_count_distinct`). */
  exactDistinctRows: 2_000_000,
  topValues: 5,
  bins: 10,
  /** A text column whose non-blank values are at least this share numbers (or dates) is a number (date) column. */
  mismatchShare: 0.9,
  /** Each internal query stops after this long. */
  timeoutMs: 10 * 60_000,
};

type Engine = Pick<DuckEngine, "query">;

interface Column {
  name: string;
  type: ColumnType;
  /** The column as SQL: itself, or as text for types min/max/group by do not handle well. */
  sql: string;
}

type Stats = Map<string, JsonValue>;

// Failed casts are slow in DuckDB: a pattern lets only likely numbers and dates reach TRY_CAST.
const blank = (x: string) => `regexp_full_match(${x}, '\\s*')`;
const asNumber = (x: string) =>
  `(case when regexp_full_match(${x}, '\\s*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?\\s*') then try_cast(${x} as double) end)`;
const asDate = (x: string) =>
  `(case when regexp_matches(${x}, '^\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') then try_cast(trim(${x}) as timestamp) end)`;
const numeric = new Set<ColumnType>(["integer", "decimal"]);
const temporal = new Set<ColumnType>(["date", "timestamp"]);

async function run(engine: Engine, sql: string, maxRows = 1_000): Promise<QueryResult> {
  return engine.query(sql, { maxRows, timeoutMs: profileLimits.timeoutMs });
}

function firstRow(result: QueryResult): Stats {
  const row = result.rows[0] ?? [];
  return new Map(result.columns.map((column, index) => [column.name, row[index] ?? null]));
}

const count = (value: JsonValue | undefined) => Number(value ?? 0);

/**
 * Two aggregate scans: each column's nulls, blanks, min/max and castability, then everything
 * DISTINCT (row duplicates, exact distinct counts). DuckDB runs plain aggregates much faster
 * when no DISTINCT aggregate shares their query.
 */
function statsSql(table: string, columns: Column[], all: string[], approximate: boolean): string[] {
  const plain = ["count(*) as rows"];
  const distinct = [`count(distinct hash(${all.map(quoteIdent).join(", ")})) as unique_rows`];
  columns.forEach((column, i) => {
    const x = column.sql;
    plain.push(`count(${x}) as n${i}`);
    if (approximate) plain.push(`approx_count_distinct(${x}) as d${i}`);
    else distinct.push(`count(distinct ${x}) as d${i}`);
    if (column.type === "decimal") {
      // NaN and infinities would swallow the range; JSON cannot carry them anyway.
      plain.push(`min(${x}) filter (where isfinite(${x}::double)) as lo${i}`);
      plain.push(`max(${x}) filter (where isfinite(${x}::double)) as hi${i}`);
    } else {
      plain.push(`min(${x}) as lo${i}`, `max(${x}) as hi${i}`);
    }
    if (temporal.has(column.type)) plain.push(`epoch(min(${x})) as elo${i}`, `epoch(max(${x})) as ehi${i}`);
    if (column.type === "text") {
      plain.push(`count_if(${blank(x)}) as b${i}`);
      plain.push(`count_if(${asNumber(x)} is not null) as num${i}`);
      plain.push(`count_if(${asDate(x)} is not null) as ts${i}`);
    }
  });
  const from = quoteIdent(table);
  return [`select ${plain.join(", ")} from ${from}`, `select ${distinct.join(", ")} from ${from}`];
}

interface Bins {
  /** SQL giving each value's bin number. */
  sql: string;
  edges: (index: number) => { from: string | number; to: string | number };
  size: number;
}

/** Equal-width bins over [lo, hi]; integers and days spanning fewer values than bins get one bin per value. */
function binsOf(column: Column, lo: number, hi: number): Bins | undefined {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) return undefined;
  const unit = column.type === "date" ? 86_400 : 1;
  const whole = column.type === "integer" || column.type === "date";
  const span = hi - lo;
  const size =
    whole && span / unit < profileLimits.bins ? span / unit + 1 : span === 0 ? 1 : profileLimits.bins;
  const width = whole && span / unit < profileLimits.bins ? unit : span / size || 1;
  const value = temporal.has(column.type) ? `epoch(${column.sql})` : `${column.sql}::double`;
  const show = (edge: number): string | number => {
    if (column.type === "date") return new Date(edge * 1000).toISOString().slice(0, 10);
    if (column.type === "timestamp") return new Date(edge * 1000).toISOString().slice(0, 19);
    return Number(edge.toPrecision(12));
  };
  return {
    // NaN and infinities (numbers only) belong to no bin.
    sql: `case when isfinite(${value}) then least(floor((${value} - ${lo}) / ${width}), ${size - 1})::integer end`,
    edges: (index) => ({ from: show(lo + index * width), to: show(lo + (index + 1) * width) }),
    size,
  };
}

/** The profile of one table: two aggregate scans, one for every histogram, and one small one per column for its top values. */
export async function profileTable(engine: Engine, table: string): Promise<TableProfile> {
  const described = await run(engine, `select * from ${quoteIdent(table)} limit 0`, 0);
  const all = described.columns.map((column) => column.name);
  const columns: Column[] = described.columns.slice(0, profileLimits.maxColumns).map(({ name, type }) => ({
    name,
    type,
    sql: type === "other" ? `${quoteIdent(name)}::varchar` : quoteIdent(name),
  }));
  const from = quoteIdent(table);
  const rows = count((await run(engine, `select count(*) from ${from}`)).rows[0]?.[0]);
  const approximate = rows > profileLimits.exactDistinctRows;
  const stats = new Map<string, JsonValue>();
  for (const sql of statsSql(table, columns, all, approximate)) {
    for (const [name, value] of firstRow(await run(engine, sql))) stats.set(name, value);
  }

  const bins = new Map<number, Bins>();
  columns.forEach((column, i) => {
    if (!numeric.has(column.type) && !temporal.has(column.type)) return;
    const lo = temporal.has(column.type) ? stats.get(`elo${i}`) : stats.get(`lo${i}`);
    const hi = temporal.has(column.type) ? stats.get(`ehi${i}`) : stats.get(`hi${i}`);
    if (lo === null || hi === null || lo === undefined || hi === undefined) return;
    const found = binsOf(column, Number(lo), Number(hi));
    if (found) bins.set(i, found);
  });
  const histograms = new Map<number, Record<string, number>>();
  if (bins.size > 0) {
    const parts = [...bins].map(([i, bin]) => `to_json(histogram(${bin.sql}))::varchar as h${i}`);
    const result = firstRow(await run(engine, `select ${parts.join(", ")} from ${from}`));
    for (const i of bins.keys()) histograms.set(i, JSON.parse(String(result.get(`h${i}`) ?? "{}")));
  }

  const profiles: ColumnProfile[] = [];
  for (const [i, column] of columns.entries()) {
    const present = count(stats.get(`n${i}`));
    const top = await run(engine, topSql(from, column, present, count(stats.get(`d${i}`)), approximate));
    const profile: ColumnProfile = {
      name: column.name,
      type: column.type,
      nulls: rows - present,
      blanks: count(stats.get(`b${i}`)),
      distinct: count(stats.get(`d${i}`)),
      min: stats.get(`lo${i}`) ?? null,
      max: stats.get(`hi${i}`) ?? null,
      top: top.rows.map(([value, n]) => ({ value: value ?? null, count: count(n) })),
      typeMismatches: 0,
    };
    if (approximate) profile.approximateDistinct = true;
    const bin = bins.get(i);
    if (bin) {
      const counts = histograms.get(i) ?? {};
      profile.histogram = Array.from({ length: bin.size }, (_, index) => ({
        ...bin.edges(index),
        count: counts[String(index)] ?? 0,
      }));
    } else if (numeric.has(column.type) || temporal.has(column.type)) {
      profile.histogram = [];
    }
    if (column.type === "text") await addMismatches(engine, from, column, profile, stats, i);
    profiles.push(profile);
  }
  return { table, rows, duplicateRows: rows - count(stats.get("unique_rows")), columns: profiles };
}

/**
 * The commonest values with exact counts. Grouping a column of millions of distinct values is
 * the slowest part of a profile, so: a unique column (exactly counted) shows its first values;
 * a mostly-distinct column of a large table counts only the candidates of an `approx_top_k` sketch.
 */
function topSql(
  from: string,
  column: Column,
  present: number,
  distinct: number,
  approximate: boolean,
): string {
  const x = column.sql;
  const k = profileLimits.topValues;
  if (!approximate && distinct === present) {
    return `select ${x} as v, 1 as n from ${from} where ${x} is not null order by 1 limit ${k}`;
  }
  const where =
    approximate && distinct >= present / 2
      ? `${x} in (select unnest(approx_top_k(${x}, ${k})) from ${from})`
      : `${x} is not null`;
  return `select ${x} as v, count(*) as n from ${from} where ${where} group by 1 order by 2 desc, 1 limit ${k}`;
}

/** A text column that is mostly numbers or dates: how many values are not, and the commonest of them. */
async function addMismatches(
  engine: Engine,
  from: string,
  column: Column,
  profile: ColumnProfile,
  stats: Stats,
  i: number,
) {
  const filled = count(stats.get(`n${i}`)) - profile.blanks;
  if (filled === 0) return;
  const numbers = count(stats.get(`num${i}`));
  const dates = count(stats.get(`ts${i}`));
  const expected =
    numbers / filled >= profileLimits.mismatchShare
      ? { kind: "number" as const, hits: numbers, cast: asNumber(column.sql) }
      : dates / filled >= profileLimits.mismatchShare
        ? { kind: "date" as const, hits: dates, cast: asDate(column.sql) }
        : undefined;
  if (!expected || expected.hits === filled) return;
  profile.typeMismatches = filled - expected.hits;
  profile.expectedType = expected.kind;
  const examples = await run(
    engine,
    `select ${column.sql} as v, count(*) as n from ${from} ` +
      `where not ${blank(column.sql)} and ${expected.cast} is null ` +
      `group by 1 order by 2 desc, 1 limit ${profileLimits.topValues}`,
  );
  profile.mismatchExamples = examples.rows.map(([value]) => String(value));
}

export async function profileTables(engine: Engine, tables: string[]): Promise<TableProfile[]> {
  const profiles: TableProfile[] = [];
  for (const table of tables) profiles.push(await profileTable(engine, table));
  return profiles;
}

/**
 * The profile and quality report of freshly loaded tables, for the source's row. Never throws:
 * a load that worked stays loaded when profiling fails, with `profile` and `quality` null.
 */
export async function analyseTables(
  engine: Engine,
  tables: string[],
  options: { log: Pick<Logger, "warn" | "info">; malformed?: MalformedRows },
): Promise<{ profile: TableProfile[] | null; quality: QualityIssue[] | null }> {
  const started = performance.now();
  try {
    const profile = await profileTables(engine, tables);
    options.log.info({ tables, ms: Math.round(performance.now() - started) }, "tables profiled");
    return { profile, quality: qualityReport(profile, options.malformed) };
  } catch (error) {
    options.log.warn({ err: error, tables }, "could not profile tables");
    const malformed = options.malformed && { table: tables[0], ...options.malformed };
    return { profile: null, quality: malformed?.rejectedRows ? qualityReport([], malformed) : null };
  }
}
