import type { ColumnType, JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";

/** The SQL dialect an answer is compiled to: the warehouse's, or a live source's. */
export type AskDialect = "duckdb" | "postgresql" | "mysql";

/** What a column plays in questions, decided once per data version when the schema is indexed. */
export type ColumnRole = "measure" | "dimension" | "time" | "key" | "text";

export interface IndexedColumn {
  table: string;
  name: string;
  type: ColumnType;
  role: ColumnRole;
  /** Words that name the column: its split name, singulars and synonyms. */
  words: string[];
  /** Distinct non-null values (exact or estimated). */
  distinct: number;
  nulls: number;
  /** The column's values, for text columns of up to ~10k distinct values. */
  values?: { value: string; count: number }[];
  /** Whether every non-null value is different (a key candidate). */
  unique: boolean;
  /** The largest value of a numeric column: tells a fraction (0.2) from a percentage (20). */
  max?: number;
  /** Not stored: computed from other columns of the table (`quantity * unit_price`). */
  derived?: DerivedColumn;
}

/** A column computed from its table's stored columns: the product of `factors`, less a discount. */
export interface DerivedColumn {
  factors: string[];
  discount?: { column: string; kind: "fraction" | "percent" | "amount" };
}

export interface IndexedTable {
  name: string;
  rows: number;
  /** Words that name the table: its split name, singular and plural, synonyms. */
  words: string[];
  columns: IndexedColumn[];
}

/** A join the engines may use: `from.column` refers to `to.column` (many → one). */
export interface SchemaJoin {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
}

/** Everything an engine knows about the data it answers over. Built from the warehouse, never from the question. */
export interface SchemaIndex {
  dialect: AskDialect;
  tables: IndexedTable[];
  joins: SchemaJoin[];
  /** Verified question → SQL pairs of the workspace: examples for the LLM engine, synonyms for the offline one. */
  verified?: { question: string; sql: string }[];
}

export type Aggregation = "count" | "count_distinct" | "sum" | "avg" | "min" | "max";
export type TimeBucket = "day" | "week" | "month" | "quarter" | "year";
export type FilterOp =
  | "="
  | "!="
  | ">"
  | ">="
  | "<"
  | "<="
  | "between"
  | "in"
  | "not in"
  | "like"
  | "is null"
  | "is not null"
  /** Any of several half-open ranges: values are `from, to` pairs (`to` null when open), "in 2022 or 2023". */
  | "in ranges";

export interface ColumnRef {
  table: string;
  column: string;
}

export interface Measure {
  agg: Aggregation;
  /** Absent for count(*). */
  column?: ColumnRef;
  /** The result column's name, e.g. `total_amount`. */
  alias: string;
  /** Only rows passing these are aggregated ("cancelled orders" within a percentage). */
  where?: Filter[];
  /**
   * A percentage: the aggregate over the same aggregate of every row (`where` left out), of the
   * group ("percentage of orders that were cancelled") or of all groups ("share of revenue by channel").
   */
  percentOf?: "group" | "all";
  /**
   * Divided by the number of rows of another table ("average bookings per patron": the bookings
   * over every patron there is, those without any included), counting only its rows that pass `where`.
   */
  per?: { table: string; where?: Filter[] };
  /** The figure's change: against the previous group along a time dimension, or from one period to another. */
  change?: Change;
}

export type Change =
  | { kind: "previous"; percent: boolean; along: Dimension }
  | { kind: "between"; percent: boolean; from: Filter[]; to: Filter[] };

export interface Dimension {
  column: ColumnRef;
  /** For time columns: the bucket they are truncated to. */
  bucket?: TimeBucket;
  alias: string;
}

export interface Filter {
  column: ColumnRef;
  op: FilterOp;
  /** One value, two for `between`, several for `in`; none for null checks. Dates as ISO text. */
  values: JsonValue[];
  /**
   * Compared with a query instead of `values`: a list for `in`/`not in` ("customers who never
   * ordered"), one aggregate for a comparison ("products priced above the average price").
   */
  subquery?: Subquery;
}

/** `select [agg](column) from table [where filters]`, nulls left out of a list. */
export interface Subquery {
  table: string;
  column: string;
  agg?: Aggregation;
  filters?: Filter[];
}

/** A condition on an aggregate: `having count(*) > 45`. */
export interface Having {
  measure: Measure;
  op:
    | Exclude<FilterOp, "between" | "in" | "not in" | "like" | "is null" | "is not null" | "in ranges">
    | "between";
  values: number[];
  /**
   * Compared with the average of the same figure over every group instead of `values`
   * ("customers who spent more than the average customer").
   */
  versusAverage?: boolean;
}

export interface OrderBy {
  /** The alias of a measure or dimension, or a plain column. */
  by: string;
  direction: "asc" | "desc";
  /** An aggregate ordered by without being shown ("the name of the customer with the most orders"). */
  measure?: Measure;
}

/** A typed query plan: what both engines produce before SQL, and what follow-ups edit. */
export interface QueryPlan {
  from: string;
  /** Joins from `from` along the schema's relationships, in order. */
  joins: SchemaJoin[];
  measures: Measure[];
  dimensions: Dimension[];
  /**
   * Grouped by but not shown: the key of rows named by a column that is not unique (two customers
   * called "Ann Lee" stay two rows).
   */
  groupKeys?: ColumnRef[];
  /** Plain columns to list when nothing is aggregated ("show the orders over 1,000"). */
  select?: ColumnRef[];
  filters: Filter[];
  having: Having[];
  order: OrderBy[];
  limit?: number;
  distinct?: boolean;
  /** A chart the question asked for ("show it as a line chart"); kept through follow-ups. */
  chart?: ChartKind;
}

export type ChartKind = "number" | "bar" | "line" | "area" | "pie" | "scatter" | "table";

export interface ChartSpec {
  kind: ChartKind;
  /** The result column on the x axis (or the categories). */
  x?: string;
  /** Result columns plotted as values. */
  y?: string[];
  /** A second dimension drawn as series. */
  series?: string;
  title: string;
}

/** Two or more readings of a question that the engine would not choose between. */
export interface Clarification {
  question: string;
  options: { label: string; plan?: QueryPlan; sql: string }[];
}

/** What an engine proposes for a question: SQL (from a plan, for the offline engine) and how sure it is. */
export interface EngineDraft {
  engine: "offline" | "llm";
  sql: string;
  plan?: QueryPlan;
  explanation: string;
  /** 0–1: how much of the question was understood × the weakest link. */
  confidence: number;
  clarification?: Clarification;
  /** Words of the question the engine could not place. */
  unexplained?: string[];
}

export interface AskContext {
  /** The previous answer's plan and question, for follow-ups ("and in 2023?", "only Europe"). */
  previous?: { question: string; plan?: QueryPlan; sql: string };
  /** Today, for relative dates ("last month"): injected so answers are reproducible. */
  today: Date;
  signal?: AbortSignal;
  /**
   * Checks a drafted statement where it will run (the service runs it through the sources'
   * guarded `sql()` path); a rejection is fed back to an engine that can repair its SQL.
   */
  validate?: (sql: string) => Promise<void>;
}

/** An engine turns a question into SQL over a schema; the executor, not the engine, runs it. */
export interface AskEngine {
  readonly name: "offline" | "llm";
  draft(question: string, schema: SchemaIndex, context: AskContext): Promise<EngineDraft>;
}

/** The answer to one question, as the API, the CLI and the web show it. */
export interface AskAnswer {
  question: string;
  sql: string;
  explanation: string;
  confidence: number;
  columns: ResultColumn[];
  rows: JsonValue[][];
  truncated: boolean;
  chart: ChartSpec;
  followups: string[];
  clarification?: Clarification;
  plan?: QueryPlan;
  engine: "offline" | "llm";
  /** When both engines answered and their results differ. */
  disagreement?: string;
}
