/**
 * Walks a node-sql-parser AST and collects every rule it breaks. The walk is generic
 * (every property of every node is visited) so an expression hidden in a CASE branch, a
 * function argument, a join condition or a subquery is seen; SELECT nodes and FROM items get
 * extra care because they carry CTE scope and table references.
 */
import type { Violation } from "./sql-guard.errors.js";
import {
  foldCase,
  isAllowedTableFunction,
  isForbiddenFunction,
  type TableMatcher,
} from "./sql-guard.rules.js";

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Statement types node-sql-parser produces for anything but a query. */
const STATEMENT_TYPES = new Set([
  "insert",
  "replace",
  "update",
  "delete",
  "create",
  "drop",
  "alter",
  "truncate",
  "rename",
  "use",
  "set",
  "lock",
  "unlock",
  "grant",
  "revoke",
  "call",
  "exec",
  "execute",
  "show",
  "desc",
  "explain",
  "transaction",
  "load_data",
  "declare",
  "deallocate",
  "comment",
  "analyze",
  "attach",
  "copy",
]);

/** Words the parser sometimes mistakes for a table name (`FROM ONLY t` reads as table "ONLY"). */
export const KEYWORD_TABLE_NAMES = new Set([
  "only",
  "lateral",
  "table",
  "select",
  "values",
  "with",
  "rows",
  "as",
]);

const TABLE_REF_KEYS = new Set(["db", "schema", "table", "as", "on", "join", "loc"]);

export interface AstFindings {
  violations: Violation[];
  /** Allowed tables read, as given in options.tables, in order of first use. */
  tables: string[];
  /** Every CTE name defined anywhere in the statement (folded). */
  cteNames: Set<string>;
}

interface Context {
  matchTable: TableMatcher;
  allowedForMessage: readonly string[];
  /** String literals where a table could be (after FROM, JOIN or a comma in a FROM list). */
  stringTableCandidates: ReadonlySet<string>;
  findings: AstFindings;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (isNode(value)) return text(value.value);
  return undefined;
}

/** Name parts of a function-call node (`pg_catalog.pg_sleep` → ["pg_catalog", "pg_sleep"]). */
export function functionName(node: Node): string[] | undefined {
  const functionLike =
    node.type === "function" || node.type === "aggr_func" || node.type === "window_func" || "args" in node;
  if (!functionLike || node.name === undefined || node.name === null) return undefined;
  const name = node.name;
  if (typeof name === "string") return [name];
  if (!isNode(name)) return undefined;
  const parts = Array.isArray(name.name) ? name.name.map(text) : [text(name)];
  const schema = text(name.schema);
  const all = [schema, ...parts].filter((p): p is string => typeof p === "string" && p.length > 0);
  return all.length > 0 ? all : undefined;
}

function listTables(names: readonly string[]): string {
  if (names.length === 0) return "This source has no tables.";
  const shown = names.slice(0, 20).join(", ");
  return `Available tables: ${shown}${names.length > 20 ? ", …" : ""}.`;
}

function add(ctx: Context, violation: Violation) {
  ctx.findings.violations.push(violation);
}

function walk(value: unknown, scope: ReadonlySet<string>, ctx: Context): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, scope, ctx);
    return;
  }
  if (!isNode(value)) return;
  if (value.type === "select") {
    visitSelect(value, scope, ctx);
    return;
  }
  if (typeof value.type === "string" && STATEMENT_TYPES.has(value.type)) {
    add(ctx, {
      reason: "not_select",
      message: `Only SELECT queries may run; found a nested ${value.type.toUpperCase()} statement.`,
    });
  }
  if (value.type === "var" || value.type === "assign") {
    add(ctx, {
      reason: "variable",
      message: "Variables, assignments and bind parameters (@x, @@setting, $1) may not be used in queries.",
    });
  }
  const name = functionName(value);
  const last = name?.[name.length - 1];
  if (last !== undefined && isForbiddenFunction(last)) {
    add(ctx, {
      reason: "forbidden_function",
      message: `The function ${name!.join(".")}() is not allowed: it can read files, change state or stall the database.`,
    });
  }
  for (const [key, child] of Object.entries(value)) {
    if (key !== "loc") walk(child, scope, ctx);
  }
}

