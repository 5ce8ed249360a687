/**
 * The single gate every SQL statement passes before it runs, whether a person typed it or
 * an AI wrote it: exactly one read-only SELECT over the caller's tables, with no file,
 * session or side-effect functions, capped to maxRows + 1 rows. Pure: no I/O.
 *
 * How it decides, in order:
 * 1. Lex with the target database's own rules (sql-guard.lexer.ts): refuse text the parser
 *    and the database could read differently, count statements, blank out comments.
 * 2. Cheap token checks that hold whatever the grammar supports: the statement starts with
 *    SELECT/WITH, no INTO, no row locks, no forbidden function called anywhere.
 * 3. Parse the comment-free text with node-sql-parser (PostgreSQL grammar for PostgreSQL
 *    and DuckDB, MySQL grammar for MySQL/MariaDB) and walk every node (sql-guard.ast.ts):
 *    statement types, SELECT … INTO, table functions, tables against options.tables with
 *    CTE scoping, string literals used as tables, variables.
 * 4. Return the comment-free statement with a row cap; that text is what runs.
 */
import mysqlGrammar from "node-sql-parser/build/mysql.js";
import postgresGrammar from "node-sql-parser/build/postgresql.js";
import { inspectAst, KEYWORD_TABLE_NAMES } from "./sql-guard.ast.js";
import { mostSerious, SqlRefused, type Violation } from "./sql-guard.errors.js";
import {
  keyword,
  type LexedSql,
  lexSql,
  renderSource,
  splitStatements,
  type Token,
} from "./sql-guard.lexer.js";
import { createTableMatcher, foldCase } from "./sql-guard.rules.js";
import { stringsInTablePosition, tokenViolations } from "./sql-guard.tokens.js";

export { type SqlRefusalReason, SqlRefused } from "./sql-guard.errors.js";

export type SqlDialect = "duckdb" | "postgresql" | "mysql";

export interface GuardOptions {
  dialect: SqlDialect;
  /**
   * Tables the caller may read, compared case-insensitively. Entries may be schema-qualified
   * ("public.orders"). A qualified reference must match an entry part for part; an
   * unqualified one matches the single entry with that table name in any schema, and is
   * refused as ambiguous when several schemas have it. The database resolves unqualified
   * names through its search path, so an executor given qualified tables must set
   * search_path (PostgreSQL) or the default database (MySQL) to the source's schema.
   */
  tables: string[];
  /** Row cap; the returned SQL fetches at most maxRows + 1 rows so the caller can tell the result was cut. */
  maxRows: number;
}

export interface GuardedQuery {
  /**
   * The statement to run: the user's single SELECT, comments removed, capped to maxRows + 1
   * rows. PostgreSQL and DuckDB: `select * from (<statement>\n) as sightline_q limit n`.
   * MySQL: `LIMIT n` appended, or the statement's own top-level LIMIT lowered to n, because
   * a derived table there rejects duplicate column names and MariaDB drops its ORDER BY;
   * wrapped as above only when its LIMIT is not a plain number.
   */
  sql: string;
  /**
   * The statement as tokens joined by single spaces, comments and the trailing semicolon
   * removed, keywords and unquoted names lower-cased (PostgreSQL and DuckDB, where they are
   * case-insensitive; MySQL table names can be case-sensitive, so its words keep their
   * case). For cache keys: equal keys mean the same query; the row cap is not part of it.
   */
  normalized: string;
  /** Tables it reads, as given in options.tables, in order of first use. */
  tables: string[];
}

const parsers = {
  postgresql: new postgresGrammar.Parser(),
  mysql: new mysqlGrammar.Parser(),
};

const DIALECT_NAMES: Record<SqlDialect, string> = {
  duckdb: "DuckDB",
  postgresql: "PostgreSQL",
  mysql: "MySQL",
};

