import { rmSync } from "node:fs";
import { type FileFormat, identifierOf, tableNameOf } from "../../warehouse/duckdb-engine.js";
import { checkArchive } from "./archive.js";
import { readDuckDbFile } from "./duckdb-file.js";
import type { UploadFormat } from "./formats.js";
import { readSqlite } from "./sqlite.js";
import { type DeclaredForeignKey, readWorkbook } from "./xlsx.js";

export { ArchiveTooLarge, checkArchive } from "./archive.js";
export { supportedExtensions, type UploadFormat, uploadFormatOf } from "./formats.js";

/** One table-to-be of an upload: a sheet, a database table, or the whole file. */
export interface TablePart {
  /** The sheet's or table's name; empty for a file that is one table. */
  key: string;
  file: string;
  format: FileFormat;
  /** Written by Sightline (see IngestPart.generated). */
  generated?: boolean;
  /** Database files: the foreign keys the table declares, by the tables' own names. */
  foreignKeys?: DeclaredForeignKey[];
}

export interface Expanded {
  parts: TablePart[];
  /** Removes the files extracted from a workbook or database. */
  cleanup(): void;
}

/**
 * Turns an upload into files DuckDB reads: a CSV or Parquet file is itself; a workbook's
 * sheets and a database's tables are extracted into `workDir` (an .xlsx after its zip passed
 * the archive check). `onRows` reports extraction progress.
 */
export async function expandUpload(input: {
  file: string;
  format: UploadFormat;
  label: string;
  workDir: string;
  /** Prefix of the extracted files' names in workDir. */
  prefix: string;
  maxUncompressedBytes: number;
  onRows?: (key: string, rows: number) => void;
}): Promise<Expanded> {
  const { file, format, label, workDir, prefix } = input;
  const options = { workDir, prefix, label, ...(input.onRows ? { onRows: input.onRows } : {}) };
  let extracted: { key: string; file: string; foreignKeys?: DeclaredForeignKey[] }[];
  let generated = true;
  switch (format) {
    case "xlsx":
      await checkArchive(file, label, { maxUncompressedBytes: input.maxUncompressedBytes, verify: true });
      extracted = await readWorkbook(file, { ...options, maxBytes: input.maxUncompressedBytes });
      break;
    case "sqlite":
      extracted = await readSqlite(file, options);
      break;
    case "duckdb":
      extracted = await readDuckDbFile(file, options);
      generated = false;
      break;
    default:
      return { parts: [{ key: "", file, format }], cleanup: () => undefined };
  }
  const partFormat: FileFormat = format === "duckdb" ? "parquet" : "csv";
  return {
    parts: extracted.map((table) => ({
      key: table.key,
      file: table.file,
      format: partFormat,
      generated,
      ...(table.foreignKeys?.length ? { foreignKeys: table.foreignKeys } : {}),
    })),
    cleanup() {
      for (const table of extracted) rmSync(table.file, { force: true });
    },
  };
}

/**
 * The warehouse table names of an upload's parts: the file's stem for a file that is one
 * table or a workbook of one sheet, `<stem>_<sheet>` for the sheets of a larger workbook, and
 * `<stem>_<table>` for every table of a database file. A name already `taken` (or used by an
 * earlier part) gets `_2`, `_3`….
 */
export function tableNamesFor(
  sourceName: string,
  format: UploadFormat,
  parts: Pick<TablePart, "key">[],
  taken: Set<string>,
): string[] {
  const stem = tableNameOf(sourceName);
  const database = format === "sqlite" || format === "duckdb";
  const used = new Set(taken);
  return parts.map((part) => {
    const base = database || (part.key && parts.length > 1) ? identifierOf(`${stem}_${part.key}`) : stem;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}
