import { AppError } from "../../platform/errors.js";
import type { FileFormat } from "../warehouse/duckdb-engine.js";

export class UnsupportedFile extends AppError {
  constructor(message: string) {
    super(415, "unsupported_file", message);
  }
}

/**
 * Checks that a file's first bytes fit its extension: a Parquet file starts with `PAR1`, JSON
 * with `{` or `[`, and text formats hold no NUL bytes. Renamed binaries and zip archives are refused.
 */
export function checkContent(head: Buffer, format: FileFormat, fileName: string): void {
  if (head.length === 0) throw new AppError(400, "empty_file", `${fileName} is empty`);
  const zip = head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (format === "parquet") {
    if (!head.subarray(0, 4).equals(Buffer.from("PAR1"))) {
      throw new UnsupportedFile(`${fileName} does not look like a Parquet file (it should start with PAR1)`);
    }
    return;
  }
  if (zip) {
    throw new UnsupportedFile(`${fileName} is a zip archive (an Excel file?), not ${format.toUpperCase()}`);
  }
  if (head.includes(0)) {
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
}
