/**
 * A small SQL lexer that follows each database's own rules for comments, quotes and
 * statement separators. The parser (node-sql-parser) does not always agree with the
 * database: it reads `'a\'` as an escaped quote where PostgreSQL and DuckDB end the string,
 * treats MySQL's `--x` as a comment where MySQL sees `- -x`, and ignores MySQL's executable
 * `/*! … *\/` comments. So the guard lexes first, refuses what could be read two ways, and
 * gives the parser (and later the database) the text with every comment blanked out: what
 * runs is exactly what was checked.
 */
import { SqlRefused } from "./sql-guard.errors.js";
import type { SqlDialect } from "./sql-guard.js";

export type TokenKind = "word" | "quoted" | "string" | "number" | "param" | "punct";

export interface Token {
  kind: TokenKind;
  /** The token as written. */
  text: string;
  /** Words as written; quoted identifiers and strings without their quotes. */
  value: string;
  start: number;
  end: number;
  /** Parenthesis depth (0 = top level); a pair of parentheses shares its outer depth. */
  depth: number;
}

export interface LexedSql {
  source: string;
  tokens: Token[];
  /** Comments and unusual whitespace (\f, \v): replaced by spaces before parsing. */
  blanks: Array<{ start: number; end: number }>;
}

const SPACE = new Set([" ", "\t", "\n", "\r", "\f", "\v"]);
const ODD_SPACE = new Set(["\f", "\v"]);

function isWordStart(ch: string, dialect: SqlDialect): boolean {
  return /[A-Za-z_]/.test(ch) || ch.charCodeAt(0) >= 0x80 || (dialect === "mysql" && ch === "$");
}

function isWordPart(ch: string | undefined): boolean {
  return ch !== undefined && (/[A-Za-z0-9_$]/.test(ch) || ch.charCodeAt(0) >= 0x80);
}

const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/y;

function ambiguous(message: string, at: number): SqlRefused {
  return new SqlRefused("ambiguous_syntax", message, { position: at });
}

function unterminated(what: string, at: number): SqlRefused {
  return new SqlRefused("parse_error", `The SQL ends inside an unterminated ${what}.`, { position: at });
}

