import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DuckEngine, openDuckEngine } from "./duckdb-engine.js";
import { csvStream, xlsxStream } from "./export-formats.js";

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

describe("export formats", () => {
  let engine: DuckEngine;
  beforeAll(async () => {
    engine = await openDuckEngine({ file: ":memory:", readableDirs: [] });
  });
  afterAll(() => engine.close());
  const limits = { timeoutMs: 30_000 };

  it("writes CSV across many chunks, quoting only where needed", async () => {
    const stream = await engine.stream(
      "select range as n, case when range % 2 = 0 then 'a,b' else 'plain' end as t from range(5000)",
      limits,
    );
    const lines = (await collect(csvStream(stream))).toString().split("\n");
    expect(lines[0]).toBe("n,t");
    expect(lines[1]).toBe('0,"a,b"');
    expect(lines[5000]).toBe("4999,plain");
    expect(lines).toHaveLength(5002);
  });

  it("continues XLSX on a new sheet, header again, when a sheet is full", async () => {
    const stream = await engine.stream(
      "select range as n, date '2024-01-01' + range::int as d from range(5)",
      limits,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await collect(xlsxStream(stream, { sheetRows: 3 }))) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["Result", "Result 2", "Result 3"]);
    const values = workbook.worksheets.map((sheet) =>
      sheet.getSheetValues().flatMap((row) => (Array.isArray(row) ? [row.slice(1)] : [])),
    );
    expect(values[0]).toEqual([
      ["n", "d"],
      [0, new Date("2024-01-01T00:00:00Z")],
      [1, new Date("2024-01-02T00:00:00Z")],
    ]);
    expect(values[2]).toEqual([
      ["n", "d"],
      [4, new Date("2024-01-05T00:00:00Z")],
    ]);
  });

  it("fails the stream with query_cancelled when its query is cancelled midway", async () => {
    const controller = new AbortController();
    const stream = await engine.stream("select range as n from range(100000000)", {
      ...limits,
      signal: controller.signal,
    });
    const csv = csvStream(stream);
    let bytes = 0;
    const read = (async () => {
      for await (const part of csv) {
        bytes += (part as Buffer).length;
        if (bytes > 100_000) controller.abort();
      }
    })();
    await expect(read).rejects.toMatchObject({ code: "query_cancelled" });
    expect(bytes).toBeLessThan(10_000_000);
  });
});
