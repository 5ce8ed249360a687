import type {
  ColumnRef,
  Dimension,
  Filter,
  Having,
  Measure,
  OrderBy,
  QueryPlan,
  SchemaIndex,
} from "../types.js";
import { joinPath } from "./joins.js";
import type { Intent, Quantity } from "./plan.js";
import {
  keyColumn,
  labelColumn,
  nameColumns,
  primaryMeasure,
  tableColumns,
  timeColumn,
} from "./schema-facts.js";

const aggNames: Record<string, string> = {
  sum: "total",
  avg: "average",
  min: "min",
  max: "max",
  count: "count",
  count_distinct: "distinct",
};

function labelOf(schema: SchemaIndex, table: string): ColumnRef {
  return { table, column: labelColumn(schema, table)?.name ?? "" };
}

/** The columns that name a table's rows in an answer: its name, a person's first and last name, else its label. */
function labelsOf(schema: SchemaIndex, table: string): ColumnRef[] {
  const named = nameColumns(schema, table);
  return named.length ? named.map((column) => ({ table, column: column.name })) : [labelOf(schema, table)];
}

/** Turns the slots read from a question into a plan: the subject, joins, grouping, ranking and dates. */
export function assemble(
  intent: Intent,
  schema: SchemaIndex,
): { intent: Intent; plan?: QueryPlan; problem?: string; rankWithoutMeasure?: boolean } {
  const measureTables = [...intent.measures, ...(intent.rank?.measure ? [intent.rank.measure] : [])]
    .map((quantity) => (quantity.kind === "rows" ? quantity.table : quantity.column.table))
    .filter(Boolean);
  const entityTable = typeof intent.entity === "string" ? intent.entity : intent.entity?.table;
  const countedRows = intent.measures.find((quantity) => quantity.kind === "rows" && quantity.table);
  const subject =
    (countedRows?.kind === "rows" ? countedRows.table : undefined) ??
    intent.mentioned[0] ??
    entityTable ??
    measureTables[0] ??
    intent.select[0]?.table ??
    intent.filters[0]?.column.table ??
    havingTable(intent) ??
    intent.timeColumn?.table ??
    intent.order?.column?.table;
  if (!subject) return { intent, problem: "I could not tell which table the question is about." };

  // "growth from 2023 to 2024" compares two periods; "month-over-month growth" each period with the one before.
  const spans = intent.times.length === 1 && intent.times[0]?.ends ? intent.times[0].ends : intent.times;
  const periods = intent.change && spans.length === 2 && !intent.bucket && intent.dims.length === 0;
  if (intent.change) {
    intent = { ...intent, percent: false };
    if (!periods && !intent.bucket) intent = { ...intent, bucket: changeBucket(intent.times) };
  }
  // "revenue in 2023 vs 2024": one row per period named.
  const sideBySide = intent.versus && !intent.change && !intent.bucket && intent.times.length >= 2;
  if (sideBySide) intent = { ...intent, bucket: periodBucket(intent.times) };
  /** A time bucket the question implies rather than names ("2023 vs 2024", "growth"). */
  const implied = sideBySide || (intent.change !== undefined && !periods);
  const dims: { column: ColumnRef; bucket?: Dimension["bucket"] }[] = [...intent.dims];
  let quantities: Quantity[] = intent.measures.map((quantity) =>
    quantity.kind === "rows" && !quantity.table ? { ...quantity, table: subject } : quantity,
  );
  const select: ColumnRef[] = [...intent.select];
  let order: { quantity?: Quantity; column?: ColumnRef; direction: "asc" | "desc" } | undefined =
    intent.order;
  let limit: number | undefined;
  let rankWithoutMeasure = false;
  /** A figure the answer is ordered by but does not show. */
  let hidden: Quantity | undefined;
  const extraFilters: Filter[] = [];

  if (intent.rank) {
    const { direction } = intent.rank;
    limit = intent.rank.limit ?? 1;
    let measure = intent.rank.measure;
    const entity = intent.entity;
    if (entity !== undefined) {
      const table = typeof entity === "string" ? entity : entity.table;
      if (!measure) {
        const size = primaryMeasure(schema, table);
        const fact = factOf(schema, table);
        if (intent.rank.about === "size" && size)
          measure = {
            kind: "column",
            agg: intent.single ? (direction === "desc" ? "max" : "min") : "raw",
            column: { table, column: size.name },
          };
        else if (quantities.length) measure = quantities[0];
        else if (fact) {
          rankWithoutMeasure = true;
          const factMeasure = primaryMeasure(schema, fact);
          measure = factMeasure
            ? { kind: "column", agg: "sum", column: { table: fact, column: factMeasure.name } }
            : { kind: "rows", table: fact };
        } else if (size) measure = { kind: "column", agg: "raw", column: { table, column: size.name } };
      }
      if (measure?.kind === "column" && (measure.agg === "max" || measure.agg === "min")) {
        // "the largest single order": the figure, not the row.
        quantities = [measure, ...quantities];
        limit = undefined;
        measure = undefined;
      }
      const rowLevel =
        measure?.kind === "column" &&
        measure.agg === "raw" &&
        measure.column.table === table &&
        typeof entity === "string";
      if (rowLevel && measure?.kind === "column") {
        const labels = labelsOf(schema, table);
        const ranked = measure.column;
        // "Find the name of the tallest building": only the columns asked for.
        if (!intent.projection || !select.length) {
          select.push(...labels);
          if (!labels.some((label) => label.column === ranked.column)) select.push(ranked);
        }
        order = { column: measure.column, direction };
        quantities = [];
      } else if (measure) {
        // "the name of the customer with the most orders": the columns asked for, ranked by a figure not shown.
        const projected =
          intent.projection && select.length > 0 && select.every((ref) => ref.table === table);
        dims.unshift(
          ...(projected
            ? select.splice(0)
            : typeof entity === "string"
              ? labelsOf(schema, table)
              : [entity]
          ).map((column) => ({ column })),
        );
        const aggregated = aggregateRaw(schema, measure, "sum", direction);
        if (projected) hidden = aggregated;
        // "who manages the most": rows without a manager are no one, not a winner.
        for (const dim of dims)
          if (!dim.bucket && columnOf(schema, dim.column)?.nulls)
            extraFilters.push({ column: dim.column, op: "is not null", values: [] });
        quantities = [
          ...(hidden ? [] : [aggregated]),
          ...quantities.filter((quantity) => quantity !== measure),
        ];
        order = { quantity: aggregated, direction };
      } else if (!quantities.length) {
        select.push(...labelsOf(schema, table));
      }
    } else if (measure) {
      const aggregated = aggregateRaw(
        schema,
        measure,
        dims.length || intent.bucket ? "sum" : direction === "desc" ? "max" : "min",
        direction,
      );
      if (dims.length || intent.bucket) {
        quantities = [aggregated, ...quantities];
        order = { quantity: aggregated, direction };
      } else if (intent.which && measure.kind === "column" && measure.agg === "raw") {
        // "which order was the largest": the row itself.
        select.push(...labelsOf(schema, measure.column.table), measure.column);
        order = { column: measure.column, direction };
      } else {
        quantities = [aggregated, ...quantities];
        limit = undefined;
      }
    } else limit = intent.rank.limit;
  }

  // Grouped conditions ("customers with more than 5 orders") group by the subject when nothing else is.
  if (intent.having.length && dims.length === 0) {
    // "countries with more than 80 customers": a named dimension; else the subject's label.
    const named = select.findIndex(
      (ref) =>
        tableColumns(schema, ref.table).find((column) => column.name === ref.column)?.role === "dimension",
    );
    const [dimension] = named >= 0 ? select.splice(named, 1) : [];
    // "the ids of routes with more than 100 shipments": the columns asked for are the groups.
    if (intent.projection && select.length && !dimension)
      dims.push(...select.splice(0).map((column) => ({ column })));
    else if (dimension) dims.push({ column: dimension });
    else dims.push(...labelsOf(schema, entityTable ?? subject).map((column) => ({ column })));
  }
  // The condition's figure is part of the answer: "customers with more than 25 orders" shows the count.
  // Unless only some columns were asked for by name ("the names of the stadiums that hosted more than 20 concerts").
  // A comparison with the average entity answers which ones, not by how much.
  if (intent.having.length && quantities.length === 0 && !intent.projection)
    quantities = intent.having
      .filter((condition) => !condition.average)
      .map((condition) => condition.measure);

  // Dates: the column named, else the date of record of the most relevant table that has one.
  let timeRef = intent.timeColumn;
  /** A year column standing in for a date. */
  let yearRef: ColumnRef | undefined;
  if (!timeRef && (intent.times.length || intent.bucket)) {
    const order = [
      ...intent.mentioned.filter((table) => table !== subject),
      ...measureTables,
      subject,
      ...(entityTable ? [entityTable] : []),
      ...intent.filters.map((filter) => filter.column.table),
    ];
    // An event's date is on the measured table or on the header it belongs to (order_items → orders),
    // before the date of a table that only filters (a product's launch date).
    const own = [...intent.mentioned.filter((table) => table !== subject), ...measureTables, subject];
    const direct =
      own.map((table) => timeColumn(schema, table) ?? headerTime(schema, table)).find(Boolean) ??
      order.map((table) => timeColumn(schema, table)).find(Boolean);
    const year = direct ? undefined : yearColumn(schema, own);
    const ref = year ? { table: year.table, column: year.name } : undefined;
    const years = ref ? yearFilters(ref, year?.type === "text", intent.times) : undefined;
    const byYear = ref && years && (!intent.bucket || intent.bucket === "year");
    const found = direct ?? (byYear ? undefined : nearestTime(schema, order[0] ?? subject));
    if (found) timeRef = { table: found.table, column: found.name };
    else if (byYear) {
      // "concerts per year since 2020" over a `year` column: its values are the buckets.
      extraFilters.push(...years);
      yearRef = ref;
      if (intent.bucket) dims.push({ column: ref });
      intent = { ...intent, times: [], bucket: undefined };
    }
  }
  if (yearRef && !order && !intent.rank && dims.some((dim) => dim.column === yearRef))
    order = { column: yearRef, direction: "asc" };
  if ((intent.times.length || intent.bucket) && !timeRef)
    return { intent, problem: "None of the tables in the question has a date to filter or group by." };
  const filters: Filter[] = [...intent.filters, ...extraFilters];
  if (timeRef) {
    const ranges = alternativeRanges(intent.times);
    if (ranges) filters.push({ column: timeRef, op: "in ranges", values: ranges });
    else
      for (const span of intent.times) {
        if (span.from) filters.push({ column: timeRef, op: ">=", values: [span.from] });
        if (span.to) filters.push({ column: timeRef, op: "<", values: [span.to] });
      }
    if (intent.bucket) {
      dims.push({ column: timeRef, bucket: intent.bucket });
      if (!order && !intent.rank) order = { column: timeRef, direction: "asc" };
    }
  }
  for (const loose of intent.loose) {
    const table = [subject, ...intent.mentioned, ...measureTables].find((candidate) =>
      primaryMeasure(schema, candidate),
    );
    const measure = table ? primaryMeasure(schema, table) : undefined;
    if (measure)
      filters.push({
        column: { table: measure.table, column: measure.name },
        op: loose.op,
        values: loose.values,
      });
  }

  // A measure named on its own ("revenue last month") is a total, unless rows are asked for or identified.
  const identified = intent.filters.some(
    (filter) =>
      filter.op === "=" &&
      tableColumns(schema, filter.column.table).find((column) => column.name === filter.column.column)
        ?.unique,
  );
  const plainDims = dims.filter((dim) => !(implied && dim.bucket));
  if (
    !quantities.length &&
    !plainDims.length &&
    !intent.rank &&
    !intent.list &&
    !identified &&
    select.length
  ) {
    const measures = select.filter(
      (ref) =>
        tableColumns(schema, ref.table).find((column) => column.name === ref.column)?.role === "measure",
    );
    const own = intent.mentioned.some((table) => measures.some((ref) => ref.table === table));
    if (measures.length === select.length && !own) {
      quantities = measures.map((ref): Quantity => ({ kind: "column", agg: "sum", column: ref }));
      select.length = 0;
    }
  }
  if (intent.percent && quantities.length === 0) quantities = [{ kind: "rows", table: subject }];
  if (dims.length && quantities.length === 0 && intent.having.length === 0 && !hidden)
    quantities = [{ kind: "rows", table: subject }];

  // Every table the plan touches, and the joins between them.
  const tables = new Set<string>([subject]);
  const addRef = (ref: ColumnRef | undefined) => ref && tables.add(ref.table);
  const addQuantity = (quantity: Quantity) =>
    tables.add(quantity.kind === "rows" ? quantity.table : quantity.column.table);
  for (const dim of dims) addRef(dim.column);
  for (const quantity of [...quantities, ...(hidden ? [hidden] : [])]) addQuantity(quantity);
  for (const having of intent.having) addQuantity(having.measure);
  for (const filter of filters) addRef(filter.column);
  for (const ref of select) addRef(ref);
  addRef(order?.column);
  for (const table of intent.mentioned) tables.add(table);
  const prefer = measureTables[0] ?? subject;
  const path = joinPath(schema, [...tables], prefer);
  if (!path)
    return {
      intent,
      problem: `I could not relate ${[...tables].join(", ")} through the relationships I know.`,
    };

  const aliases = new Set<string>();
  const alias = (wanted: string) => {
    let name = wanted.replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
    for (let n = 2; aliases.has(name); n++) name = `${wanted}_${n}`;
    aliases.add(name);
    return name;
  };
  const dimensions: Dimension[] = dims.map((dim) => {
    const base = dim.bucket ? dim.bucket : dim.column.column;
    const clash = dims.some(
      (other) => other !== dim && other.column.column === dim.column.column && !other.bucket && !dim.bucket,
    );
    return {
      column: dim.column,
      ...(dim.bucket ? { bucket: dim.bucket } : {}),
      alias: alias(clash ? `${singular(dim.column.table)}_${base}` : base),
    };
  });
  const toMeasure = (quantity: Quantity, named: boolean): Measure => {
    if (quantity.kind === "rows" && quantity.per) {
      const per = quantity.per;
      const where = filters.filter((filter) => filter.column.table === per);
      return {
        agg: "count",
        alias: named ? alias(`${quantity.table}_per_${singular(per)}`) : "",
        per: where.length ? { table: per, where } : { table: per },
      };
    }
    if (quantity.kind === "rows") {
      if (quantity.table === path.from || (!quantity.distinct && !path.joins.length)) {
        return {
          agg: "count",
          alias: named
            ? alias(quantity.table === subject && !dims.length ? "count" : `${quantity.table}_count`)
            : "",
        };
      }
      const key = keyColumn(schema, quantity.table);
      if (!key) return { agg: "count", alias: named ? alias(`${quantity.table}_count`) : "" };
      return {
        agg: "count_distinct",
        column: { table: quantity.table, column: key.name },
        alias: named ? alias(`${quantity.table}_count`) : "",
      };
    }
    const agg = quantity.agg === "raw" ? "sum" : quantity.agg;
    if (quantity.per) {
      const per = quantity.per;
      const where = filters.filter((filter) => filter.column.table === per);
      return {
        agg,
        column: quantity.column,
        alias: named ? alias(`${aggNames[agg]}_${quantity.column.column}_per_${singular(per)}`) : "",
        per: where.length ? { table: per, where } : { table: per },
      };
    }
    return {
      agg,
      column: quantity.column,
      alias: named ? alias(`${aggNames[agg]}_${quantity.column.column}`) : "",
    };
  };
  const measures = quantities.map((quantity) => toMeasure(quantity, true));
  const first = measures[0];
  if (intent.percent && first) {
    // "the percentage of orders that were cancelled": the conditions on values pick the part;
    // "the share of revenue by channel": each group's part of all groups.
    const part = dimensions.length
      ? []
      : filters.filter((filter) => !filter.subquery && valueOps.has(filter.op));
    if (dimensions.length || part.length) {
      first.alias = `percent_${first.alias}`;
      first.percentOf = dimensions.length ? "all" : "group";
      if (part.length) {
        first.where = part;
        filters.splice(0, filters.length, ...filters.filter((filter) => !part.includes(filter)));
      }
    }
  }
  if (intent.change && first) {
    const { percent } = intent.change;
    const name = `${percent ? "percent_" : ""}change_${first.alias}`;
    const along =
      dimensions.find((dimension) => dimension.bucket) ??
      dimensions.find((dimension) => dimension.column === yearRef);
    const ref = timeRef ?? yearRef;
    if (periods && ref) {
      const [earlier, later] = [...spans].sort((a, b) => (a.from ?? "").localeCompare(b.from ?? ""));
      // A year column compares years, kept as numbers or as text.
      const text = !timeRef && columnOf(schema, ref)?.type === "text";
      const bound = (date: string) => (timeRef ? date : text ? date.slice(0, 4) : Number(date.slice(0, 4)));
      const bounds = (span: { from?: string; to?: string } | undefined): Filter[] => [
        ...(span?.from ? [{ column: ref, op: ">=" as const, values: [bound(span.from)] }] : []),
        ...(span?.to ? [{ column: ref, op: "<" as const, values: [bound(span.to)] }] : []),
      ];
      measures.splice(0, 1, {
        ...first,
        alias: alias(name),
        change: { kind: "between", percent, from: bounds(earlier), to: bounds(later) },
      });
    } else if (along)
      measures.splice(1, 0, { ...first, alias: alias(name), change: { kind: "previous", percent, along } });
  }
  const having: Having[] = intent.having.map((condition) => ({
    measure: toMeasure(condition.measure, false),
    op: condition.op as Having["op"],
    values: condition.values,
    ...(condition.average ? { versusAverage: true } : {}),
  }));
  const orders: OrderBy[] = [];
  if (order?.quantity) {
    const index = quantities.indexOf(order.quantity);
    const measure = measures[index];
    if (measure) orders.push({ by: measure.alias, direction: order.direction });
    else if (order.quantity === hidden) {
      const ranked = toMeasure(hidden, true);
      orders.push({ by: ranked.alias, direction: order.direction, measure: ranked });
    }
  } else if (order?.column) {
    const dim = dimensions.find(
      (candidate) =>
        candidate.column.table === order?.column?.table && candidate.column.column === order.column.column,
    );
    orders.push({
      by: dim ? dim.alias : `${order.column.table}.${order.column.column}`,
      direction: order.direction,
    });
  } else if (order) {
    const first = measures[0]?.alias ?? dimensions[0]?.alias;
    if (first) orders.push({ by: first, direction: order.direction });
  }
  if (!orders.length && dimensions.length && measures.length && limit !== undefined && measures[0]) {
    orders.push({ by: measures[0].alias, direction: intent.rank?.direction ?? "desc" });
  }

  const plan: QueryPlan = {
    from: path.from,
    joins: path.joins,
    measures: measures.length || dimensions.length || having.length ? measures : [],
    dimensions,
    filters,
    having,
    order: orders,
  };
  const keys = entityKeys(schema, dimensions);
  if (keys.length && (measures.length || having.length || orders.some((order) => order.measure)))
    plan.groupKeys = keys;
  if (!measures.length && !dimensions.length) {
    // "List the customers in Germany": the rows' names, as a person (and a benchmark's gold) reads them;
    // rows without a name are shown whole.
    const named = nameColumns(schema, subject).map((column) => ({ table: subject, column: column.name }));
    const listed = select.length
      ? dedupe(select)
      : intent.which && !named.length
        ? [labelOf(schema, subject)]
        : named;
    if (listed.length) plan.select = listed;
    else if (path.from !== subject)
      plan.select = tableColumns(schema, subject).map((column) => ({ table: subject, column: column.name }));
  }
  if (intent.distinct) plan.distinct = true;
  if (limit !== undefined) plan.limit = limit;
  if (intent.chart) plan.chart = intent.chart;
  return { intent, plan, rankWithoutMeasure };
}

