import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../platform/errors.js";
import { benignQueries, hostileStatements } from "./sql-guard.corpus.js";
import { type GuardOptions, guardSql, type SqlDialect, SqlRefused } from "./sql-guard.js";

const DIALECTS: SqlDialect[] = ["duckdb", "postgresql", "mysql"];
const TABLES = ["orders", "customers", "Line Items", "events"];

function options(dialect: SqlDialect, overrides: Partial<GuardOptions> = {}): GuardOptions {
  return { dialect, tables: TABLES, maxRows: 1000, ...overrides };
}

function refusal(run: () => unknown): SqlRefused {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SqlRefused);
    return error as SqlRefused;
  }
  throw new Error("expected the statement to be refused, but it was allowed");
}

const FIXTURE = `
  create table customers (id integer, name varchar, region varchar, signed_up date);
  insert into customers values
    (1, 'Acme', 'EU', '2023-01-15'), (2, 'Globex', 'US', '2023-03-02'),
    (3, 'Initech', 'US', '2023-07-20'), (4, 'Umbrella', 'APAC', '2024-01-05');
  create table orders (id integer, customer_id integer, amount decimal(10, 2), status varchar, ordered_at timestamp);
  insert into orders values
    (1, 1, 120.00, 'paid', '2024-01-10 10:00'), (2, 1, 45.50, 'refunded', '2024-01-22 09:30'),
    (3, 2, 80.00, 'paid', '2024-02-03 14:00'), (4, 2, 15.25, 'pending', '2024-02-18 16:45'),
    (5, 3, 250.00, 'paid', '2024-02-27 11:15'), (6, 2, 60.00, 'paid', '2024-03-05 08:00'),
    (7, 3, 30.00, 'refunded', '2024-03-12 12:00'), (8, 5, 99.99, 'paid', '2024-03-20 17:30');
  create table "Line Items" ("Order Id" integer, "Unit Price" double, qty integer);
  insert into "Line Items" values (1, 10.0, 3), (1, 2.5, 4), (3, 40.0, 2);
  create table events (id integer, kind varchar);
  insert into events values (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e');
`;

let connection: DuckDBConnection;

beforeAll(async () => {
  const db = await DuckDBInstance.create(":memory:");
  connection = await db.connect();
  await connection.run(FIXTURE);
});

afterAll(() => {
  connection?.closeSync();
});

async function rows(sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJson() as unknown[][];
}

describe("hostile statements", () => {
  it("the corpus is big enough to mean something", () => {
    expect(hostileStatements.length).toBeGreaterThanOrEqual(60);
    for (const dialect of DIALECTS) {
      expect(
        hostileStatements.filter((h) => (h.dialects ?? DIALECTS).includes(dialect)).length,
      ).toBeGreaterThanOrEqual(60);
    }
  });

  describe.each(DIALECTS)("on %s", (dialect) => {
    const cases = hostileStatements
      .filter((h) => (h.dialects ?? DIALECTS).includes(dialect))
      .map((h) => [h.sql, h.reason] as const);

    it.each(cases)("refuses %j (%s)", (sql, reason) => {
      const error = refusal(() => guardSql(sql, options(dialect)));
      expect(error.extra.reason).toBe(reason);
      expect(error.message.length).toBeGreaterThan(10);
    });
  });

  it("leaves the DuckDB data unchanged when every hostile statement goes through guard-then-run", async () => {
    const before = await rows("select count(*), sum(amount), max(status) from orders");
    for (const { sql, dialects } of hostileStatements) {
      if (dialects && !dialects.includes("duckdb")) continue;
      let guarded: string | undefined;
      try {
        guarded = guardSql(sql, options("duckdb")).sql;
      } catch {
        continue;
      }
      throw new Error(`allowed: ${sql} → ${guarded}`);
    }
    expect(await rows("select count(*), sum(amount), max(status) from orders")).toEqual(before);
    expect(await rows("select count(*) from duckdb_tables() where table_name = 'stolen'")).toEqual([["0"]]);
  });
});

