import mysqlGrammar from "node-sql-parser/build/mysql.js";
import postgresGrammar from "node-sql-parser/build/postgresql.js";
import { Invalid } from "../../platform/errors.js";

const parsers = { postgresql: new postgresGrammar.Parser(), mysql: new mysqlGrammar.Parser() };

type Node = Record<string, unknown>;

/** The name a select item shows under: its alias, or the column it reads. */
function shownName(item: Node): string | undefined {
  if (typeof item.as === "string") return item.as;
  const expr = item.expr as Node | undefined;
  if (expr?.type !== "column_ref") return undefined;
  const column = expr.column as { expr?: { value?: unknown } } | string | undefined;
  return typeof column === "string"
    ? column
    : typeof column?.expr?.value === "string"
      ? column.expr.value
      : undefined;
}

/**
 * The rows behind one group of an aggregated query: the same tables, joins and conditions, with
 * the group's expression equal to the value clicked, and no grouping — "drill down" from a bar or
 * a slice. Only a single SELECT that groups by the clicked column can be drilled into.
 */
export function drillSql(
  sql: string,
  column: string,
  value: string | number | boolean | null,
  dialect: "duckdb" | "postgresql" | "mysql",
  limit: number,
): string {
  const database = dialect === "mysql" ? "mysql" : "postgresql";
  const parser = parsers[database];
  let ast: Node | Node[];
  try {
    ast = parser.astify(sql, { database }) as unknown as Node | Node[];
  } catch {
    throw new Invalid("This widget's query cannot be drilled into");
  }
  const statement = Array.isArray(ast) ? (ast.length === 1 ? ast[0] : undefined) : ast;
  const groups = (statement?.groupby as { columns?: Node[] } | null | undefined)?.columns;
  if (statement?.type !== "select" || !groups?.length || statement.with)
    throw new Invalid("Only a widget that groups its rows can be drilled into");
  const item = (statement.columns as Node[]).find((entry) => shownName(entry) === column);
  const expr = item?.expr as Node | undefined;
  if (!expr) throw new Invalid(`The widget's result has no grouped column ${column}`);
  const equals: Node =
    value === null
      ? { type: "binary_expr", operator: "IS", left: expr, right: { type: "null", value: null } }
      : {
          type: "binary_expr",
          operator: "=",
          left: expr,
          right:
            typeof value === "number"
              ? { type: "number", value }
              : typeof value === "boolean"
                ? { type: "bool", value }
                : { type: "single_quote_string", value },
        };
  const from = (statement.from as { table?: string; as?: string | null }[] | null)?.[0];
  const firstTable = from ? (from.as ?? from.table ?? null) : null;
  const where = statement.where
    ? { type: "binary_expr", operator: "AND", left: statement.where, right: equals, parentheses: true }
    : equals;
  const drilled: Node = {
    ...statement,
    // The rows of the first table (the facts grouped), not every joined table's columns side by side.
    columns: [{ expr: { type: "column_ref", table: firstTable, column: "*" }, as: null }],
    distinct: null,
    where,
    groupby: null,
    having: null,
    orderby: null,
    limit: { seperator: "", value: [{ type: "number", value: limit }] },
  };
  return parser.sqlify(drilled as never, { database });
}
