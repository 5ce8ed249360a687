import { describe, expect, it } from "vitest";
import { openDuckEngine } from "../warehouse/duckdb-engine.js";
import { guardSql } from "../warehouse/sql-guard.js";
import { compilePlan, explainPlan } from "./compile.js";
import type { AskDialect, QueryPlan } from "./types.js";

const plan: QueryPlan = {
  from: "orders",
  joins: [{ fromTable: "orders", fromColumn: "customer_id", toTable: "customers", toColumn: "id" }],
  measures: [{ agg: "sum", column: { table: "orders", column: "amount" }, alias: "total_amount" }],
  dimensions: [
    { column: { table: "customers", column: "region" }, alias: "region" },
    { column: { table: "orders", column: "ordered_on" }, bucket: "month", alias: "month" },
  ],
  filters: [
    { column: { table: "orders", column: "ordered_on" }, op: ">=", values: ["2024-01-01"] },
    { column: { table: "orders", column: "ordered_on" }, op: "<", values: ["2025-01-01"] },
    { column: { table: "customers", column: "vip" }, op: "=", values: [true] },
    { column: { table: "customers", column: "name" }, op: "!=", values: ["O'Brien"] },
  ],
  having: [{ measure: { agg: "count", alias: "" }, op: ">", values: [1] }],
  order: [{ by: "total_amount", direction: "desc" }],
  limit: 5,
};

describe("compilePlan", () => {
  it.each<[AskDialect, RegExp[]]>([
    [
      "duckdb",
      [
        /"customers"\."region" as "region"/,
        /date_trunc\('month', "orders"\."ordered_on"\)/,
        /= true/,
        /'O''Brien'/,
        /limit 5/,
      ],
    ],
    ["postgresql", [/date_trunc\('month'/, /having count\(\*\) > 1/, /order by "total_amount" desc/]],
    [
      "mysql",
      [
        /`customers`\.`region` as `region`/,
        /date_format\(`orders`\.`ordered_on`, '%Y-%m-01'\)/,
        /= 1/,
        /limit 5/,
      ],
    ],
  ])(
    "writes %s with its quoting, date buckets and literals, and the guard accepts it",
    (dialect, patterns) => {
      const sql = compilePlan(plan, dialect);
      for (const pattern of patterns) expect(sql).toMatch(pattern);
      expect(() => guardSql(sql, { dialect, tables: ["orders", "customers"], maxRows: 100 })).not.toThrow();
    },
  );

  it("runs in DuckDB and gives the grouped, filtered, ordered answer", async () => {
    const engine = await openDuckEngine({ file: ":memory:", readableDirs: [] });
    try {
      const setup = [
        "create table customers as select * from (values (1, 'Europe', true, 'Ann'), (2, 'Asia', true, 'Bo'), (3, 'Asia', false, 'Cy')) t(id, region, vip, name)",
        "create table orders as select * from (values (1, 1, 10.0, date '2024-01-05'), (2, 1, 5.0, date '2024-01-20'), (3, 2, 7.0, date '2024-02-01'), (4, 2, 1.0, date '2024-02-03'), (5, 3, 99.0, date '2024-02-04'), (6, 1, 50.0, date '2023-02-04')) t(order_id, customer_id, amount, ordered_on)",
      ];
      for (const statement of setup) await engine.query(statement, { maxRows: 1, timeoutMs: 5000 });
      const result = await engine.query(compilePlan(plan, "duckdb"), { maxRows: 100, timeoutMs: 5000 });
      expect(result.columns.map((column) => column.name)).toEqual(["region", "month", "total_amount"]);
      expect(result.rows).toEqual([
        ["Europe", "2024-01-01", 15],
        ["Asia", "2024-02-01", 8],
      ]);
    } finally {
      engine.close();
    }
  });

  it("lists columns when nothing is aggregated", () => {
    const sql = compilePlan(
      {
        from: "orders",
        joins: [],
        measures: [],
        dimensions: [],
        filters: [{ column: { table: "orders", column: "note" }, op: "is null", values: [] }],
        having: [],
        order: [],
      },
      "postgresql",
    );
    expect(sql).toBe('select "orders".*\nfrom "orders"\nwhere "orders"."note" is null');
  });
});

describe("explainPlan", () => {
  it("says what the plan does", () => {
    expect(explainPlan(plan)).toBe(
      "Total amount of orders, by region and month of ordered on, where ordered on on or after 2024-01-01 and ordered on before 2025-01-01 and vip is true and name is not O'Brien, keeping groups whose number of orders is > 1, highest total amount first, top 5.",
    );
  });
});
