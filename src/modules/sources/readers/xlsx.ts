import { rmSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { Invalid } from "../../../platform/errors.js";
import { ArchiveTooLarge } from "./archive.js";
import { type CsvFile, csvFile } from "./csv-out.js";

/** A foreign key a database file declares: `columns` of this table refer to `references` of `table`. */
export interface DeclaredForeignKey {
  columns: string[];
  /** The referred table's key (its own name in the file). */
  table: string;
  references: string[];
}

export interface ExtractedTable {
  /** The sheet's or the table's own name. */
  key: string;
  file: string;
  rows: number;
  /** Database files: the foreign keys the table declares. */
  foreignKeys?: DeclaredForeignKey[];
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Excel dates carry no zone: midnight becomes a date, anything else a timestamp, both ISO. */
function isoOf(date: Date): string {
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const h = date.getUTCHours();
  const m = date.getUTCMinutes();
  const s = date.getUTCSeconds();
  const ms = date.getUTCMilliseconds();
  if (h === 0 && m === 0 && s === 0 && ms === 0) return day;
  return `${day} ${pad(h)}:${pad(m)}:${pad(s)}${ms ? `.${pad(ms, 3)}` : ""}`;
}

/** One cell as text: formulas by their result, rich text and links by their text, errors as empty. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return isoOf(value);
  if (typeof value === "object") {
    const cell = value as Record<string, unknown>;
    if ("error" in cell) return null;
    if ("result" in cell) return cellText(cell.result);
    if (Array.isArray(cell.richText)) {
      return cell.richText.map((run) => String((run as { text?: unknown }).text ?? "")).join("");
    }
    if ("text" in cell) return cellText(cell.text);
    if ("formula" in cell || "sharedFormula" in cell) return null;
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * Every non-empty sheet of a workbook, streamed to a CSV each in `workDir` (`<prefix>-<n>.csv`):
 * the first non-empty row is the header, columns run from its first to its last title, and
 * cells outside them are left out. Stops with 413 once the CSVs pass `maxBytes`.
 */
export async function readWorkbook(
  file: string,
  options: Parameters<typeof readWorkbookOnce>[1],
): Promise<ExtractedTable[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readWorkbookOnce(file, options);
    } catch (error) {
      // exceljs's streaming reader sometimes reaches a sheet before it has read the workbook
      // part that names the sheets (a timing race inside the library): reading again succeeds.
      if (attempt >= 3 || !(error instanceof Invalid) || !/reading 'sheets'/.test(error.message)) throw error;
    }
  }
}

async function readWorkbookOnce(
  file: string,
  options: {
    workDir: string;
    prefix: string;
    label: string;
    maxBytes: number;
    onRows?: (sheet: string, rows: number) => void;
  },
): Promise<ExtractedTable[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Styles tell dates from numbers.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const sheets: ExtractedTable[] = [];
  const written: string[] = [];
  let bytes = 0;
  let current: CsvFile | undefined;
  try {
    let index = 0;
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name?: string }).name ?? `Sheet${index + 1}`;
      const target = path.join(options.workDir, `${options.prefix}-${index++}.csv`);
      let first = 0;
      let last = 0;
      let rows = 0;
      for await (const row of worksheet) {
        const values = (row.values as unknown[]) ?? [];
        const cells = values.map(cellText);
        if (!current) {
          const filled = cells.flatMap((cell, at) => (cell !== null && cell.trim() !== "" ? [at] : []));
          if (filled.length === 0) continue;
          first = filled[0] ?? 1;
          last = filled[filled.length - 1] ?? first;
          written.push(target);
          current = csvFile(target);
          await current.write(
            Array.from(
              { length: last - first + 1 },
              (_, at) => cells[first + at]?.trim() || `column_${at + 1}`,
            ),
          );
          continue;
        }
        const slice = Array.from({ length: last - first + 1 }, (_, at) => cells[first + at] ?? null);
        if (slice.every((cell) => cell === null)) continue;
        await current.write(slice);
        rows++;
        if (rows % 10_000 === 0) {
          options.onRows?.(name, rows);
          if (bytes + current.bytes > options.maxBytes) {
            throw new ArchiveTooLarge(`${options.label} holds more than ${options.maxBytes} bytes of data`);
          }
        }
      }
      if (current) {
        await current.close();
        bytes += current.bytes;
        current = undefined;
        sheets.push({ key: name, file: target, rows });
        options.onRows?.(name, rows);
        if (bytes > options.maxBytes) {
          throw new ArchiveTooLarge(`${options.label} holds more than ${options.maxBytes} bytes of data`);
        }
      }
    }
  } catch (error) {
    current?.abort();
    for (const done of written) rmSync(done, { force: true });
    if (error instanceof Invalid || error instanceof ArchiveTooLarge) throw error;
    throw new Invalid(`${options.label} could not be read as an Excel workbook: ${(error as Error).message}`);
  }
  if (sheets.length === 0) throw new Invalid(`${options.label} has no data: every sheet is empty`);
  return sheets;
}