export function guardSql(sql: string, options: GuardOptions): GuardedQuery {
  if (!Number.isSafeInteger(options.maxRows) || options.maxRows < 0) {
    throw new RangeError(`maxRows must be a non-negative integer, got ${options.maxRows}`);
  }
  const { dialect } = options;
  const lexed = lexSql(sql, dialect);
  const statements = splitStatements(lexed.tokens);
  if (statements.length === 0) throw new SqlRefused("empty", "There is no SQL statement to run.");
  if (statements.length > 1) {
    throw new SqlRefused(
      "multiple_statements",
      `Only one SELECT statement may run; found ${statements.length} statements.`,
      { statements: statements.length },
    );
  }
  const tokens = statements[0]!;
  const lexical = tokenViolations(tokens, dialect);

  const grammar = dialect === "mysql" ? "mysql" : "postgresql";
  let parsed: { ast: unknown; tableList: string[] };
  try {
    parsed = parsers[grammar].parse(parserText(lexed, tokens), { database: grammar });
  } catch (error) {
    const worst = mostSerious(lexical);
    if (worst) throw new SqlRefused(worst.reason, worst.message);
    throw parseRefusal(error, tokens, dialect);
  }

  const asts = (Array.isArray(parsed.ast) ? parsed.ast : [parsed.ast]).filter((a) => a != null);
  if (asts.length !== 1) {
    throw new SqlRefused(
      asts.length === 0 ? "empty" : "multiple_statements",
      asts.length === 0
        ? "There is no SQL statement to run."
        : `Only one SELECT statement may run; found ${asts.length} statements.`,
    );
  }
  const ast = asts[0] as { type?: unknown };
  if (ast.type !== "select") {
    const kind = typeof ast.type === "string" ? ast.type.toUpperCase() : "non-query";
    throw new SqlRefused("not_select", `Only SELECT queries may run, not ${kind} statements.`);
  }

  const matchTable = createTableMatcher(options.tables);
  let findings: ReturnType<typeof inspectAst>;
  try {
    findings = inspectAst(ast, {
      matchTable,
      allowedTables: options.tables,
      stringTableCandidates: stringsInTablePosition(tokens),
    });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep();
    throw error;
  }
  const violations = [
    ...lexical,
    ...findings.violations,
    ...tableListViolations(parsed.tableList, findings.cteNames, matchTable),
  ];
  const worst = mostSerious(violations);
  if (worst) throw new SqlRefused(worst.reason, worst.message);

  return {
    sql: capRows(lexed, tokens, options),
    normalized: tokens
      .map((t) => (t.kind === "word" && dialect !== "mysql" ? foldCase(t.text) : t.text))
      .join(" "),
    tables: findings.tables,
  };
}

/**
 * The statement as the parser sees it: comments blanked, and everything before and after it
 * (semicolons included) left out, with line and column positions kept for error messages.
 */
function parserText(lexed: LexedSql, tokens: readonly Token[]): string {
  const start = tokens[0]!.start;
  const lead = lexed.source.slice(0, start).replace(/[^\n]/g, " ");
  return lead + renderSource(lexed, start, tokens[tokens.length - 1]!.end, "aligned");
}

/** The parser's own list of tables, checked again: a second opinion on anything the walk missed. */
function tableListViolations(
  tableList: readonly string[],
  cteNames: ReadonlySet<string>,
  matchTable: ReturnType<typeof createTableMatcher>,
): Violation[] {
  const violations: Violation[] = [];
  for (const entry of tableList) {
    const [type = "", db = "null", ...rest] = entry.split("::");
    const table = rest.join("::");
    if (foldCase(type) !== "select") {
      violations.push({
        reason: "not_select",
        message: `Only SELECT queries may run; found ${type.toUpperCase()}.`,
      });
      continue;
    }
    const parts = db === "null" ? [table] : [...db.split("."), table];
    if (parts.length === 1 && (cteNames.has(foldCase(table)) || KEYWORD_TABLE_NAMES.has(foldCase(table))))
      continue;
    const match = matchTable(parts);
    if (match.kind !== "allowed") {
      violations.push({
        reason: match.kind === "ambiguous" ? "ambiguous_table" : "unknown_table",
        message: `Table ${parts.join(".")} is not available to this query.`,
      });
    }
  }
  return violations;
}

function capRows(lexed: LexedSql, tokens: readonly Token[], options: GuardOptions): string {
  const cap = options.maxRows + 1;
  const start = tokens[0]!.start;
  const end = tokens[tokens.length - 1]!.end;
  const statement = renderSource(lexed, start, end, "compact");
  if (options.dialect === "mysql") {
    const limit = mysqlLimit(tokens);
    if (limit === "none") return `${statement}\nlimit ${cap}`;
    if (limit !== "complex") {
      const current = Number(limit.text);
      if (current <= cap) return statement;
      return `${renderSource(lexed, start, limit.start, "compact")}${cap}${renderSource(lexed, limit.end, end, "compact")}`;
    }
  }
  // The newline keeps a trailing construct from reaching the closing parenthesis.
  return `select * from (${statement}\n) as sightline_q limit ${cap}`;
}