/** The period a change is measured over when none is named: months within a year or less, else years. */
function changeBucket(spans: Intent["times"]): Dimension["bucket"] {
  const span = spans[0];
  if (!span?.from || !span.to) return "year";
  const days = (Date.parse(span.to) - Date.parse(span.from)) / 86_400_000;
  return days <= 366 ? "month" : "year";
}

/** The bucket that holds each of the periods named whole: years, quarters, months or days. */
function periodBucket(spans: Intent["times"]): Dimension["bucket"] {
  const days = Math.min(
    ...spans.map((span) => (Date.parse(span.to ?? "") - Date.parse(span.from ?? "")) / 86_400_000 || 1),
  );
  return days >= 365 ? "year" : days >= 89 ? "quarter" : days >= 28 ? "month" : "day";
}

/**
 * The keys of tables whose rows the dimensions name by columns that are not unique (a name, a
 * first and last name): grouping by them too keeps two rows with one name apart.
 */
function entityKeys(schema: SchemaIndex, dimensions: Dimension[]): ColumnRef[] {
  const keys: ColumnRef[] = [];
  const tables = new Set(
    dimensions.filter((dimension) => !dimension.bucket).map((dimension) => dimension.column.table),
  );
  for (const table of tables) {
    const named = dimensions.filter((dimension) => dimension.column.table === table && !dimension.bucket);
    const labels = new Set(labelsOf(schema, table).map((ref) => ref.column));
    if (!named.every((dimension) => labels.has(dimension.column.column))) continue;
    if (named.some((dimension) => columnOf(schema, dimension.column)?.unique)) continue;
    const key = keyColumn(schema, table);
    if (key?.unique && !named.some((dimension) => dimension.column.column === key.name))
      keys.push({ table, column: key.name });
  }
  return keys;
}