describe("refusals", () => {
  it("are 400 sql_refused AppErrors with a stable reason and a readable message", () => {
    const error = refusal(() => guardSql("select 1; drop table orders", options("duckdb")));
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(400);
    expect(error.code).toBe("sql_refused");
    expect(error.reason).toBe("multiple_statements");
    expect(error.extra).toMatchObject({ reason: "multiple_statements" });
    expect(error.message).toBe("Only one SELECT statement may run; found 2 statements.");
  });

  it("name the statement kind, the function and the table involved", () => {
    expect(refusal(() => guardSql("DELETE FROM orders", options("postgresql"))).message).toContain("DELETE");
    expect(refusal(() => guardSql("select PG_SLEEP(1)", options("postgresql"))).message).toContain(
      "PG_SLEEP()",
    );
    const unknown = refusal(() => guardSql("select * from pg_catalog.pg_user", options("postgresql")));
    expect(unknown.message).toContain("pg_catalog.pg_user");
    expect(unknown.message).toContain("orders, customers");
  });

  it("report parse errors with the parser's position and message, and a hint for syntax it lacks", () => {
    const error = refusal(() =>
      guardSql("select id\nfrom orders qualify row_number() over () = 1", options("duckdb")),
    );
    expect(error.reason).toBe("parse_error");
    expect(error.message).toMatch(/line 2, column \d+/);
    expect(error.message).toContain("QUALIFY is not supported");
    expect(String(error.extra.parserMessage)).toMatch(/Expected .* found/);
  });

  it.each([
    ["select substring(name from 1 for 3) from customers", "substring(text, start, length)"],
    ["select a, count(*) from orders group by grouping sets ((a), ())", "GROUPING SETS"],
    [
      "select sum(amount) over (order by id range between unbounded preceding and current row) from orders",
      "ROWS",
    ],
    ["select percent_rank() over (order by amount) from orders", "rank()"],
    ["select * exclude (status) from orders", "list the columns"],
    ["select [1, 2, 3]", "list_value"],
    ["select id from orders fetch first 3 rows only", "LIMIT"],
    ["select status, count(*) from orders group by all", "GROUP BY ALL"],
    ["select avg(amount) filter (where status = 'paid') over () from orders", "CASE"],
  ])("explain unsupported syntax: %s", (sql, hint) => {
    const error = refusal(() => guardSql(sql, options("duckdb")));
    expect(error.reason).toBe("parse_error");
    expect(error.message).toContain(hint);
  });

  it("reject a bad row cap as a programming error", () => {
    expect(() => guardSql("select 1", options("duckdb", { maxRows: -1 }))).toThrow(RangeError);
    expect(() => guardSql("select 1", options("duckdb", { maxRows: 1.5 }))).toThrow(RangeError);
  });
});

describe("benign queries", () => {
  it("the corpus is big enough to mean something", () => {
    expect(benignQueries.filter((q) => q.dialects.includes("duckdb")).length).toBeGreaterThanOrEqual(25);
  });

  const duckdb = benignQueries.filter((q) => q.dialects.includes("duckdb")).map((q) => q.sql);

  it.each(duckdb)("DuckDB runs the guarded form of %j with the same result", async (sql) => {
    const guarded = guardSql(sql, options("duckdb"));
    expect(guarded.sql).toMatch(/^select \* from \(/);
    const expected = await rows(sql);
    const actual = await rows(guarded.sql);
    expect(actual.length).toBeGreaterThan(0);
    if (/\border\s+by\b/i.test(sql)) {
      expect(actual).toEqual(expected);
    } else {
      const sorted = (r: unknown[][]) => r.map((row) => JSON.stringify(row)).sort();
      expect(sorted(actual)).toEqual(sorted(expected));
    }
  });

  const pgTables = ["public.orders", "public.customers", "public.Line Items"];
  it.each(benignQueries.filter((q) => q.dialects.includes("postgresql")).map((q) => q.sql))(
    "PostgreSQL allows %j",
    (sql) => {
      const guarded = guardSql(sql, options("postgresql", { tables: pgTables }));
      expect(guarded.sql).toMatch(/\) as sightline_q limit 1001$/);
      expect(guarded.tables.every((t) => pgTables.includes(t))).toBe(true);
    },
  );

  it.each(benignQueries.filter((q) => q.dialects.includes("mysql")).map((q) => q.sql))(
    "MySQL allows %j",
    (sql) => {
      const guarded = guardSql(sql, options("mysql"));
      expect(guarded.sql).toMatch(/limit (\d+, )?\d+( offset \d+)?$/);
    },
  );
});

