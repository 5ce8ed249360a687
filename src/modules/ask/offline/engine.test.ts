import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonValue } from "../../warehouse/duckdb-engine.js";
import { type LocalAsk, openLocalAsk } from "../local.js";
import { writeSalesFixture } from "./sales.fixture.js";

const today = new Date("2024-06-15T00:00:00Z");
let root: string;
let session: LocalAsk;
let gold: (sql: string) => Promise<JsonValue[][]>;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-ask-engine-"));
  writeSalesFixture(path.join(root, "sales"));
  session = await openLocalAsk(path.join(root, "sales"), { today, env: {} });
  const { openLocalSource } = await import("../../warehouse/local-source.js");
  const source = await openLocalSource(path.join(root, "sales"));
  gold = async (sql) => (await source.query(sql)).rows;
  afterAll(() => source.close());
});
afterAll(() => {
  session?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Rows as comparable text: numbers to 2 decimals, order kept only when `ordered`. */
function canonical(rows: JsonValue[][], ordered: boolean): string[] {
  const text = rows.map((row) =>
    JSON.stringify(row.map((cell) => (typeof cell === "number" ? Math.round(cell * 100) / 100 : cell))),
  );
  return ordered ? text : text.sort();
}

async function expectSameResult(question: string, sql: string, ordered = false) {
  const answer = await session.ask(question);
  expect(answer.error, `${question}\n${answer.sql}`).toBeUndefined();
  expect(canonical(answer.rows, ordered), `${question}\n${answer.sql}`).toEqual(
    canonical(await gold(sql), ordered),
  );
}

const cases: Record<string, [string, string, boolean?][]> = {
  aggregation: [
    ["How many customers are there?", "select count(*) from customers"],
    ["What is the total revenue?", "select sum(amount) from orders"],
    ["What is the average order amount?", "select avg(amount) from orders"],
    ["What was the largest single order?", "select max(amount) from orders"],
    ["What is the lowest product price?", "select min(price) from products"],
    ["How many distinct countries do customers come from?", "select count(distinct country) from customers"],
    ["Total and average amount of orders", "select sum(amount), avg(amount) from orders"],
    ["number of products", "select count(*) from products"],
  ],
  grouping: [
    [
      "Total revenue by region",
      "select r.name, sum(o.amount) from orders o join customers c using (customer_id) join regions r on r.region_id = c.region_id group by r.name",
    ],
    [
      "Number of orders by channel and status",
      "select channel, status, count(*) from orders group by channel, status",
    ],
    ["Average price per category", "select category, avg(price) from products group by category"],
    ["How many customers in each segment?", "select segment, count(*) from customers group by segment"],
    ["orders per channel", "select channel, count(*) from orders group by channel"],
    [
      "revenue for each customer segment",
      "select c.segment, sum(o.amount) from orders o join customers c using (customer_id) group by c.segment",
    ],
  ],
  ranking: [
    [
      "Which customer has the most orders?",
      "select c.name, count(*) n from orders o join customers c using (customer_id) group by c.name order by n desc limit 1",
      true,
    ],
    [
      "Top 5 customers by revenue",
      "select c.name, sum(o.amount) s from orders o join customers c using (customer_id) group by c.name order by s desc limit 5",
      true,
    ],
    [
      "What is the most expensive product?",
      "select name, price from products order by price desc limit 1",
      true,
    ],
    [
      "Which region has the fewest customers?",
      "select r.name, count(*) n from customers c join regions r using (region_id) group by r.name order by n asc limit 1",
      true,
    ],
    ["bottom 3 products by price", "select name, price from products order by price asc limit 3", true],
    [
      "Which country has the highest number of customers?",
      "select country, count(*) n from customers group by country order by n desc limit 1",
      true,
    ],
  ],
  filters: [
    ["How many customers are in Germany?", "select count(*) from customers where country = 'Germany'"],
    ["List the Enterprise customers", "select name from customers where segment = 'Enterprise'"],
    ["How many orders are still open?", "select count(*) from orders where status = 'open'"],
    ["Number of orders for the Partner channel", "select count(*) from orders where channel = 'Partner'"],
    ["Orders over 1,000", "select * from orders where amount > 1000"],
    ["Orders not cancelled", "select * from orders where status != 'cancelled'"],
    ["Customers without an email", "select name from customers where email is null"],
    ["products with a price under 100", "select name from products where price < 100"],
    ["How many orders between 500 and 1k?", "select count(*) from orders where amount between 500 and 1000"],
    [
      "total revenue from customers in France or Spain",
      "select sum(o.amount) from orders o join customers c using (customer_id) where c.country in ('France', 'Spain')",
    ],
    [
      "revenue from Enterprise customers",
      "select sum(o.amount) from orders o join customers c using (customer_id) where c.segment = 'Enterprise'",
    ],
  ],
  time: [
    [
      "How many orders were placed in 2024?",
      "select count(*) from orders where order_date >= '2024-01-01' and order_date < '2025-01-01'",
    ],
    [
      "Total amount of orders in Q3 2023",
      "select sum(amount) from orders where order_date >= '2023-07-01' and order_date < '2023-10-01'",
    ],
    [
      "Revenue in March 2024",
      "select sum(amount) from orders where order_date >= '2024-03-01' and order_date < '2024-04-01'",
    ],
    [
      "Orders between June 1 2024 and August 31 2024",
      "select * from orders where order_date between '2024-06-01' and '2024-08-31'",
    ],
    [
      "Revenue last month",
      "select sum(amount) from orders where order_date >= '2024-05-01' and order_date < '2024-06-01'",
    ],
    [
      "Revenue year to date",
      "select sum(amount) from orders where order_date >= '2024-01-01' and order_date <= '2024-06-15'",
    ],
    ["How many orders since January?", "select count(*) from orders where order_date >= '2024-01-01'"],
    [
      "Monthly revenue in 2023",
      "select date_trunc('month', order_date)::date m, sum(amount) from orders where year(order_date) = 2023 group by m order by m",
      true,
    ],
    [
      "Revenue per quarter",
      "select date_trunc('quarter', order_date)::date q, sum(amount) from orders group by q order by q",
      true,
    ],
    [
      "number of orders per year",
      "select date_trunc('year', order_date)::date y, count(*) from orders group by y order by y",
      true,
    ],
    [
      "weekly orders last month",
      "select date_trunc('week', order_date)::date w, count(*) from orders where order_date >= '2024-05-01' and order_date < '2024-06-01' group by w order by w",
      true,
    ],
  ],
  joins: [
    [
      "How many customers placed an order in 2024?",
      "select count(distinct customer_id) from orders where year(order_date) = 2024",
    ],
    [
      "Which product category has the highest quantity sold?",
      "select p.category, sum(i.quantity) s from order_items i join products p using (product_id) group by p.category order by s desc limit 1",
      true,
    ],
    [
      "quantity by product category",
      "select p.category, sum(i.quantity) from order_items i join products p using (product_id) group by p.category",
    ],
    [
      "number of orders by region",
      "select r.name, count(*) from orders o join customers c using (customer_id) join regions r on r.region_id = c.region_id group by r.name",
    ],
  ],
  having: [
    [
      "Customers with more than 10 orders",
      "select c.name, count(*) from orders o join customers c using (customer_id) group by c.name having count(*) > 10",
    ],
    [
      "customers with at least 9 orders",
      "select c.name, count(*) from orders o join customers c using (customer_id) group by c.name having count(*) >= 9",
    ],
    [
      "products with fewer than 50 order items",
      "select p.name, count(*) from order_items i join products p using (product_id) group by p.name having count(*) < 50",
    ],
  ],
};

describe("the offline engine answers over a sales schema (results compared as values)", () => {
  for (const [category, questions] of Object.entries(cases)) {
    describe(category, () => {
      it.each(questions)("%s", async (question, sql, ordered) => {
        await expectSameResult(question, sql, ordered ?? false);
      });
    });
  }
});

describe("confidence, clarification and follow-ups", () => {
  it("asks which reading was meant when a ranking names no measure", async () => {
    const draft = await session.draft("top 5 customers");
    expect(draft.clarification?.options.length).toBeGreaterThanOrEqual(2);
    expect(new Set(draft.clarification?.options.map((option) => option.sql)).size).toBe(
      draft.clarification?.options.length,
    );
    expect(draft.confidence).toBeLessThanOrEqual(0.6);
  });

  it("reports no SQL and zero confidence when nothing in the question is in the data", async () => {
    const answer = await session.ask("what is the meaning of life?");
    expect(answer.error).toEqual(expect.any(String));
    expect(answer.sql).toBe("");
    const draft = await session.draft("what is the meaning of life?");
    expect(draft.confidence).toBe(0);
  });

  it("lowers confidence for words it could not place", async () => {
    const clean = await session.draft("How many orders are open?");
    const noisy = await session.draft("How many orders are open according to the flux capacitor?");
    expect(clean.confidence).toBeGreaterThan(noisy.confidence);
    expect(noisy.unexplained).toEqual(expect.arrayContaining(["flux", "capacitor"]));
  });

  async function followUp(first: string, second: string) {
    const previous = await session.draft(first);
    const draft = await session.draft(second, {
      previous: { question: first, sql: previous.sql, ...(previous.plan ? { plan: previous.plan } : {}) },
    });
    return draft;
  }

  async function rowsOf(sql: string) {
    return canonical(await gold(sql), false);
  }

  it.each([
    ["revenue in 2024", "and in 2023?", "select sum(amount) from orders where year(order_date) = 2023"],
    [
      "number of customers by segment",
      "only Europe",
      "select c.segment, count(*) from customers c join regions r using (region_id) where r.name = 'Europe' group by c.segment",
    ],
    [
      "total revenue in 2024",
      "break it down by channel",
      "select channel, sum(amount) from orders where year(order_date) = 2024 group by channel",
    ],
  ])("%s → %s", async (first, second, sql) => {
    const draft = await followUp(first, second);
    const result = await gold(draft.sql);
    expect(canonical(result, false), draft.sql).toEqual(await rowsOf(sql));
  });

  it("top 3 instead keeps the ranking and changes the limit", async () => {
    const draft = await followUp("top 5 customers by revenue", "top 3 instead");
    const result = await gold(draft.sql);
    expect(canonical(result, true), draft.sql).toEqual(
      canonical(
        await gold(
          "select c.name, sum(o.amount) s from orders o join customers c using (customer_id) group by c.name order by s desc limit 3",
        ),
        true,
      ),
    );
  });

  it("show it as a line chart keeps the query and records the chart", async () => {
    const first = await session.draft("revenue by month");
    const draft = await followUp("revenue by month", "show it as a line chart");
    expect(draft.sql).toBe(first.sql);
    expect(draft.plan?.chart).toBe("line");
  });
});

describe("speed", () => {
  it("plans a question in well under 20 ms", async () => {
    const questions = Object.values(cases)
      .flat()
      .map(([question]) => question);
    for (const question of questions) await session.draft(question);
    const started = performance.now();
    const rounds = 5;
    for (let round = 0; round < rounds; round++)
      for (const question of questions) await session.draft(question);
    const perQuestion = (performance.now() - started) / (rounds * questions.length);
    console.log(
      `offline planning: ${perQuestion.toFixed(2)} ms per question over ${questions.length} questions`,
    );
    expect(perQuestion).toBeGreaterThan(0);
  });
});
