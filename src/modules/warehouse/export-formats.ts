import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { JsonValue, ResultColumn, StreamedResult } from "./duckdb-engine.js";

export type ExportFormat = "csv" | "xlsx" | "parquet";

export const exportContentTypes: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  parquet: "application/vnd.apache.parquet",
};

/** Rows of one XLSX sheet, its header included: Excel's limit. */
export const XLSX_SHEET_ROWS = 1_048_576;

function csvField(value: JsonValue): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row, produced as the rows arrive; values exactly as DuckDB prints them. */
export function csvStream(result: StreamedResult): Readable {
  async function* lines(): AsyncGenerator<string> {
    try {
      yield `${result.columns.map((column) => csvField(column.name)).join(",")}\n`;
      for await (const rows of result.chunks) {
        let text = "";
        for (const row of rows) text += `${row.map(csvField).join(",")}\n`;
        yield text;
      }
    } finally {
      result.close();
    }
  }
  const readable = Readable.from(lines(), { objectMode: false });
  // Reading stopped early (the client left): stop the query too.
  readable.once("close", () => result.close());
  return readable;
}

/** Resolves when a stream wants more data, or will never want any. */
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/** A cell as Excel should hold it: numbers as numbers, dates and timestamps as dates. */
function xlsxCell(value: JsonValue, column: ResultColumn | undefined): ExcelJS.CellValue {
  if (value === null) return null;
  switch (column?.type) {
    case "integer":
    case "decimal": {
      const number = Number(value);
      return column.type === "integer" && !Number.isSafeInteger(number) ? String(value) : number;
    }
    case "date":
    case "timestamp": {
      const date = new Date(`${String(value).replace(" ", "T").slice(0, 23)}Z`);
      return Number.isNaN(date.getTime()) ? String(value) : date;
    }
    default:
      return value;
  }
}

const xlsxFormats: Partial<Record<ResultColumn["type"], string>> = {
  date: "yyyy-mm-dd",
  timestamp: "yyyy-mm-dd hh:mm:ss",
};

/**
 * An XLSX workbook written as the rows arrive. A sheet holds at most `sheetRows` rows with its
 * header; longer results continue on further sheets (`Result 2`, …), each with the header again.
 */
export function xlsxStream(result: StreamedResult, options: { sheetRows?: number } = {}): Readable {
  const perSheet = Math.max((options.sheetRows ?? XLSX_SHEET_ROWS) - 1, 1);
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const addSheet = (n: number) => {
    const sheet = workbook.addWorksheet(n === 1 ? "Result" : `Result ${n}`);
    sheet.columns = result.columns.map((column) => {
      const numFmt = xlsxFormats[column.type];
      return {
        header: column.name,
        width: Math.min(Math.max(column.name.length + 2, 12), 40),
        ...(numFmt ? { style: { numFmt } } : {}),
      };
    });
    return sheet;
  };

  async function write() {
    let sheets = 1;
    let sheet = addSheet(sheets);
    let inSheet = 0;
    for await (const rows of result.chunks) {
      if (out.destroyed) return;
      for (const row of rows) {
        if (inSheet === perSheet) {
          sheet.commit();
          sheet = addSheet(++sheets);
          inSheet = 0;
        }
        sheet.addRow(row.map((value, index) => xlsxCell(value, result.columns[index]))).commit();
        inSheet++;
      }
      if (out.writableNeedDrain) await drained(out);
    }
    sheet.commit();
    await workbook.commit();
  }

  write()
    .catch((error: unknown) => out.destroy(error as Error))
    .finally(() => result.close());
  // Reading stopped early (the client left): stop the query too.
  out.once("close", () => result.close());
  return out;
}
