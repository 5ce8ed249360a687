import { isUtf8 } from "node:buffer";
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { AppError, Invalid } from "../../platform/errors.js";
// A cycle, but only at call time: the engine delegates its loads to this file.
import { QueryFailed } from "./duckdb-engine.js";

/** Formats DuckDB reads directly; spreadsheets and database files are turned into these first. */
export type FileFormat = "csv" | "tsv" | "json" | "ndjson" | "parquet";

/** What an ingest does with malformed CSV rows: `reject` fails the load, `skip` loads the rest. */
export type RowPolicy = "reject" | "skip";

export interface IngestPart {
  file: string;
  table: string;
  format: FileFormat;
  /** A CSV Sightline wrote itself: it has a header, its types come from every row, and `""` is an empty string. */
  generated?: boolean;
  /** A CSV's text encoding; by default judged from its first megabyte (csvEncodingOf). */
  encoding?: CsvEncoding;
}

/** The encodings DuckDB reads without extensions. */
export type CsvEncoding = "utf-8" | "utf-16" | "latin-1";

/**
 * A CSV's encoding from its first megabyte: a UTF-16 byte-order mark, else UTF-8 when the bytes
 * are valid UTF-8, else Latin-1 (which every byte sequence is). A file that turns out not to be
 * UTF-8 past the sample is read again as Latin-1 by the ingest.
 */
export function csvEncodingOf(file: string): CsvEncoding {
  const descriptor = openSync(file, "r");
  try {
    const sample = Buffer.alloc(1 << 20);
    const read = readSync(descriptor, sample, 0, sample.length, 0);
    const bytes = sample.subarray(0, read);
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return "utf-16";
    // A full sample may end inside a character: judge it up to its last ASCII byte.
    let end = bytes.length;
    if (read === sample.length) while (end > 0 && (bytes[end - 1] ?? 0) >= 0x80) end--;
    return isUtf8(bytes.subarray(0, end)) ? "utf-8" : "latin-1";
  } finally {
    closeSync(descriptor);
  }
}

export interface IngestOptions {
  mode?: "replace" | "append";
  rowPolicy?: RowPolicy;
  /** Where skipped rows go (line, error, original line) under `skip`; written only when rows were skipped. */
  quarantine?: string;
  /** The file's name as its owner knows it, for messages (the stored path is not shown). */
  label?: string;
  /** Tables to drop in the same transaction, e.g. the sheets a replaced workbook no longer has. */
  drop?: string[];
  onProgress?: (progress: { table: string; percentage: number; rowsProcessed: number }) => void;
}

export interface MalformedRow {
  line: number;
  error: string;
}

export interface IngestResult {
  tables: { table: string; rows: number }[];
  /** Malformed rows skipped under `skip`. */
  rejected: number;
  /** The first few of them. */
  examples: MalformedRow[];
  /** Set when skipped rows were written to `options.quarantine`. */
  quarantine?: string;
}

/** Under `reject`, the file had malformed rows: nothing was loaded. */
export class MalformedRows extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(400, "malformed_rows", message, extra);
  }
}

