import path from "node:path";
import { type FileFormat, formatOf } from "../../warehouse/duckdb-engine.js";

/** What an upload can be: a file DuckDB reads directly, a workbook, or a database file. */
export type UploadFormat = FileFormat | "xlsx" | "sqlite" | "duckdb";

export const supportedExtensions =
  ".csv, .tsv, .json, .ndjson, .jsonl, .parquet, .xlsx, .sqlite, .sqlite3, .db, .duckdb";

const containers: Record<string, UploadFormat> = {
  ".xlsx": "xlsx",
  ".sqlite": "sqlite",
  ".sqlite3": "sqlite",
  // SQLite or DuckDB: the file's first bytes decide (see sniff.ts).
  ".db": "sqlite",
  ".duckdb": "duckdb",
};

export function uploadFormatOf(fileName: string): UploadFormat | undefined {
  return formatOf(fileName) ?? containers[path.extname(fileName).toLowerCase()];
}
