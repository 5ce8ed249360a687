import { splitName } from "./schema-index.js";
import type { DerivedColumn, IndexedColumn, IndexedTable, SchemaJoin } from "./types.js";

const quantityParts = new Set(["qty", "quantity", "units", "unit", "pieces", "pcs"]);
const priceParts = new Set(["price", "prc"]);
/** A table that already stores what its rows are worth needs nothing computed. */
const storedAmount =
  /^(line_?total|total|amount|amt|revenue|sales|subtotal|sub_?total|ext(ended)?_?price|value|net|gross|line_?amount)$/i;

function isStoredAmount(column: IndexedColumn): boolean {
  if (column.role !== "measure") return false;
  const parts = splitName(column.name);
  const name = parts.join("_");
  if (storedAmount.test(name)) return true;
  const last = parts.at(-1) ?? "";
  return (
    ["total", "amount", "amt", "revenue", "sales"].includes(last) &&
    !/(refund|shipping|tax|discount|freight|fee)/.test(name)
  );
}

const numeric = (column: IndexedColumn) =>
  column.role === "measure" && (column.type === "integer" || column.type === "decimal");

/**
 * What a line's rows are worth when the table stores a quantity and a unit price but no amount:
 * `revenue` = quantity × unit price, less a discount (a fraction, a percentage or an amount) when
 * the table has one. Offered to the engines as a column; compiled as its expression.
 */
function derivedColumns(table: string, columns: IndexedColumn[], name: string): IndexedColumn[] {
  if (columns.some(isStoredAmount)) return [];
  if (columns.some((column) => column.name.toLowerCase() === name)) return [];
  const quantity = columns.find(
    (column) => numeric(column) && splitName(column.name).some((part) => quantityParts.has(part)),
  );
  const price = columns.find(
    (column) =>
      numeric(column) &&
      column !== quantity &&
      splitName(column.name).some((part) => priceParts.has(part)) &&
      !splitName(column.name).includes("list"),
  );
  if (!quantity || !price) return [];
  const discountColumn = columns.find(
    (column) =>
      numeric(column) && splitName(column.name).some((part) => part === "discount" || part === "disc"),
  );
  const derived: DerivedColumn = { factors: [quantity.name, price.name] };
  if (discountColumn) {
    const parts = splitName(discountColumn.name);
    const max = discountColumn.max ?? 0;
    const percent =
      parts.some((part) => part === "pct" || part === "percent") ||
      (max > 1 && max <= 100 && discountColumn.type === "integer");
    derived.discount = {
      column: discountColumn.name,
      kind: max <= 1 ? "fraction" : percent ? "percent" : "amount",
    };
  }
  return [
    {
      table,
      name,
      type: "decimal",
      role: "measure",
      words: name === "revenue" ? ["revenue", "sale", "income"] : ["line revenue", "line total", "revenue"],
      distinct: Math.max(quantity.distinct, price.distinct),
      nulls: Math.max(quantity.nulls, price.nulls),
      unique: false,
      derived,
    },
  ];
}

/**
 * Adds the derived columns to the tables of an index. A line table whose header stores its own
 * amount (order_items → orders.amount) gets `line_revenue`, so that "revenue" still means the
 * stored figure and the computed one is there for questions about the lines.
 */
export function addDerivedColumns(tables: IndexedTable[], joins: SchemaJoin[]): void {
  const byName = new Map(tables.map((table) => [table.name, table]));
  for (const table of tables) {
    const headers = joins
      .filter((join) => join.fromTable === table.name)
      .map((join) => byName.get(join.toTable))
      .filter((header): header is IndexedTable => header !== undefined);
    const stored = headers.some((header) => header.columns.some(isStoredAmount));
    table.columns.push(...derivedColumns(table.name, table.columns, stored ? "line_revenue" : "revenue"));
  }
}

/** The SQL of a derived column over its table's (already quoted) columns. */
export function derivedSql(derived: DerivedColumn, column: (name: string) => string): string {
  const product = derived.factors.map(column).join(" * ");
  const discount = derived.discount;
  if (!discount) return `(${product})`;
  const off = `coalesce(${column(discount.column)}, 0)`;
  if (discount.kind === "fraction") return `(${product} * (1 - ${off}))`;
  if (discount.kind === "percent") return `(${product} * (1 - ${off} / 100.0))`;
  return `(${product} - ${off})`;
}

/** How a derived column reads in a schema listing: `quantity * unit_price * (1 - discount)`. */
export function describeDerived(derived: DerivedColumn): string {
  return derivedSql(derived, (name) => name).replace(/^\((.*)\)$/, "$1");
}
