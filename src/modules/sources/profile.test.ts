import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DuckEngine, openDuckEngine } from "../warehouse/duckdb-engine.js";
import { analyseTables, profileLimits, profileTable } from "./profile.js";
import { qualityReport } from "./quality.js";

const opts = { maxRows: 0, timeoutMs: 10_000 };

describe("column profile", () => {
  let root: string;
  let engine: DuckEngine;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sightline-profile-"));
    engine = await openDuckEngine({ file: path.join(root, "w.duckdb"), readableDirs: [root] });
    await engine.query(
      `create table orders as select * from (values
        (1, 'Acme',   10.0, date '2024-01-01', '12',  'a'),
        (2, 'Acme',   20.0, date '2024-01-03', '13',  'b'),
        (3, 'Globex', 30.0, date '2024-01-05', 'n/a', ''),
        (4, '  ',     40.0, date '2024-01-10', '15',  null),
        (5, null,     50.0, null,              '16',  'c'),
        (6, 'Acme',  100.0, date '2024-01-01', '17',  'd'),
        (7, 'Initech', 10.0, date '2024-01-02', '18', 'e'),
        (8, 'Acme',   10.0, date '2024-01-02', '19',  'f'),
        (9, 'Acme',   10.0, date '2024-01-02', '20',  'g'),
        (10, 'Acme',  10.0, date '2024-01-02', '21',  'h')
      ) t(id, customer, amount, ordered_on, qty, note)`,
      opts,
    );
    await engine.query(
      "create table due as select case when range = 3 then 'tbd' else (date '2024-05-01' + range::int)::varchar end as due from range(12)",
      opts,
    );
    await engine.query(
      "create table dupes as select * from (values (1, 'x'), (1, 'x'), (1, 'x'), (2, 'y'), (2, null), (2, null)) t(a, b)",
      opts,
    );
  });
  afterAll(() => {
    engine?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("counts nulls, blanks, distinct values, min/max and the top values", async () => {
    const profile = await profileTable(engine, "orders");
    expect(profile).toMatchObject({ table: "orders", rows: 10, duplicateRows: 0 });
    const customer = profile.columns.find((column) => column.name === "customer");
    expect(customer).toEqual({
      name: "customer",
      type: "text",
      nulls: 1,
      blanks: 1,
      distinct: 4,
      min: "  ",
      max: "Initech",
      top: [
        { value: "Acme", count: 6 },
        { value: "  ", count: 1 },
        { value: "Globex", count: 1 },
        { value: "Initech", count: 1 },
      ],
      typeMismatches: 0,
    });
    const note = profile.columns.find((column) => column.name === "note");
    expect(note).toMatchObject({ nulls: 1, blanks: 1, distinct: 9, typeMismatches: 0 });
    expect(note?.histogram).toBeUndefined();
  });

  it("bins numbers and dates into equal-width histograms", async () => {
    const profile = await profileTable(engine, "orders");
    const amount = profile.columns.find((column) => column.name === "amount");
    expect(amount).toMatchObject({ type: "decimal", min: 10, max: 100, nulls: 0, distinct: 6 });
    expect(amount?.histogram).toHaveLength(10);
    expect(amount?.histogram?.[0]).toEqual({ from: 10, to: 19, count: 5 });
    expect(amount?.histogram?.[1]).toEqual({ from: 19, to: 28, count: 1 });
    expect(amount?.histogram?.[9]).toEqual({ from: 91, to: 100, count: 1 });
    expect(amount?.histogram?.reduce((sum, bin) => sum + bin.count, 0)).toBe(10);
    // Ten days from 1 to 10 January: one bin per day.
    const ordered = profile.columns.find((column) => column.name === "ordered_on");
    expect(ordered).toMatchObject({ type: "date", min: "2024-01-01", max: "2024-01-10", nulls: 1 });
    expect(ordered?.histogram).toHaveLength(10);
    expect(ordered?.histogram?.slice(0, 3)).toEqual([
      { from: "2024-01-01", to: "2024-01-02", count: 2 },
      { from: "2024-01-02", to: "2024-01-03", count: 4 },
      { from: "2024-01-03", to: "2024-01-04", count: 1 },
    ]);
    // Integers spanning fewer values than bins get one bin per value.
    const id = profile.columns.find((column) => column.name === "id");
    expect(id?.histogram?.map((bin) => bin.count)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(id?.histogram?.[0]).toEqual({ from: 1, to: 2, count: 1 });
    expect(id?.top.map((entry) => [entry.value, entry.count])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
    ]);
  });

  it("finds values of the wrong type in a text column that is mostly numbers", async () => {
    const profile = await profileTable(engine, "orders");
    const qty = profile.columns.find((column) => column.name === "qty");
    expect(qty).toMatchObject({
      type: "text",
      typeMismatches: 1,
      expectedType: "number",
      mismatchExamples: ["n/a"],
    });
    expect(qty?.histogram).toBeUndefined();
  });

  it("finds values of the wrong type in a text column that is mostly dates", async () => {
    const profile = await profileTable(engine, "due");
    expect(profile.columns[0]).toMatchObject({
      type: "text",
      distinct: 12,
      typeMismatches: 1,
      expectedType: "date",
      mismatchExamples: ["tbd"],
    });
  });

  it("leaves NaN and infinities out of the range and the bins", async () => {
    await engine.query(
      "create table odd as select * from (values (1.0::double), (5.0), ('nan'::double), ('-inf'::double), (null)) t(x)",
      opts,
    );
    const [x] = (await profileTable(engine, "odd")).columns;
    expect(x).toMatchObject({ min: 1, max: 5, nulls: 1 });
    expect(x?.histogram?.reduce((sum, bin) => sum + bin.count, 0)).toBe(2);
  });

  it("counts rows that repeat an earlier row exactly", async () => {
    const profile = await profileTable(engine, "dupes");
    expect(profile).toMatchObject({ rows: 6, duplicateRows: 3 });
    expect(profile.columns[1]).toMatchObject({ name: "b", nulls: 2, distinct: 2 });
  });

  it("estimates distinct values of large tables and says so", async () => {
    const saved = profileLimits.exactDistinctRows;
    profileLimits.exactDistinctRows = 5;
    try {
      const profile = await profileTable(engine, "orders");
      expect(profile.columns[0]?.approximateDistinct).toBe(true);
      expect(profile.columns[0]?.distinct).toBeGreaterThan(8);
      // Mostly-distinct columns take their top values from a sketch, still counted exactly.
      expect(profile.columns[0]?.top).toHaveLength(5);
      expect(profile.columns[0]?.top.every((entry) => entry.count === 1)).toBe(true);
      expect(profile.columns[1]?.top[0]).toEqual({ value: "Acme", count: 6 });
    } finally {
      profileLimits.exactDistinctRows = saved;
    }
  });

  it("builds the quality report from the profile and malformed rows", async () => {
    const profiles = [await profileTable(engine, "orders"), await profileTable(engine, "dupes")];
    const issues = qualityReport(profiles, { rejectedRows: 2, examples: [4, 9] });
    expect(issues).toEqual([
      {
        table: "orders",
        kind: "malformed_rows",
        count: 2,
        message: "2 malformed rows could not be read and were skipped",
        examples: [4, 9],
      },
      {
        table: "orders",
        column: "customer",
        kind: "blanks",
        count: 1,
        message: "1 value of customer is blank (empty or only spaces)",
      },
      {
        table: "orders",
        column: "qty",
        kind: "type_mismatch",
        count: 1,
        message: "1 value of qty is not a number, though the other 9 are",
        examples: ["n/a"],
      },
      {
        table: "orders",
        column: "note",
        kind: "blanks",
        count: 1,
        message: "1 value of note is blank (empty or only spaces)",
      },
      {
        table: "dupes",
        kind: "duplicate_rows",
        count: 3,
        message: "3 rows repeat an earlier row exactly",
      },
    ]);
  });

  it("keeps a load when profiling fails, with no profile", async () => {
    const warnings: unknown[] = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args), info: () => undefined };
    const result = await analyseTables(engine, ["no_such_table"], { log });
    expect(result).toEqual({ profile: null, quality: null });
    expect(warnings).toHaveLength(1);
  });
});
