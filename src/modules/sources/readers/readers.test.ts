import { once } from "node:events";
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import ExcelJS from "exceljs";
import sqlite from "node-sqlite3-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { type DuckEngine, openDuckEngine } from "../../warehouse/duckdb-engine.js";
import { checkContent } from "../sniff.js";
import { checkArchive, expandUpload, tableNamesFor } from "./index.js";

let root: string;
let engine: DuckEngine;

async function zipOf(file: string, entries: Record<string, Buffer>) {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(content, name);
  zip.end();
  const out = createWriteStream(file);
  zip.outputStream.pipe(out);
  await once(out, "close");
  return file;
}

async function load(file: string, format: "xlsx" | "sqlite" | "duckdb", label: string) {
  const expanded = await expandUpload({
    file,
    format,
    label,
    workDir: root,
    prefix: `${label}.part`,
    maxUncompressedBytes: 100 * 1024 * 1024,
  });
  try {
    const names = tableNamesFor(label, format, expanded.parts, new Set());
    const loaded = await engine.ingestMany(
      expanded.parts.map((part, i) => ({ ...part, table: names[i] ?? "" })),
      { label },
    );
    return { names, loaded };
  } finally {
    expanded.cleanup();
  }
}

const rows = async (sql: string) => (await engine.query(sql, { maxRows: 100, timeoutMs: 5_000 })).rows;
const columns = async (table: string) =>
  (await engine.query(`select * from ${table} limit 0`, { maxRows: 0, timeoutMs: 5_000 })).columns.map(
    ({ name, type }) => [name, type],
  );

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-readers-"));
  engine = await openDuckEngine({ file: ":memory:", readableDirs: [root] });
});
afterAll(() => {
  engine?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("Excel workbooks", () => {
  it("loads every non-empty sheet as a typed table, dates as dates", async () => {
    const book = new ExcelJS.Workbook();
    const orders = book.addWorksheet("Orders 2024");
    orders.addRow(["id", "customer", "amount", "ordered_on", "shipped_at", "paid"]);
    orders.addRow([
      1,
      "Acme",
      12.5,
      new Date(Date.UTC(2024, 0, 2)),
      new Date(Date.UTC(2024, 0, 3, 10, 30)),
      true,
    ]);
    orders.addRow([
      2,
      { richText: [{ text: "Glo" }, { text: "bex" }] },
      { formula: "C2*2", result: 25 },
      new Date(Date.UTC(2024, 1, 29)),
      null,
      false,
    ]);
    orders.addRow([3, "", 7, new Date(Date.UTC(2024, 2, 1)), null, true]);
    book.addWorksheet("Empty");
    const notes = book.addWorksheet("Notes");
    notes.getCell("B3").value = "title";
    notes.getCell("B4").value = "first";
    const file = path.join(root, "Shop.xlsx");
    await book.xlsx.writeFile(file);

    const { names, loaded } = await load(file, "xlsx", "Shop.xlsx");
    expect(names).toEqual(["shop_orders_2024", "shop_notes"]);
    expect(loaded.tables).toEqual([
      { table: "shop_orders_2024", rows: 3 },
      { table: "shop_notes", rows: 1 },
    ]);
    expect(await columns("shop_orders_2024")).toEqual([
      ["id", "integer"],
      ["customer", "text"],
      ["amount", "decimal"],
      ["ordered_on", "date"],
      ["shipped_at", "timestamp"],
      ["paid", "boolean"],
    ]);
    expect(await rows("select * from shop_orders_2024 order by id")).toEqual([
      [1, "Acme", 12.5, "2024-01-02", "2024-01-03T10:30:00", true],
      [2, "Globex", 25, "2024-02-29", null, false],
      // Excel keeps no empty strings: an empty cell is NULL.
      [3, null, 7, "2024-03-01", null, true],
    ]);
    expect(await rows("select * from shop_notes")).toEqual([["first"]]);
    // The extracted CSVs are gone.
    expect(readdirSync(root).filter((name) => name.includes(".part"))).toEqual([]);
  });

  it("names a one-sheet workbook's table after the file", async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet("Sheet1").addRows([["a"], [1]]);
    const file = path.join(root, "single.xlsx");
    await book.xlsx.writeFile(file);
    expect((await load(file, "xlsx", "single.xlsx")).names).toEqual(["single"]);
  });

  it("refuses a workbook with no data", async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet("Blank");
    const file = path.join(root, "blank.xlsx");
    await book.xlsx.writeFile(file);
    await expect(load(file, "xlsx", "blank.xlsx")).rejects.toMatchObject({
      status: 400,
      message: "blank.xlsx has no data: every sheet is empty",
    });
  });
});