const valueOps = new Set<Filter["op"]>(["=", "!=", "in", "not in", "is null", "is not null"]);

function columnOf(schema: SchemaIndex, ref: ColumnRef) {
  return tableColumns(schema, ref.table).find((column) => column.name === ref.column);
}

/** A ranked column as an aggregate: its sum, except a date, which is never added up (its latest or earliest). */
function aggregateRaw(
  schema: SchemaIndex,
  measure: Quantity,
  agg: "sum" | "max" | "min",
  direction: "asc" | "desc",
): Quantity {
  if (measure.kind !== "column" || measure.agg !== "raw") return measure;
  const time = columnOf(schema, measure.column)?.role === "time";
  return { ...measure, agg: time && agg === "sum" ? (direction === "desc" ? "max" : "min") : agg };
}

/** A year kept as a number or text (`year`, `release_year`, `Debut_Year`) on one of `tables`. */
function yearColumn(schema: SchemaIndex, tables: string[]) {
  for (const table of tables) {
    const col = tableColumns(schema, table).find(
      (column) =>
        (column.type === "integer" || column.type === "text") && /(^|_)year$|Year$|^year/i.test(column.name),
    );
    if (col) return col;
  }
  return undefined;
}

/**
 * Dates as years, for tables with no date but a year column: "in 2014 or 2015" are the years
 * themselves, "since 2020" and "before 2000" bounds; undefined for a span finer than a year.
 */
