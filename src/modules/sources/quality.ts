import type { QualityIssue, TableProfile } from "./sources.tables.js";

/** Rows an ingest skipped as malformed (row policy `skip`), with a few line numbers or excerpts. */
export interface MalformedRows {
  rejectedRows: number;
  examples?: (string | number)[];
  /** The table they were meant for; default: the first profiled table. */
  table?: string;
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

/**
 * The data-quality report of an ingest: malformed rows first, then per table its duplicate rows,
 * values of the wrong type and blank texts. An empty list means nothing to look at.
 */
export function qualityReport(profile: TableProfile[], malformed?: MalformedRows): QualityIssue[] {
  const issues: QualityIssue[] = [];
  const fallback = profile[0]?.table;
  if (malformed && malformed.rejectedRows > 0) {
    issues.push({
      table: malformed.table ?? fallback ?? "",
      kind: "malformed_rows",
      count: malformed.rejectedRows,
      message: `${plural(malformed.rejectedRows, "malformed row")} could not be read and were skipped`,
      ...(malformed.examples?.length ? { examples: malformed.examples.slice(0, 5) } : {}),
    });
  }
  for (const table of profile) {
    if (table.duplicateRows > 0) {
      issues.push({
        table: table.table,
        kind: "duplicate_rows",
        count: table.duplicateRows,
        message: `${plural(table.duplicateRows, "row repeats", "rows repeat")} an earlier row exactly`,
      });
    }
    for (const column of table.columns) {
      if (column.typeMismatches > 0) {
        const filled = table.rows - column.nulls - column.blanks;
        const one = column.typeMismatches === 1;
        const what =
          column.expectedType === "date" ? (one ? "a date" : "dates") : one ? "a number" : "numbers";
        issues.push({
          table: table.table,
          column: column.name,
          kind: "type_mismatch",
          count: column.typeMismatches,
          message:
            `${plural(column.typeMismatches, "value")} of ${column.name} ${one ? "is" : "are"} ` +
            `not ${what}, though the other ${(filled - column.typeMismatches).toLocaleString("en")} are`,
          ...(column.mismatchExamples?.length ? { examples: column.mismatchExamples } : {}),
        });
      }
      if (column.blanks > 0) {
        issues.push({
          table: table.table,
          column: column.name,
          kind: "blanks",
          count: column.blanks,
          message: `${plural(column.blanks, "value")} of ${column.name} ${column.blanks === 1 ? "is" : "are"} blank (empty or only spaces)`,
        });
      }
    }
  }
  return issues;
}
