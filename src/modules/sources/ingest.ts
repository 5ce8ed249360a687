import { rmSync } from "node:fs";
import path from "node:path";
import type { DuckEngine, RowPolicy } from "../warehouse/duckdb-engine.js";
import { ColumnsMismatch, readerOf } from "../warehouse/duckdb-ingest.js";
import { expandUpload, tableNamesFor, type UploadFormat } from "./readers/index.js";
import type { SourceTable } from "./sources.tables.js";

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface LoadProgress {
  phase: "reading" | "loading";
  table?: string;
  rowsLoaded?: number;
  percentage?: number;
}

type Engine = Pick<DuckEngine, "ingestMany" | "query">;

/** Reports progress at most once a second, and never lets a failed report stop the load. */
function throttled(report: ((progress: LoadProgress) => unknown) | undefined, everyMs = 1_000) {
  let last = 0;
  return (progress: LoadProgress) => {
    const now = Date.now();
    if (!report || now - last < everyMs) return;
    last = now;
    Promise.resolve(report(progress)).catch(() => undefined);
  };
}

/**
 * Before a slow load starts: a file appended to a one-table source must have that table's
 * columns (any order). Workbooks and database files are checked table by table as they load.
 */
export async function checkAppendColumns(
  engine: Engine,
  input: { file: string; format: UploadFormat; label: string; tables: SourceTable[]; timeoutMs: number },
): Promise<void> {
  const { format } = input;
  if (format === "xlsx" || format === "sqlite" || format === "duckdb") return;
  const [table, ...more] = input.tables;
  if (!table || more.length > 0) {
    throw new ColumnsMismatch(
      `${input.label} is one table; this source has ${input.tables.length}: replace it instead`,
    );
  }
  const described = await engine.query(`describe select * from ${readerOf({ file: input.file, format })}`, {
    maxRows: 10_000,
    timeoutMs: input.timeoutMs,
  });
  const incoming = described.rows.map((row) => String(row[0]));
  const lower = (names: string[]) => new Set(names.map((name) => name.toLowerCase()));
  const have = lower(table.columns.map((column) => column.name));
  const got = lower(incoming);
  const missing = table.columns.map((column) => column.name).filter((name) => !got.has(name.toLowerCase()));
  const extra = incoming.filter((name) => !have.has(name.toLowerCase()));
  if (missing.length || extra.length) {
    throw new ColumnsMismatch(
      `${input.label} cannot be appended to ${table.name}: its columns differ` +
        (missing.length ? `; missing ${missing.join(", ")}` : "") +
        (extra.length ? `; not in the table: ${extra.join(", ")}` : ""),
    );
  }
}

/**
 * Loads one stored upload into a source's tables in one transaction: extracts a workbook's
 * sheets or a database's tables first, names the tables, loads them (replacing the source's
 * tables, dropping those the new file no longer has, or appending to them), and describes
 * them. Malformed CSV rows follow `rowPolicy`; skipped ones go to a quarantine CSV in
 * `uploadDir`. Extracted files are always removed; on failure nothing is left behind.
 */
export async function loadUpload(input: {
  engine: Engine;
  uploadDir: string;
  source: { name: string; rowPolicy: RowPolicy; tables: SourceTable[] };
  storedAs: string;
  format: UploadFormat;
  mode: "replace" | "append";
  /** Table names of the workspace's other sources. */
  taken: Set<string>;
  maxUncompressedBytes: number;
  timeoutMs: number;
  onProgress?: (progress: LoadProgress) => unknown;
}): Promise<{
  tables: SourceTable[];
  rejected: number;
  /** The first malformed rows, e.g. `line 7: Expected Number of Columns: 3 Found: 2`. */
  examples: string[];
  quarantineFile: string | null;
}> {
  const { engine, source } = input;
  const progress = throttled(input.onProgress);
  const quarantineFile = `${input.storedAs}.rejected.csv`;
  const quarantine = path.join(input.uploadDir, quarantineFile);
  const expanded = await expandUpload({
    file: path.join(input.uploadDir, input.storedAs),
    format: input.format,
    label: source.name,
    workDir: input.uploadDir,
    prefix: `${input.storedAs}.part`,
    maxUncompressedBytes: input.maxUncompressedBytes,
    onRows: (table, rows) => progress({ phase: "reading", table, rowsLoaded: rows }),
  });
  try {
    const names = tableNamesFor(source.name, input.format, expanded.parts, input.taken);
    const existing = new Set(source.tables.map((table) => table.name));
    if (input.mode === "append") {
      const unknown = names.filter((name) => !existing.has(name));
      if (unknown.length > 0) {
        throw new ColumnsMismatch(
          `${source.name} cannot be appended: this source has no table ${unknown.join(", ")} (it has ${[...existing].join(", ")})`,
        );
      }
    }
    const loaded = await engine.ingestMany(
      expanded.parts.map((part, index) => ({
        file: part.file,
        format: part.format,
        table: names[index] ?? "",
        ...(part.generated ? { generated: true } : {}),
      })),
      {
        mode: input.mode,
        rowPolicy: source.rowPolicy,
        quarantine,
        label: source.name,
        drop: input.mode === "replace" ? [...existing] : [],
        onProgress: ({ table, percentage, rowsProcessed }) =>
          progress({ phase: "loading", table, percentage, rowsLoaded: rowsProcessed }),
      },
    );
    const tables: SourceTable[] = [];
    for (const { table, rows } of loaded.tables) {
      const described = await engine.query(`select * from ${quoteIdent(table)} limit 0`, {
        maxRows: 0,
        timeoutMs: input.timeoutMs,
      });
      tables.push({
        name: table,
        rows,
        columns: described.columns.map(({ name, type, sourceType }) => ({ name, type, sourceType })),
      });
    }
    return {
      tables,
      rejected: loaded.rejected,
      examples: loaded.examples.map((row) => `line ${row.line}: ${row.error}`),
      quarantineFile: loaded.quarantine ? quarantineFile : null,
    };
  } catch (error) {
    rmSync(quarantine, { force: true });
    throw error;
  } finally {
    expanded.cleanup();
  }
}