/** The row-count token of a top-level `LIMIT n`, `LIMIT n OFFSET m` or `LIMIT m, n`. */
function mysqlLimit(tokens: readonly Token[]): Token | "none" | "complex" {
  let at = -1;
  tokens.forEach((t, i) => {
    if (t.depth === 0 && keyword(t) === "limit") at = i;
  });
  if (at < 0) return "none";
  const tail = tokens.slice(at + 1);
  const isCount = (t: Token | undefined) => t?.kind === "number" && /^\d+$/.test(t.text);
  if (tail.length === 1 && isCount(tail[0])) return tail[0]!;
  if (tail.length === 3 && isCount(tail[0]) && isCount(tail[2])) {
    if (tail[1]!.text === ",") return tail[2]!;
    if (keyword(tail[1]) === "offset") return tail[0]!;
  }
  return "complex";
}

/** Syntax analysts reach for that the parser's grammar lacks, with what to write instead. */
const HINTS: Array<{ test: (words: string[], texts: string[]) => boolean; hint: string }> = [
  {
    test: (w) => w.includes("qualify"),
    hint: "QUALIFY is not supported; filter on the window function in an outer query.",
  },
  {
    test: (w, t) => t.some((x, i) => x === "*" && ["exclude", "replace", "rename"].includes(w[i + 1] ?? "")),
    hint: "SELECT * EXCLUDE/REPLACE is not supported; list the columns you want.",
  },
  {
    test: (_, t) => t.includes("[") || t.includes("{"),
    hint: "List and struct literals ([…], {…}) are not supported; use list_value(…).",
  },
  {
    test: (w) => w.includes("grouping"),
    hint: "GROUPING SETS is not supported; use ROLLUP, CUBE or UNION ALL.",
  },
  {
    test: (w) =>
      w.some((x, i) => x === "range" && ["between", "unbounded", "current"].includes(w[i + 1] ?? "")),
    hint: "RANGE window frames are not supported; use ROWS.",
  },
  {
    test: (w) => w.includes("percent_rank") || w.includes("cume_dist"),
    hint: "percent_rank() and cume_dist() are not supported; compute them from rank() and count(*) over ().",
  },
  {
    test: (w) => w.includes("substring") && w.includes("for"),
    hint: "Write substring(text, start, length).",
  },
  {
    test: (w) =>
      w.includes("fetch") || w.some((x, i) => (x === "rows" || x === "row") && w[i - 2] === "offset"),
    hint: "Write LIMIT n OFFSET m instead of FETCH FIRST / OFFSET … ROWS.",
  },
  { test: (w) => w.includes("ordinality"), hint: "WITH ORDINALITY is not supported." },
  {
    test: (w) => w.some((x, i) => x === "by" && w[i + 1] === "all"),
    hint: "GROUP BY ALL and ORDER BY ALL are not supported; list the columns.",
  },
  { test: (w) => w.includes("pivot") || w.includes("unpivot"), hint: "PIVOT and UNPIVOT are not supported." },
  {
    test: (w) => w.includes("filter") && w.includes("over"),
    hint: "FILTER (WHERE …) together with OVER (…) is not supported; use CASE inside the aggregate.",
  },
];

function tooDeep(): SqlRefused {
  return new SqlRefused("parse_error", "The SQL is nested too deeply to check; simplify the expression.");
}

function parseRefusal(error: unknown, tokens: readonly Token[], dialect: SqlDialect): SqlRefused {
  if (error instanceof RangeError) return tooDeep();
  const e = error as {
    message?: unknown;
    found?: unknown;
    location?: { start?: { offset?: number; line?: number; column?: number } };
  };
  const parserMessage = typeof e.message === "string" ? e.message : String(error);
  const line = e.location?.start?.line;
  const column = e.location?.start?.column;
  const where = line !== undefined && column !== undefined ? ` at line ${line}, column ${column}` : "";
  const offset = e.location?.start?.offset;
  const near = offset === undefined ? undefined : tokens.find((t) => t.end > offset);
  const what = near ? `near "${near.text}"` : e.found === null ? "unexpected end of input" : parserMessage;
  const words = tokens.map(keyword);
  const texts = tokens.map((t) => t.text);
  const hint = HINTS.find((h) => h.test(words, texts))?.hint;
  return new SqlRefused(
    "parse_error",
    `Could not parse the SQL as ${DIALECT_NAMES[dialect]}${where}: ${what}.${hint ? ` ${hint}` : ""}`,
    { parserMessage, line, column },
  );
}