/** Index just past a quoted run starting at `open`; doubled quotes stay inside. */
function scanQuoted(source: string, open: number, quote: string, backslashMatters: boolean): number {
  let i = open + 1;
  for (;;) {
    const ch = source[i];
    if (ch === undefined) throw unterminated(quote === "'" ? "string" : "quoted name", open);
    if (backslashMatters && ch === "\\" && source[i + 1] === quote) {
      // PostgreSQL and DuckDB end the string here, MySQL and the parser do not.
      throw ambiguous(
        `A backslash before a closing quote (\\${quote}) is read differently by different databases; ` +
          `write a quote inside a string as ${quote}${quote}.`,
        i,
      );
    }
    if (ch === quote) {
      if (source[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
}

function unquote(text: string, quote: string): string {
  return text
    .slice(1, -1)
    .split(quote + quote)
    .join(quote);
}

function stringPrefix(word: string, dialect: SqlDialect): boolean {
  const w = word.toLowerCase();
  if (dialect === "mysql") return w === "n" || w === "b" || w === "x" || w.startsWith("_");
  return w === "e" || w === "b" || w === "x" || w === "n";
}

export function lexSql(source: string, dialect: SqlDialect): LexedSql {
  const tokens: Token[] = [];
  const blanks: LexedSql["blanks"] = [];
  const nestedComments = dialect !== "mysql";
  let depth = 0;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) => {
    const text = source.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, start, end, depth });
  };

  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1];
    const code = ch.charCodeAt(0);

    if (SPACE.has(ch)) {
      if (ODD_SPACE.has(ch)) blanks.push({ start: i, end: i + 1 });
      i += 1;
      continue;
    }
    if (code < 0x20 || code === 0x7f) {
      throw ambiguous(`The SQL contains a control character (code ${code}) outside a string.`, i);
    }

    // Line comments: `--` everywhere, `#` in MySQL.
    if ((ch === "-" && next === "-") || (ch === "#" && dialect === "mysql")) {
      if (dialect === "mysql" && ch === "-") {
        const after = source[i + 2];
        if (after !== undefined && !SPACE.has(after) && after.charCodeAt(0) >= 0x20) {
          throw ambiguous(
            "In MySQL `--` starts a comment only when a space follows it; write `-- ` or `- -`.",
            i,
          );
        }
      }
      let end = i;
      while (end < source.length && source[end] !== "\n" && (dialect === "mysql" || source[end] !== "\r"))
        end++;
      blanks.push({ start: i, end });
      i = end;
      continue;
    }

    if (ch === "/" && next === "*") {
      if (dialect === "mysql" && (source[i + 2] === "!" || source.startsWith("M!", i + 2))) {
        throw ambiguous("MySQL executable comments (/*! … */) are not allowed.", i);
      }
      let level = 1;
      let j = i + 2;
      while (level > 0) {
        if (j >= source.length) throw unterminated("comment", i);
        if (source[j] === "*" && source[j + 1] === "/") {
          level -= 1;
          j += 2;
        } else if (nestedComments && source[j] === "/" && source[j + 1] === "*") {
          level += 1;
          j += 2;
        } else {
          j += 1;
        }
      }
      blanks.push({ start: i, end: j });
      i = j;
      continue;
    }

    if (ch === "'") {
      const end = scanQuoted(source, i, "'", true);
      push("string", i, end, unquote(source.slice(i, end), "'"));
      i = end;
      continue;
    }
    if (ch === '"') {
      const end = scanQuoted(source, i, '"', true);
      // MySQL reads "…" as a string unless ANSI_QUOTES is on; both readings end here.
      push(dialect === "mysql" ? "string" : "quoted", i, end, unquote(source.slice(i, end), '"'));
      i = end;
      continue;
    }
    if (ch === "`" && dialect === "mysql") {
      const end = scanQuoted(source, i, "`", false);
      push("quoted", i, end, unquote(source.slice(i, end), "`"));
      i = end;
      continue;
    }

    if (ch === "$" && dialect !== "mysql") {
      if (next !== undefined && /[0-9]/.test(next)) {
        let end = i + 1;
        while (end < source.length && /[0-9]/.test(source[end]!)) end++;
        push("param", i, end);
        i = end;
        continue;
      }
      throw ambiguous("Dollar-quoted strings and $name parameters are not supported; use '…' strings.", i);
    }

    NUMBER.lastIndex = i;
    const number = NUMBER.exec(source);
    if (number && number[0].length > 0 && (/[0-9]/.test(ch) || ch === ".")) {
      let end = i + number[0].length;
      if (dialect === "mysql" && isWordPart(source[end])) {
        // MySQL identifiers may start with a digit (`1st_quarter`).
        while (isWordPart(source[end])) end++;
        push("word", i, end);
      } else {
        push("number", i, end);
      }
      i = end;
      continue;
    }

    if (isWordStart(ch, dialect)) {
      let end = i + 1;
      while (isWordPart(source[end])) end++;
      const word = source.slice(i, end);
      const quote = source[end];
      if (quote === "'" && stringPrefix(word, dialect)) {
        const close = scanQuoted(source, end, "'", true);
        push("string", i, close, unquote(source.slice(end, close), "'"));
        i = close;
        continue;
      }
      if (dialect !== "mysql" && /^u$/i.test(word) && source[end] === "&") {
        const q = source[end + 1];
        if (q === "'" || q === '"') {
          const close = scanQuoted(source, end + 1, q, true);
          push(q === "'" ? "string" : "quoted", i, close, unquote(source.slice(end + 1, close), q));
          i = close;
          continue;
        }
      }
      push("word", i, end);
      i = end;
      continue;
    }

    if (ch === "(") {
      push("punct", i, i + 1);
      depth += 1;
    } else if (ch === ")") {
      depth = Math.max(0, depth - 1);
      push("punct", i, i + 1);
    } else {
      push("punct", i, i + 1);
    }
    i += 1;
  }
  return { source, tokens, blanks };
}

/** Statements as token runs between `;`, dropping empty ones. */
export function splitStatements(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === "punct" && token.text === ";") {
      if (current.length > 0) statements.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

/**
 * The source between `start` and `end` with comments blanked. `aligned` keeps every offset
 * and line (for the parser, so its error positions match what the user typed); `compact`
 * puts one space where each comment was (for the statement that runs).
 */
export function renderSource(
  lexed: LexedSql,
  start: number,
  end: number,
  mode: "aligned" | "compact",
): string {
  let out = "";
  let at = start;
  for (const blank of lexed.blanks) {
    if (blank.end <= start || blank.start >= end) continue;
    out += lexed.source.slice(at, blank.start);
    const hidden = lexed.source.slice(blank.start, blank.end);
    out += mode === "aligned" ? hidden.replace(/[^\n\r]/g, " ") : " ";
    at = blank.end;
  }
  return out + lexed.source.slice(at, end);
}

/** Lower-case key word of a token, or "" when it is not an unquoted word. */
export function keyword(token: Token | undefined): string {
  return token?.kind === "word" ? token.value.toLowerCase() : "";
}
