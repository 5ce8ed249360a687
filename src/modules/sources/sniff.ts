import { AppError } from "../../platform/errors.js";
import type { UploadFormat } from "./readers/formats.js";

export class UnsupportedFile extends AppError {
  constructor(message: string) {
    super(415, "unsupported_file", message);
  }
}

const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const sqliteMagic = Buffer.from("SQLite format 3\0");
const isDuckDb = (head: Buffer) => head.subarray(8, 12).equals(Buffer.from("DUCK"));

/**
 * Checks that a file's first bytes fit its extension and returns its format: a Parquet file
 * starts with `PAR1`, an .xlsx with a zip header, a SQLite database with `SQLite format 3\0`,
 * a DuckDB database has `DUCK` at byte 8 (a `.db` file may be either), JSON starts with `{`
 * or `[`, and text formats hold no NUL bytes. Renamed binaries and archives are refused.
 */
export function checkContent(head: Buffer, format: UploadFormat, fileName: string): UploadFormat {
  if (head.length === 0) throw new AppError(400, "empty_file", `${fileName} is empty`);
  const zip = head.subarray(0, 4).equals(zipMagic);
  switch (format) {
    case "parquet":
      if (!head.subarray(0, 4).equals(Buffer.from("PAR1"))) {
        throw new UnsupportedFile(
          `${fileName} does not look like a Parquet file (it should start with PAR1)`,
        );
      }
      return format;
    case "xlsx":
      if (!zip) {
        throw new UnsupportedFile(
          `${fileName} is not an Excel workbook (.xlsx files are zip archives; old .xls files are not supported)`,
        );
      }
      return format;
    case "sqlite":
    case "duckdb": {
      if (head.subarray(0, sqliteMagic.length).equals(sqliteMagic)) {
        if (format === "sqlite") return "sqlite";
      } else if (isDuckDb(head)) {
        if (format === "duckdb" || fileName.toLowerCase().endsWith(".db")) return "duckdb";
      }
      throw new UnsupportedFile(
        `${fileName} is not a ${format === "sqlite" ? "SQLite" : "DuckDB"} database file`,
      );
    }
  }
  if (zip) {
    throw new UnsupportedFile(`${fileName} is a zip archive (an Excel file?), not ${format.toUpperCase()}`);
  }
  // UTF-16 text (with its byte-order mark) is half NUL bytes; DuckDB reads it as CSV.
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (head.includes(0) && !(utf16 && (format === "csv" || format === "tsv"))) {
    throw new UnsupportedFile(`${fileName} holds binary data, not ${format.toUpperCase()} text`);
  }
  if (format === "json" || format === "ndjson") {
    const first = head
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trimStart()[0];
    if (first !== "{" && first !== "[") {
      throw new UnsupportedFile(`${fileName} does not look like JSON (it should start with { or [)`);
    }
  }
  return format;
}