describe("the zip-bomb guard", () => {
  it("refuses an entry compressed past 100:1 before anything parses it", async () => {
    const bomb = await zipOf(path.join(root, "bomb.xlsx"), {
      "[Content_Types].xml": Buffer.from("<Types/>"),
      "xl/worksheets/sheet1.xml": Buffer.alloc(64 * 1024 * 1024, 0x20),
    });
    expect(readFileSync(bomb).length).toBeLessThan(1024 * 1024);
    await expect(checkArchive(bomb, "bomb.xlsx", { maxUncompressedBytes: 1024 ** 3 })).rejects.toMatchObject({
      status: 413,
      code: "archive_too_large",
      message: expect.stringContaining("xl/worksheets/sheet1.xml, compressed"),
    });
    await expect(load(bomb, "xlsx", "bomb.xlsx")).rejects.toMatchObject({ code: "archive_too_large" });
  });

  it("refuses a workbook that expands past the configured limit", async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet("S").addRows(Array.from({ length: 200 }, (_, i) => [i, `row ${i}`]));
    const file = path.join(root, "limit.xlsx");
    await book.xlsx.writeFile(file);
    await expect(checkArchive(file, "limit.xlsx", { maxUncompressedBytes: 2_000 })).rejects.toMatchObject({
      code: "archive_too_large",
    });
    await expect(
      checkArchive(file, "limit.xlsx", { maxUncompressedBytes: 10_000_000, verify: true }),
    ).resolves.toMatchObject({
      entries: expect.any(Number),
    });
  });

  it("catches an archive whose central directory understates its sizes", async () => {
    const file = await zipOf(path.join(root, "liar.xlsx"), {
      "xl/worksheets/sheet1.xml": Buffer.alloc(2 * 1024 * 1024, 0x20),
    });
    const bytes = readFileSync(file);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(1_000, central + 24); // declared uncompressed size
    writeFileSync(file, bytes);
    await expect(checkArchive(file, "liar.xlsx", { maxUncompressedBytes: 10_000 })).resolves.toBeDefined();
    await expect(
      checkArchive(file, "liar.xlsx", { maxUncompressedBytes: 10_000, verify: true }),
    ).rejects.toMatchObject({ code: "archive_too_large" });
  });

  it("refuses a file that is no zip at all", async () => {
    const file = path.join(root, "fake.xlsx");
    writeFileSync(file, "PK\u0003\u0004 not really");
    await expect(checkArchive(file, "fake.xlsx", { maxUncompressedBytes: 1_000 })).rejects.toMatchObject({
      status: 415,
    });
  });
});

describe("database files", () => {
  it("imports a SQLite file's base tables, not its views", async () => {
    const file = path.join(root, "shop.sqlite");
    const db = new sqlite.Database(file);
    db.exec(
      "create table orders(id integer primary key, customer text, amount real, raw blob);" +
        "insert into orders values (1, 'Acme', 1.5, x'0102'), (2, '', null, null);" +
        'create table "Line Items"(order_id integer, sku text); insert into "Line Items" values (1, \'A1\');' +
        "create view big_orders as select * from orders where amount > 1;",
    );
    db.close();
    const { names, loaded } = await load(file, "sqlite", "shop.sqlite");
    expect(names).toEqual(["shop_line_items", "shop_orders"]);
    expect(loaded.tables.map((table) => table.rows)).toEqual([1, 2]);
    expect(await rows("select * from shop_orders order by id")).toEqual([
      [1, "Acme", 1.5, "\\x0102"],
      [2, "", null, null],
    ]);
  });

  it("copies a DuckDB file's base tables and never runs its views", async () => {
    const file = path.join(root, "hostile.duckdb");
    const writer = await DuckDBInstance.create(file);
    const connection = await writer.connect();
    await connection.run(
      "create table orders(id integer, amount decimal(10,2), placed date);" +
        "insert into orders values (1, 9.99, '2024-05-01');" +
        "create schema crm; create table crm.people(name varchar); insert into crm.people values ('Ada');" +
        "create view passwd as select * from read_csv('/etc/passwd');" +
        "create macro plus_one(x) as x + 1;",
    );
    connection.closeSync();
    writer.closeSync();
    const { names } = await load(file, "duckdb", "hostile.duckdb");
    expect(names).toEqual(["hostile_crm_people", "hostile_orders"]);
    expect(await columns("hostile_orders")).toEqual([
      ["id", "integer"],
      ["amount", "decimal"],
      ["placed", "date"],
    ]);
    expect(await rows("select * from hostile_orders")).toEqual([[1, 9.99, "2024-05-01"]]);
    expect((await engine.tables()).some((table) => table.includes("passwd"))).toBe(false);
  });

  it("says so when a database file cannot be read", async () => {
    const file = path.join(root, "broken.sqlite");
    writeFileSync(file, `SQLite format 3\0${"x".repeat(200)}`);
    await expect(load(file, "sqlite", "broken.sqlite")).rejects.toMatchObject({ status: 400 });
    expect(existsSync(file)).toBe(true);
  });
});

describe("content sniffing", () => {
  const duck = Buffer.concat([Buffer.alloc(8), Buffer.from("DUCK"), Buffer.alloc(8)]);
  it.each([
    ["a.xlsx", "xlsx", Buffer.from("PK\u0003\u0004rest"), "xlsx"],
    ["a.sqlite", "sqlite", Buffer.from("SQLite format 3\0..."), "sqlite"],
    ["a.db", "sqlite", Buffer.from("SQLite format 3\0..."), "sqlite"],
    ["a.db", "sqlite", duck, "duckdb"],
    ["a.duckdb", "duckdb", duck, "duckdb"],
    ["latin1.csv", "csv", Buffer.from("name\nJos\xe9\n", "latin1"), "csv"],
    [
      "utf16.csv",
      "csv",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a,b\n1,2\n", "utf16le")]),
      "csv",
    ],
  ] as const)("takes %s as %s when its bytes fit", (name, format, head, expected) => {
    expect(checkContent(head, format, name)).toBe(expected);
  });

  it.each([
    ["a.xlsx", "xlsx", Buffer.from("id,name\n1,a\n")],
    ["a.sqlite", "sqlite", duck],
    ["a.duckdb", "duckdb", Buffer.from("SQLite format 3\0...")],
    ["a.db", "sqlite", Buffer.from("just text")],
    ["utf16.json", "json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")])],
  ] as const)("refuses %s (%s) whose bytes do not fit", (name, format, head) => {
    expect(() => checkContent(head, format, name)).toThrow(expect.objectContaining({ status: 415 }));
  });
});
