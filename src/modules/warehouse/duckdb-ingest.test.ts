import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DuckEngine, openDuckEngine } from "./duckdb-engine.js";
import { csvEncodingOf } from "./duckdb-ingest.js";

describe("DuckDB ingest: malformed rows, policies and transactions", () => {
  let root: string;
  let engine: DuckEngine;
  const file = (name: string, content: string) => {
    writeFileSync(path.join(root, name), content);
    return path.join(root, name);
  };
  const count = async (table: string) =>
    (await engine.query(`select count(*) from ${table}`, { maxRows: 1, timeoutMs: 5_000 })).rows[0]?.[0];

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sightline-ingest-"));
    // Past the type sniffer's 20,480-row sample, a value that is not a number is a malformed row.
    const good = Array.from({ length: 25_000 }, (_, i) => `${i + 1},"name ${i + 1}",${i + 1}.5`).join("\n");
    file(
      "orders.csv",
      `id,name,amount\n${good}\n25001,"x",oops\n25002,"y","2",extra\n25003,"z",3\n25004,"unterminated,4\n`,
    );
    file("clean.csv", "id,name,amount\n1,a,1.5\n2,b,2.5\n");
    engine = await openDuckEngine({ file: ":memory:", readableDirs: [root] });
  });
  afterAll(() => {
    engine?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("under reject, fails with the first malformed lines and loads nothing", async () => {
    const failure = await engine
      .ingestMany([{ file: path.join(root, "orders.csv"), table: "orders", format: "csv" }], {
        label: "orders.csv",
      })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 400, code: "malformed_rows" });
    const message = (failure as Error).message;
    expect(message).toMatch(/^Could not load orders\.csv: 3 malformed rows \(line 25002: .*oops/);
    expect(message).toContain("line 25003: Expected Number of Columns: 3 Found: 4");
    expect(message).toContain("line 25005");
    expect(message).not.toContain(root);
    expect((await engine.tables()).includes("orders")).toBe(false);
  });

  it("under skip, loads the good rows and writes the others to the quarantine file", async () => {
    const quarantine = path.join(root, "orders.rejected.csv");
    const loaded = await engine.ingestMany(
      [{ file: path.join(root, "orders.csv"), table: "orders", format: "csv" }],
      { rowPolicy: "skip", quarantine },
    );
    expect(loaded).toMatchObject({ tables: [{ table: "orders", rows: 25_001 }], rejected: 3, quarantine });
    const lines = readFileSync(quarantine, "utf8").trim().split("\n");
    expect(lines[0]).toBe("line,error,original_line");
    expect(lines[1]).toMatch(/^25002,.*oops.*,"25001,""x"",oops"$/);
    expect(lines[2]).toContain('25003,Expected Number of Columns: 3 Found: 4,"25002,""y"",""2"",extra"');
    expect(lines[3]).toMatch(/^25005,Value with unterminated quote found\.,"25004,""unterminated,4/);
  });

  it("counts a row that breaks two rules once, listing both reasons", async () => {
    const short = file("short.csv", "id,name,amount,kind\n1,a,1.5,x\n2\n3,c,3.5,z\n");
    const quarantine = path.join(root, "short.rejected.csv");
    const loaded = await engine.ingestMany([{ file: short, table: "short", format: "csv" }], {
      rowPolicy: "skip",
      quarantine,
    });
    expect(loaded).toMatchObject({ tables: [{ table: "short", rows: 2 }], rejected: 1 });
    expect(loaded.examples).toHaveLength(1);
    expect(loaded.examples[0]?.line).toBe(3);
    const lines = readFileSync(quarantine, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^3,/);
  });

  it("reads Latin-1 and UTF-16 CSVs, judging the encoding from the bytes", async () => {
    const latin1 = file("latin1.csv", "");
    writeFileSync(latin1, Buffer.from("name;city\nJos\xe9;M\xfcnchen\n", "latin1"));
    const utf16 = file("utf16.csv", "");
    writeFileSync(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("name,city\nJosé,Köln\n", "utf16le")]),
    );
    expect(csvEncodingOf(latin1)).toBe("latin-1");
    expect(csvEncodingOf(utf16)).toBe("utf-16");
    expect(csvEncodingOf(path.join(root, "clean.csv"))).toBe("utf-8");
    await engine.ingestMany([
      { file: latin1, table: "latin1", format: "csv" },
      { file: utf16, table: "utf16", format: "csv" },
    ]);
    const rows = async (table: string) =>
      (await engine.query(`select name, city from ${table}`, { maxRows: 10, timeoutMs: 5_000 })).rows;
    expect(await rows("latin1")).toEqual([["José", "München"]]);
    expect(await rows("utf16")).toEqual([["José", "Köln"]]);
  });

  it("reads a file again as Latin-1 when a non-UTF-8 byte comes after the sample", async () => {
    const ascii = Array.from({ length: 60_000 }, (_, i) => `${i},plain text row ${i}`).join("\n");
    const late = file("late.csv", "");
    writeFileSync(
      late,
      Buffer.concat([Buffer.from(`id,text\n${ascii}\n`), Buffer.from("60000,caf\xe9\n", "latin1")]),
    );
    expect(csvEncodingOf(late)).toBe("utf-8");
    await engine.ingestMany([{ file: late, table: "late", format: "csv" }]);
    const last = await engine.query("select text from late where id = 60000", {
      maxRows: 1,
      timeoutMs: 5_000,
    });
    expect(last.rows).toEqual([["café"]]);
  });

  it("writes no quarantine file when no row is malformed", async () => {
    const quarantine = path.join(root, "clean.rejected.csv");
    const loaded = await engine.ingestMany(
      [{ file: path.join(root, "clean.csv"), table: "clean", format: "csv" }],
      {
        rowPolicy: "skip",
        quarantine,
      },
    );
    expect(loaded.rejected).toBe(0);
    expect(loaded.quarantine).toBeUndefined();
    expect(existsSync(quarantine)).toBe(false);
  });

  it("loads several tables in one transaction: one failing leaves all as they were", async () => {
    await engine.ingest({ file: path.join(root, "clean.csv"), table: "first" });
    await expect(
      engine.ingestMany([
        { file: file("more.csv", "id\n1\n2\n3\n"), table: "first", format: "csv" },
        { file: file("broken.json", '[{"a": '), table: "second", format: "json" },
      ]),
    ).rejects.toMatchObject({ code: "query_failed" });
    expect(await count("first")).toBe(2);
    expect((await engine.tables()).includes("second")).toBe(false);
  });

  it("drops the tables a replace no longer has, in the same transaction", async () => {
    await engine.ingest({ file: path.join(root, "clean.csv"), table: "old_sheet" });
    await engine.ingestMany([{ file: path.join(root, "clean.csv"), table: "new_sheet", format: "csv" }], {
      drop: ["old_sheet", "new_sheet"],
    });
    const tables = await engine.tables();
    expect(tables).toContain("new_sheet");
    expect(tables).not.toContain("old_sheet");
  });

  it("appends only with the table's columns, in any order", async () => {
    await engine.ingest({ file: path.join(root, "clean.csv"), table: "appendable" });
    await engine.ingest({
      file: file("reordered.csv", "amount,id,name\n3.5,3,c\n"),
      table: "appendable",
      mode: "append",
    });
    expect(await count("appendable")).toBe(3);
    await expect(
      engine.ingest({ file: file("other.csv", "id,total\n4,1\n"), table: "appendable", mode: "append" }),
    ).rejects.toMatchObject({
      status: 400,
      code: "columns_mismatch",
      message: expect.stringMatching(/missing name, amount; not in the table: total/),
    });
    await expect(
      engine.ingest({
        file: file("badvalue.csv", "id,name,amount\nfour,d,4\n"),
        table: "appendable",
        mode: "append",
      }),
    ).rejects.toMatchObject({ code: "malformed_rows", message: expect.stringContaining("line 2") });
    expect(await count("appendable")).toBe(3);
  });

  it("reads a header-only CSV as a table with no rows", async () => {
    expect(await engine.ingest({ file: file("header.csv", "id,name\n"), table: "header_only" })).toEqual({
      table: "header_only",
      rows: 0,
    });
  });

  it("reports progress while DuckDB reads", async () => {
    const seen: number[] = [];
    const big = Array.from({ length: 400_000 }, (_, i) => `${i},${i * 2},"text ${i}"`).join("\n");
    await engine.ingestMany([{ file: file("big.csv", `a,b,c\n${big}\n`), table: "big", format: "csv" }], {
      onProgress: (progress) => seen.push(progress.percentage),
    });
    expect(await count("big")).toBe(400_000);
    // DuckDB may finish before the first report on a fast machine; when it reports, it counts up.
    for (const [i, value] of seen.entries())
      if (i > 0) expect(value).toBeGreaterThanOrEqual(seen[i - 1] ?? 0);
  });
});
