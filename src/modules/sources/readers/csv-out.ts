import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { stringify } from "csv-stringify";

/**
 * A CSV file written row by row with back-pressure, for the tables Sightline extracts from
 * workbooks and database files. Strings are always quoted, so DuckDB (with
 * `allow_quoted_nulls = false`) reads `""` as an empty string and an empty field as NULL.
 */
export function csvFile(file: string) {
  const out = createWriteStream(file);
  const csv = stringify({ quoted_string: true });
  csv.pipe(out);
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    get bytes() {
      return out.bytesWritten;
    },
    async write(row: (string | null)[]): Promise<void> {
      rows++;
      if (!csv.write(row)) await once(csv, "drain");
    },
    async close(): Promise<void> {
      csv.end();
      await finished(out);
    },
    /** Stops writing after a failure; the caller removes the file. */
    abort(): void {
      csv.destroy();
      out.destroy();
    },
  };
}

export type CsvFile = ReturnType<typeof csvFile>;