function yearFilters(ref: ColumnRef, text: boolean, spans: Intent["times"]): Filter[] | undefined {
  const yearOf = (date: string | undefined) => {
    const match = /^(\d{4})-(\d\d)-(\d\d)/.exec(date ?? "");
    return match ? { year: Number(match[1]), whole: match[2] === "01" && match[3] === "01" } : undefined;
  };
  const value = (year: number) => (text ? String(year) : year);
  const filters: Filter[] = [];
  const listed: number[] = [];
  for (const span of spans) {
    const from = yearOf(span.from);
    const to = yearOf(span.to);
    if ((span.from && !from?.whole) || (span.to && !to?.whole)) return undefined;
    if (from && to && to.year - from.year <= 50)
      for (let year = from.year; year < to.year; year++) listed.push(year);
    else {
      if (from) filters.push({ column: ref, op: ">=", values: [value(from.year)] });
      if (to) filters.push({ column: ref, op: "<", values: [value(to.year)] });
    }
  }
  if (listed.length)
    filters.push({ column: ref, op: listed.length > 1 ? "in" : "=", values: listed.map(value) });
  return filters;
}

/**
 * "in 2022 or 2023", "in March or April": periods that do not overlap cannot all hold for one row,
 * so they are alternatives; overlapping ones ("in 2024, since March") narrow each other.
 */
