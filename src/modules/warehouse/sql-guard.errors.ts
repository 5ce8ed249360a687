import { AppError } from "../../platform/errors.js";

/**
 * Why a statement was refused. Stable: callers branch on these and the API returns them.
 * - `empty`: nothing but whitespace, comments or semicolons.
 * - `parse_error`: the parser could not read it (unsupported syntax included).
 * - `ambiguous_syntax`: a construct the parser and the database could read differently
 *   (a backslash before a closing quote, MySQL `--x` or `/*! … *\/`, dollar quoting…).
 * - `multiple_statements`, `not_select`, `select_into`, `locking_clause`.
 * - `file_reference`: a string literal used as a table (DuckDB reads it as a file path).
 * - `table_function`: a function in FROM other than unnest, generate_series or range.
 * - `forbidden_function`: a file, session, sleep, lock or side-effect function anywhere.
 * - `variable`: session variables, assignments or bind parameters (`@x`, `@@datadir`, `$1`).
 * - `unknown_table`, `ambiguous_table`: a table outside `options.tables`, or an unqualified
 *   name that matches allowed tables in several schemas.
 * - `unsupported`: a FROM item whose shape the guard does not recognise.
 */
export type SqlRefusalReason =
  | "empty"
  | "parse_error"
  | "ambiguous_syntax"
  | "multiple_statements"
  | "not_select"
  | "select_into"
  | "locking_clause"
  | "file_reference"
  | "table_function"
  | "forbidden_function"
  | "variable"
  | "unknown_table"
  | "ambiguous_table"
  | "unsupported";

/** Thrown for any statement the guard will not let run: 400 `sql_refused` with `extra.reason`. */
export class SqlRefused extends AppError {
  readonly reason: SqlRefusalReason;

  constructor(reason: SqlRefusalReason, message: string, extra: Record<string, unknown> = {}) {
    super(400, "sql_refused", message, { ...extra, reason });
    this.reason = reason;
  }
}

export interface Violation {
  reason: SqlRefusalReason;
  message: string;
}

/** When a statement breaks several rules, the one reported is the first in this list. */
const PRIORITY: SqlRefusalReason[] = [
  "not_select",
  "select_into",
  "locking_clause",
  "file_reference",
  "table_function",
  "forbidden_function",
  "variable",
  "unknown_table",
  "ambiguous_table",
  "unsupported",
];

export function mostSerious(violations: Violation[]): Violation | undefined {
  let best: Violation | undefined;
  for (const v of violations) {
    if (!best || PRIORITY.indexOf(v.reason) < PRIORITY.indexOf(best.reason)) best = v;
  }
  return best;
}
