/**
 * Checks that need only the lexer's tokens. They hold whatever the parser's grammar
 * supports, so a statement the parser cannot read still gets the precise reason (a write,
 * INTO, a row lock, a forbidden function) rather than a bare parse error.
 */
import type { Violation } from "./sql-guard.errors.js";
import type { SqlDialect } from "./sql-guard.js";
import { keyword, type Token } from "./sql-guard.lexer.js";
import { isForbiddenFunction } from "./sql-guard.rules.js";

/** Statements that write, as they follow a CTE list or hide in one (`WITH x AS (DELETE … RETURNING *)`). */
const WRITE_KEYWORDS = new Set([
  "insert",
  "update",
  "delete",
  "merge",
  "truncate",
  "drop",
  "create",
  "alter",
  "copy",
]);

/** Rules that need only tokens, so they hold even where the grammar falls short. */
export function tokenViolations(tokens: readonly Token[], dialect: SqlDialect): Violation[] {
  const violations: Violation[] = [];
  const first = tokens[0]!;
  const start = keyword(first);
  if (start !== "select" && start !== "with" && first.text !== "(") {
    violations.push({ reason: "not_select", message: notSelectMessage(first) });
  }
  tokens.forEach((token, i) => {
    const word = keyword(token);
    const next = tokens[i + 1];
    const nextWord = keyword(next);
    const before = tokens[i - 1]?.text;
    if (WRITE_KEYWORDS.has(word) && (before === "(" || (before === ")" && token.depth === 0))) {
      violations.push({
        reason: "not_select",
        message: `Only SELECT queries may run; ${word.toUpperCase()} is not allowed inside a query.`,
      });
    }
    if (word === "into") {
      violations.push({
        reason: "select_into",
        message: "SELECT … INTO writes data and may not run; remove the INTO clause.",
      });
    }
    if (
      (word === "for" && ["update", "share", "no", "key"].includes(nextWord)) ||
      (word === "lock" && nextWord === "in")
    ) {
      violations.push({
        reason: "locking_clause",
        message:
          "Row-locking clauses (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE) may not be used in a read-only query.",
      });
    }
    const callable = token.kind === "word" || token.kind === "quoted" || token.kind === "string";
    if (callable && next?.text === "(" && isForbiddenFunction(token.value) && !isColumnList(tokens, i)) {
      violations.push({
        reason: "forbidden_function",
        message: `The function ${token.value}() is not allowed: it can read files, change state or stall the database.`,
      });
    }
    if (token.kind === "param" || (dialect === "mysql" && token.text === "@")) {
      violations.push({
        reason: "variable",
        message: "Variables, assignments and bind parameters (@x, @@setting, $1) may not be used in queries.",
      });
    }
  });
  return violations;
}

/**
 * Whether `name (` at `at` names columns rather than calling a function: a CTE
 * (`WITH name(a, b) AS (`) or an alias (`AS name(a, b)`).
 */
function isColumnList(tokens: readonly Token[], at: number): boolean {
  if (keyword(tokens[at - 1]) === "as") return true;
  const open = tokens[at + 1]!;
  let close = at + 2;
  while (close < tokens.length && !(tokens[close]!.text === ")" && tokens[close]!.depth === open.depth))
    close++;
  const after = keyword(tokens[close + 1]);
  const then = tokens[close + 2];
  return after === "as" && (then?.text === "(" || ["materialized", "not"].includes(keyword(then)));
}

function notSelectMessage(first: Token): string {
  const word = keyword(first);
  if (word === "from")
    return "Only SELECT queries may run; write SELECT … FROM … (FROM-first queries are not supported).";
  if (word === "values" || word === "table") {
    return `Only SELECT queries may run; write SELECT * FROM … instead of ${word.toUpperCase()} ….`;
  }
  if (word) return `Only SELECT queries may run, not ${word.toUpperCase()} statements.`;
  return "Only SELECT queries may run; this is not a SELECT statement.";
}

/** Keywords that end a FROM list at their depth. */
const AFTER_FROM = new Set([
  "where",
  "group",
  "having",
  "order",
  "limit",
  "offset",
  "window",
  "qualify",
  "union",
  "intersect",
  "except",
  "select",
  "fetch",
  "for",
  "into",
]);

/**
 * String literals in table position: right after FROM or JOIN, or after a comma of a FROM
 * list. DuckDB reads `FROM 'x.csv'` as a file, while the parser reports a table "x.csv".
 */
export function stringsInTablePosition(tokens: readonly Token[]): Set<string> {
  const found = new Set<string>();
  const inFrom = new Map<number, boolean>();
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    const word = keyword(token);
    if (word === "from") inFrom.set(token.depth, true);
    else if (AFTER_FROM.has(word)) inFrom.set(token.depth, false);
    else if (token.text === ")") inFrom.set(token.depth + 1, false);
    if (token.kind !== "string") return;
    const before = keyword(previous);
    if (
      before === "from" ||
      before === "join" ||
      (previous?.text === "," && inFrom.get(token.depth) === true)
    ) {
      found.add(token.value);
    }
  });
  return found;
}