function visitSelect(node: Node, outer: ReadonlySet<string>, ctx: Context): void {
  let scope = outer;
  if (Array.isArray(node.with) && node.with.length > 0) {
    const ctes = node.with.filter(isNode);
    const names = ctes.map((cte) => foldCase(text(cte.name) ?? ""));
    const recursive = ctes.some((cte) => cte.recursive === true);
    for (const name of names) ctx.findings.cteNames.add(name);
    ctes.forEach((cte, i) => {
      // A non-recursive CTE sees only the ones before it; its own name still means a table.
      const visible = recursive ? names : names.slice(0, i);
      walk(cte.stmt, new Set([...outer, ...visible]), ctx);
    });
    scope = new Set([...outer, ...names]);
  }

  const into = node.into;
  if (isNode(into) && (into.position != null || into.expr != null)) {
    add(ctx, {
      reason: "select_into",
      message: "SELECT … INTO writes data and may not run; remove the INTO clause.",
    });
  }
  if (node.locking_read != null || node.for_update != null) {
    add(ctx, {
      reason: "locking_clause",
      message:
        "Row-locking clauses (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE) may not be used in a read-only query.",
    });
  }
  if (Array.isArray(node.from)) {
    for (const item of node.from) visitFromItem(item, scope, ctx);
  } else if (node.from != null) {
    visitFromItem(node.from, scope, ctx);
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === "with" || key === "from" || key === "_next" || key === "loc") continue;
    walk(child, scope, ctx);
  }
  // `(WITH x AS … SELECT …) UNION SELECT … FROM x`: the CTE does not reach past the parentheses.
  walk(node._next, node.parentheses_symbol === true ? outer : scope, ctx);
}

function visitTableRef(item: Node, scope: ReadonlySet<string>, ctx: Context): void {
  const parts = [item.db, item.schema, item.table].filter(
    (p): p is string => typeof p === "string" && p.length > 0,
  );
  const display = parts.join(".");
  if (parts.length === 1 && ctx.stringTableCandidates.has(parts[0]!)) {
    add(ctx, {
      reason: "file_reference",
      message: `Reading files directly ('${display}') is not allowed; query the workspace's tables instead.`,
    });
    return;
  }
  if (parts.length === 1 && KEYWORD_TABLE_NAMES.has(foldCase(parts[0]!))) {
    add(ctx, { reason: "unsupported", message: `FROM ${parts[0]!.toUpperCase()} … is not supported here.` });
    return;
  }
  if (parts.length === 1 && scope.has(foldCase(parts[0]!))) return;
  const match = ctx.matchTable(parts);
  if (match.kind === "allowed") {
    if (!ctx.findings.tables.includes(match.table)) ctx.findings.tables.push(match.table);
  } else if (match.kind === "ambiguous") {
    add(ctx, {
      reason: "ambiguous_table",
      message: `Table ${display} exists in several schemas (${match.candidates.join(", ")}); name the schema, e.g. ${match.candidates[0]}.`,
    });
  } else {
    add(ctx, {
      reason: "unknown_table",
      message: `Table ${display} is not available to this query. ${listTables(ctx.allowedForMessage)}`,
    });
  }
}

function visitFromItem(item: unknown, scope: ReadonlySet<string>, ctx: Context): void {
  if (!isNode(item)) {
    add(ctx, { reason: "unsupported", message: "This FROM clause is not supported." });
    return;
  }
  // Join conditions and the like, whatever the item is.
  walk(item.on, scope, ctx);
  if (item.type === "dual") return;
  if (typeof item.table === "string") {
    visitTableRef(item, scope, ctx);
    // Anything else attached to the table (TABLESAMPLE arguments, hints) is still walked.
    for (const [key, child] of Object.entries(item)) {
      if (!TABLE_REF_KEYS.has(key)) walk(child, scope, ctx);
    }
    return;
  }
  const expr = item.expr;
  if (!isNode(expr)) {
    add(ctx, { reason: "unsupported", message: "This FROM clause is not supported." });
    return;
  }
  const name = functionName(expr);
  if (name) {
    const last = name[name.length - 1]!;
    if (name.length === 1 && isAllowedTableFunction(last)) {
      walk(expr, scope, ctx);
      return;
    }
    add(ctx, {
      reason: "table_function",
      message: `Table functions such as ${name.join(".")}() may not be used in FROM; only unnest(), generate_series() and range() are allowed.`,
    });
    return;
  }
  if (expr.type === "tables" && Array.isArray(expr.expr)) {
    for (const inner of expr.expr) visitFromItem(inner, scope, ctx);
    return;
  }
  if (isNode(expr.ast) || expr.type === "select" || expr.type === "values") {
    walk(expr, scope, ctx);
    return;
  }
  add(ctx, { reason: "unsupported", message: "This FROM clause is not supported." });
}

export function inspectAst(
  ast: unknown,
  options: {
    matchTable: TableMatcher;
    allowedTables: readonly string[];
    stringTableCandidates: ReadonlySet<string>;
  },
): AstFindings {
  const findings: AstFindings = { violations: [], tables: [], cteNames: new Set() };
  const ctx: Context = {
    matchTable: options.matchTable,
    allowedForMessage: options.allowedTables,
    stringTableCandidates: options.stringTableCandidates,
    findings,
  };
  walk(ast, new Set(), ctx);
  return findings;
}