function alternativeRanges(spans: Intent["times"]): string[] | undefined {
  if (spans.length < 2 || spans.some((span) => !span.from || !span.to)) return undefined;
  const sorted = [...spans].sort((a, b) => (a.from ?? "").localeCompare(b.from ?? ""));
  for (let at = 1; at < sorted.length; at++)
    if ((sorted[at]?.from ?? "") < (sorted[at - 1]?.to ?? "")) return undefined;
  return sorted.flatMap((span) => [span.from ?? "", span.to ?? ""]);
}

function dedupe(refs: ColumnRef[]): ColumnRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.table}.${ref.column}`;
    if (seen.has(key) || !ref.column) return false;
    seen.add(key);
    return true;
  });
}

function havingTable(intent: Intent): string | undefined {
  const measure = intent.having[0]?.measure;
  if (!measure) return undefined;
  return measure.kind === "rows" ? measure.table : measure.column.table;
}

const singular = (table: string) => table.replace(/ies$/, "y").replace(/s$/, "");

/** The table whose rows refer to `table` and are most numerous: where its activity is recorded. */
export function factOf(schema: SchemaIndex, table: string): string | undefined {
  const rows = new Map(schema.tables.map((candidate) => [candidate.name, candidate.rows]));
  return schema.joins
    .filter((join) => join.toTable === table)
    .map((join) => join.fromTable)
    .sort((a, b) => (rows.get(b) ?? 0) - (rows.get(a) ?? 0))[0];
}

/** The date column of the nearest table that `table` refers to, many → one. */
function headerTime(schema: SchemaIndex, table: string) {
  let frontier = [table];
  const seen = new Set(frontier);
  while (frontier.length) {
    const next: string[] = [];
    for (const current of frontier)
      for (const join of schema.joins) {
        if (join.fromTable !== current || seen.has(join.toTable)) continue;
        seen.add(join.toTable);
        const found = timeColumn(schema, join.toTable);
        if (found) return found;
        next.push(join.toTable);
      }
    frontier = next;
  }
  return undefined;
}

/** The date column of the table nearest to `table` along the relationships. */
function nearestTime(schema: SchemaIndex, table: string) {
  const seen = new Set([table]);
  let frontier = [table];
  while (frontier.length) {
    const next: string[] = [];
    for (const current of frontier) {
      for (const join of schema.joins) {
        const other =
          join.fromTable === current ? join.toTable : join.toTable === current ? join.fromTable : undefined;
        if (!other || seen.has(other)) continue;
        seen.add(other);
        const found = timeColumn(schema, other);
        if (found) return found;
        next.push(other);
      }
    }
    frontier = next;
  }
  return undefined;
}