describe("row cap", () => {
  it("fetches maxRows + 1 rows so the caller can tell the result was cut", async () => {
    const guarded = guardSql("select * from events", options("duckdb", { maxRows: 2 }));
    expect(await rows(guarded.sql)).toHaveLength(3);
    expect(await rows(guardSql("select * from events", options("duckdb", { maxRows: 10 })).sql)).toHaveLength(
      5,
    );
    expect(await rows(guardSql("select * from events", options("duckdb", { maxRows: 0 })).sql)).toHaveLength(
      1,
    );
  });

  it("keeps the user's ORDER BY and their own smaller LIMIT", async () => {
    const capped = guardSql("select id from events order by id desc", options("duckdb", { maxRows: 2 }));
    expect(await rows(capped.sql)).toEqual([[5], [4], [3]]);
    const own = guardSql("select id from events order by id limit 2", options("duckdb", { maxRows: 100 }));
    expect(await rows(own.sql)).toEqual([[1], [2]]);
  });

  it("is not swallowed by a trailing line comment or defeated by semicolons", async () => {
    for (const sql of [
      "select * from events -- trailing note",
      "select * from events --",
      "select * from events; -- done",
      "select * from events;;",
      "select * from events /* note */ ;",
      "; select * from events",
    ]) {
      const guarded = guardSql(sql, options("duckdb", { maxRows: 1 }));
      expect(guarded.sql).toBe("select * from (select * from events\n) as sightline_q limit 2");
      expect(await rows(guarded.sql)).toHaveLength(2);
    }
  });

  it("runs what was checked: comments are gone from the SQL that runs", () => {
    const guarded = guardSql("select /* a */ id -- b\nfrom events", options("duckdb"));
    expect(guarded.sql).toBe("select * from (select   id  \nfrom events\n) as sightline_q limit 1001");
  });

  it("on MySQL appends or lowers the LIMIT instead of wrapping, so duplicate column names still work", () => {
    const mysql = (sql: string) => guardSql(sql, options("mysql", { maxRows: 10 })).sql;
    expect(mysql("select * from orders o join customers c on c.id = o.customer_id -- x")).toBe(
      "select * from orders o join customers c on c.id = o.customer_id\nlimit 11",
    );
    expect(mysql("select * from orders limit 5")).toBe("select * from orders limit 5");
    expect(mysql("select * from orders order by id limit 500")).toBe(
      "select * from orders order by id limit 11",
    );
    expect(mysql("select * from orders limit 20, 500")).toBe("select * from orders limit 20, 11");
    expect(mysql("select * from orders limit 500 offset 20")).toBe("select * from orders limit 11 offset 20");
    expect(mysql("select a from orders union select b from customers")).toBe(
      "select a from orders union select b from customers\nlimit 11",
    );
    expect(mysql("select * from (select id from orders limit 500) t")).toBe(
      "select * from (select id from orders limit 500) t\nlimit 11",
    );
  });
});

