import type { IndexedColumn, SchemaIndex } from "../types.js";

const measurePreference = /(amount|revenue|sales|total|price|value|cost|spend|income|salary|profit)/;
const labelNames = /^(name|title|label|full_?name|display_?name|description)$/;

export function tableColumns(schema: SchemaIndex, table: string): IndexedColumn[] {
  return schema.tables.find((candidate) => candidate.name === table)?.columns ?? [];
}

/** The column that names a table's rows in answers: `name`, `<table>_name`, `title`…, else its key. */
export function labelColumn(schema: SchemaIndex, table: string): IndexedColumn | undefined {
  const columns = tableColumns(schema, table);
  return (
    columns.find((column) => labelNames.test(column.name.toLowerCase())) ??
    columns.find((column) => column.type === "text" && /(^|_)(name|title)$/i.test(column.name)) ??
    columns.find((column) => column.type === "text" && column.role !== "key" && column.unique) ??
    keyColumn(schema, table) ??
    columns.find((column) => column.role === "dimension") ??
    columns[0]
  );
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

/** What "how big" means for a table's rows: an amount, a total, a price…, else its first measure. */
export function primaryMeasure(schema: SchemaIndex, table: string): IndexedColumn | undefined {
  const measures = tableColumns(schema, table).filter((column) => column.role === "measure");
  return (
    measures.find(
      (column) => column.type === "decimal" && measurePreference.test(column.name.toLowerCase()),
    ) ??
    measures.find((column) => measurePreference.test(column.name.toLowerCase())) ??
    measures.find((column) => column.type === "decimal") ??
    measures[0]
  );
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
  about: "price" | "time" | "duration" | "size",
): IndexedColumn | undefined {
  const columns = tableColumns(schema, table);
  if (about === "time") return timeColumn(schema, table);
  if (about === "price")
    return (
      columns.find(
        (column) => column.role === "measure" && /(price|cost|amount|fee|rate)/i.test(column.name),
      ) ?? primaryMeasure(schema, table)
    );
  if (about === "duration")
    return columns.find(
      (column) => column.role === "measure" && /(duration|length|minutes|hours|days|time)/i.test(column.name),
    );
  return primaryMeasure(schema, table);
}