export class ColumnsMismatch extends AppError {
  constructor(message: string) {
    super(400, "columns_mismatch", message);
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteString = (value: string) => `'${value.replaceAll("'", "''")}'`;

let scans = 0;

const isCsv = (part: Pick<IngestPart, "format">) => part.format === "csv" || part.format === "tsv";

/** CSVs read as UTF-8 because their first megabyte was. */
const assumedUtf8 = (parts: IngestPart[]) =>
  parts.filter(
    (part) => isCsv(part) && !part.generated && (part.encoding ?? csvEncodingOf(part.file)) === "utf-8",
  );

/** Valid UTF-8 in the sample but not further on: those files are Latin-1 after all. */
const asLatin1 = (parts: IngestPart[]) => {
  const misread = new Set(assumedUtf8(parts));
  return parts.map((part) => (misread.has(part) ? { ...part, encoding: "latin-1" as const } : part));
};

/** The table function that reads one file; CSV readers record malformed rows in `rejects`. */
export function readerOf(
  part: Pick<IngestPart, "file" | "format" | "generated" | "encoding">,
  rejects?: string,
): string {
  const at = quoteString(path.resolve(part.file));
  switch (part.format) {
    case "csv":
    case "tsv": {
      const options = ["auto_detect = true"];
      if (part.format === "tsv") options.push("delim = '\\t'");
      const encoding = part.encoding ?? (part.generated ? "utf-8" : csvEncodingOf(part.file));
      if (encoding !== "utf-8") options.push(`encoding = '${encoding}'`);
      options.push(
        part.generated
          ? "sample_size = -1, header = true, allow_quoted_nulls = false"
          : "sample_size = 20480",
      );
      if (rejects) {
        options.push(
          `store_rejects = true, rejects_table = ${quoteString(rejects)}, rejects_scan = ${quoteString(`${rejects}_scan`)}`,
        );
      }
      return `read_csv(${at}, ${options.join(", ")})`;
    }
    case "json":
      return `read_json_auto(${at})`;
    case "ndjson":
      return `read_json_auto(${at}, format = 'newline_delimited')`;
    case "parquet":
      return `read_parquet(${at})`;
  }
}

async function columnNames(connection: DuckDBConnection, sql: string): Promise<string[]> {
  return (await connection.runAndReadAll(sql)).getRowsJson().map((row) => String(row[0]));
}

async function checkAppendable(connection: DuckDBConnection, part: IngestPart, label: string) {
  const existing = await columnNames(
    connection,
    `select column_name from duckdb_columns() where schema_name = 'main' and table_name = ${quoteString(part.table)} order by column_index`,
  );
  if (existing.length === 0) throw new Invalid(`There is no table ${part.table} to append to`);
  const incoming = await columnNames(connection, `describe select * from ${readerOf(part)}`);
  const lower = (names: string[]) => new Set(names.map((name) => name.toLowerCase()));
  const have = lower(existing);
  const got = lower(incoming);
  const missing = existing.filter((name) => !got.has(name.toLowerCase()));
  const extra = incoming.filter((name) => !have.has(name.toLowerCase()));
  if (missing.length || extra.length) {
    throw new ColumnsMismatch(
      `${label} cannot be appended to ${part.table}: its columns differ` +
        (missing.length ? `; missing ${missing.join(", ")}` : "") +
        (extra.length ? `; not in the table: ${extra.join(", ")}` : ""),
    );
  }
}

/** DuckDB's message without the statement and the stored path, neither of which means anything to the user. */
function reasonOf(error: unknown, files: string[], label: string): string {
  let reason = ((error as Error).message.split(/\n\s*\nLINE \d+:/)[0] ?? "").trim();
  for (const file of files) reason = reason.replaceAll(path.resolve(file), label);
  return reason;
}

/**
 * Loads files into tables on one connection in one transaction: a failed load leaves every
 * table as it was. `replace` swaps a table's contents; `append` adds rows (the columns must
 * match). Malformed CSV rows are recorded with their line numbers: under `reject` any of them
 * fails the load, under `skip` the other rows load and the skipped ones go to `quarantine`.
 */
export async function ingestParts(
  connection: DuckDBConnection,
  parts: IngestPart[],
  options: IngestOptions = {},
): Promise<IngestResult> {
  const label = options.label ?? path.basename(parts[0]?.file ?? "");
  for (const part of parts) {
    if (!existsSync(part.file)) throw new Invalid(`No such file: ${part.file}`);
  }
  const scan = ++scans;
  const rejectTables: string[] = [];
  await connection.run("begin transaction");
  try {
    const tables: IngestResult["tables"] = [];
    for (const [index, part] of parts.entries()) {
      const table = quoteIdent(part.table);
      const rejects = part.format === "csv" || part.format === "tsv" ? `rejects_${scan}_${index}` : undefined;
      if (rejects) rejectTables.push(rejects);
      if (options.mode === "append") await checkAppendable(connection, part, label);
      const reader = readerOf(part, rejects);
      const statement =
        options.mode === "append"
          ? `insert into ${table} by name select * from ${reader}`
          : `create or replace table ${table} as select * from ${reader}`;
      const progress = options.onProgress;
      const timer = progress
        ? setInterval(() => {
            const { percentage, rows_processed } = connection.progress;
            if (percentage >= 0)
              progress({ table: part.table, percentage, rowsProcessed: Number(rows_processed) });
          }, 250)
        : undefined;
      try {
        await connection.run(statement);
      } finally {
        clearInterval(timer);
      }
      const counted = await connection.runAndReadAll(`select count(*) from ${table}`);
      tables.push({ table: part.table, rows: Number(counted.getRowsJson()[0]?.[0] ?? 0) });
    }
    for (const name of options.drop ?? []) {
      if (!parts.some((part) => part.table === name))
        await connection.run(`drop table if exists ${quoteIdent(name)}`);
    }
    // A row can break several rules (two missing columns are two errors): count and list lines, not errors.
    const malformed = rejectTables.length
      ? `select part, line, string_agg(error_message, '; ' order by error_message) as error, min(csv_line) as original_line ` +
        `from (${rejectTables
          .map(
            (name, index) =>
              `select ${index} as part, line, error_message, csv_line from temp.${quoteIdent(name)}`,
          )
          .join(" union all ")}) group by part, line`
      : "";
    let rejected = 0;
    let examples: MalformedRow[] = [];
    if (malformed) {
      const counted = await connection.runAndReadAll(`select count(*) from (${malformed})`);
      rejected = Number(counted.getRowsJson()[0]?.[0] ?? 0);
      if (rejected > 0) {
        const first = await connection.runAndReadAll(
          `select line, error from (${malformed}) order by part, line limit 5`,
        );
        examples = first.getRowsJson().map((row) => ({ line: Number(row[0]), error: String(row[1]) }));
      }
    }
    if (rejected > 0 && assumedUtf8(parts).length > 0) {
      const unicode = await connection.runAndReadAll(
        `select count(*) from (${malformed}) where error ilike '%invalid unicode%'`,
      );
      if (Number(unicode.getRowsJson()[0]?.[0] ?? 0) > 0) {
        await connection.run("rollback");
        return ingestParts(connection, asLatin1(parts), options);
      }
    }
    if (rejected > 0 && options.rowPolicy !== "skip") {
      const lines = examples.map((row) => `line ${row.line}: ${row.error}`).join("; ");
      throw new MalformedRows(
        `Could not load ${label}: ${rejected} malformed row${rejected === 1 ? "" : "s"} (${lines}${rejected > examples.length ? "; …" : ""}). ` +
          "Fix them, or load the file with the row policy `skip` to load the other rows and set these aside.",
        { rejectedRows: rejected, examples },
      );
    }
    let quarantine: string | undefined;
    if (rejected > 0 && options.quarantine) {
      await connection.run(
        `copy (select line, error, original_line from (${malformed}) order by part, line) ` +
          `to ${quoteString(path.resolve(options.quarantine))} (format csv, header true)`,
      );
      quarantine = options.quarantine;
    }
    await connection.run("commit");
    return { tables, rejected, examples, ...(quarantine ? { quarantine } : {}) };
  } catch (error) {
    await connection.run("rollback").catch(() => undefined);
    if (error instanceof AppError) throw error;
    if (/invalid unicode/i.test((error as Error).message) && assumedUtf8(parts).length > 0) {
      return ingestParts(connection, asLatin1(parts), options);
    }
    throw new QueryFailed(
      `Could not load ${label}: ${reasonOf(
        error,
        parts.map((part) => part.file),
        label,
      )}`,
    );
  } finally {
    for (const name of rejectTables) {
      await connection.run(`drop table if exists temp.${quoteIdent(name)}`).catch(() => undefined);
      await connection.run(`drop table if exists temp.${quoteIdent(`${name}_scan`)}`).catch(() => undefined);
    }
  }
}