describe("normalized", () => {
  it("ignores whitespace, comments, keyword case and the trailing semicolon", () => {
    const a = guardSql("SELECT  id\n FROM Orders -- note\n;", options("duckdb")).normalized;
    const b = guardSql("select id /* x */ from orders", options("duckdb")).normalized;
    expect(a).toBe("select id from orders");
    expect(b).toBe(a);
  });

  it("keeps string literals and quoted names exactly", () => {
    const upper = guardSql("select * from orders where status = 'PAID'", options("duckdb")).normalized;
    const lower = guardSql("select * from orders where status = 'paid'", options("duckdb")).normalized;
    expect(upper).not.toBe(lower);
    expect(guardSql('select "Unit Price" from "Line Items"', options("duckdb")).normalized).toBe(
      'select "Unit Price" from "Line Items"',
    );
  });

  it("keeps MySQL identifiers' case, since MySQL table names can be case-sensitive", () => {
    expect(guardSql("SELECT id FROM Orders", options("mysql")).normalized).toBe("SELECT id FROM Orders");
  });
});

describe("tables", () => {
  it("lists the tables read, as the caller named them", () => {
    const guarded = guardSql(
      "select * from ORDERS o join Customers c on c.id = o.customer_id where o.id in (select id from orders)",
      options("duckdb"),
    );
    expect(guarded.tables).toEqual(["orders", "customers"]);
  });

  it("does not count CTE names as tables, and lets a CTE shadow a catalog name", () => {
    const guarded = guardSql(
      "with pg_user as (select * from customers) select * from pg_user",
      options("postgresql"),
    );
    expect(guarded.tables).toEqual(["customers"]);
  });

  it("lets a recursive CTE refer to itself but not a plain one", () => {
    expect(
      guardSql(
        "with recursive pg_user(n) as (select 1 union all select n + 1 from pg_user where n < 3) select * from pg_user",
        options("postgresql"),
      ).tables,
    ).toEqual([]);
    expect(
      refusal(() => guardSql("with pg_user as (select * from pg_user) select 1", options("postgresql")))
        .reason,
    ).toBe("unknown_table");
  });

  it("matches schema-qualified tables: unqualified only when one schema has the name", () => {
    const tables = ["public.orders", "sales.orders", "public.customers"];
    const pg = (sql: string) => guardSql(sql, options("postgresql", { tables }));
    expect(pg("select * from customers").tables).toEqual(["public.customers"]);
    expect(pg("select * from PUBLIC.Orders").tables).toEqual(["public.orders"]);
    expect(pg("select * from sales.orders").tables).toEqual(["sales.orders"]);
    expect(refusal(() => pg("select * from orders")).reason).toBe("ambiguous_table");
    expect(refusal(() => pg("select * from orders")).message).toContain("public.orders, sales.orders");
    expect(refusal(() => pg("select * from other.customers")).reason).toBe("unknown_table");
    expect(refusal(() => pg("select * from db.public.customers")).reason).toBe("unknown_table");
  });

  it("does not let an unqualified allowed name reach a qualified table", () => {
    expect(refusal(() => guardSql("select * from main.orders", options("duckdb"))).reason).toBe(
      "unknown_table",
    );
  });
});

describe("text the parser could misread", () => {
  it("ends a PostgreSQL line comment at a carriage return, as PostgreSQL does", () => {
    expect(refusal(() => guardSql("select 1 --\rfrom pg_shadow", options("postgresql"))).reason).toBe(
      "unknown_table",
    );
  });

  it("reads nested block comments the way each database does", () => {
    const sql = "select 1 /* /* */ , pg_sleep(10) -- */";
    expect(guardSql(sql, options("postgresql")).sql).toBe(
      "select * from (select 1\n) as sightline_q limit 1001",
    );
    expect(refusal(() => guardSql(sql, options("mysql"))).reason).toBe("forbidden_function");
  });

  it("does not mistake strings that mention functions, comments or semicolons for code", () => {
    const sql = "select 'pg_sleep(1); drop table orders; -- /*' as s from orders";
    expect(guardSql(sql, options("postgresql")).tables).toEqual(["orders"]);
  });

  it("still allows string literals next to table names outside FROM", () => {
    const guarded = guardSql("select count(*), 'orders' as source from orders", options("duckdb"));
    expect(guarded.tables).toEqual(["orders"]);
  });
});
