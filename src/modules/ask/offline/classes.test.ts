import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { askOverFiles, canonicalRows } from "../../../../test/helpers/ask-session.js";

/**
 * Classes of questions over a tiny schema of its own (stores, staff, sales and their lines), so a
 * rule that only fits the sales fixture or the evaluation set fails here.
 */
const today = new Date("2024-06-15T00:00:00Z");

function writeShop(dir: string) {
  mkdirSync(dir, { recursive: true });
  const csv = (name: string, rows: (string | number | boolean | null)[][]) =>
    writeFileSync(
      path.join(dir, `${name}.csv`),
      `${rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))).join(",")).join("\n")}\n`,
    );
  csv("stores", [
    ["store_id", "store_name", "city"],
    [1, "Harbour", "Hamburg"],
    [2, "Market", "Munich"],
    [3, "Station", "Berlin"],
  ]);
  const staff: (string | number | null)[][] = [
    ["staff_id", "first_name", "last_name", "store_id", "manager_id", "hired_on", "left_on"],
  ];
  for (let id = 1; id <= 12; id++)
    staff.push([
      id,
      `Ann${id}`,
      `Lee${id}`,
      1 + (id % 3),
      id <= 3 ? null : 1 + (id % 3),
      `2020-0${1 + (id % 9)}-10`,
      id % 4 === 0 ? `2023-0${1 + (id % 9)}-20` : null,
    ]);
  csv("staff", staff);
  const sales: (string | number | null)[][] = [
    ["sale_id", "store_id", "staff_id", "sold_at", "shipping_fee", "refund_amount", "sale_total"],
  ];
  const lines: (string | number | boolean)[][] = [["line_id", "sale_id", "qty", "line_total", "gift"]];
  for (let id = 1; id <= 60; id++) {
    const count = 1 + (id % 3);
    let total = 0;
    for (let line = 0; line < count; line++) {
      const amount = 10 + ((id * 7 + line * 13) % 90);
      total += amount;
      lines.push([lines.length, id, 1 + ((id + line) % 4), amount, (id + line) % 5 === 0]);
    }
    sales.push([
      id,
      1 + (id % 3),
      1 + (id % 12),
      `2024-0${1 + (id % 5)}-${String(1 + (id % 27)).padStart(2, "0")}`,
      5 + (id % 4),
      id % 6 === 0 ? 900 : 0,
      total,
    ]);
  }
  csv("sales", sales);
  csv("sale_lines", lines);
}

const ask = askOverFiles("shop", writeShop, today);

const cases: [string, string, string, boolean?][] = [
  // Which money column "revenue" means: the sale's own total, at the grain the question needs.
  [
    "revenue is the sale's total, not a refund",
    "What is the total revenue?",
    "select sum(sale_total) from sales",
  ],
  [
    "revenue by a dimension of the header",
    "Revenue by city",
    "select st.city, sum(s.sale_total) from sales s join stores st using (store_id) group by st.city",
  ],
  [
    "a row's size is its total, not a fee",
    "How many sales were over 150?",
    "select count(*) from sales where sale_total > 150",
  ],
  ["how many of a unit is its sum", "How many units were sold?", "select sum(qty) from sale_lines"],
  // What to list: the rows' names, a person's first and last name.
  [
    "a null key is a missing relation",
    "Which staff have no manager?",
    "select first_name, last_name from staff where manager_id is null",
  ],
  [
    "an event that happened",
    "How many staff have left?",
    "select count(*) from staff where left_on is not null",
  ],
  [
    "an event that has not happened",
    "How many staff have not left?",
    "select count(*) from staff where left_on is null",
  ],
  [
    "a yes/no column as an adjective",
    "How many gift lines are there?",
    "select count(*) from sale_lines where gift",
  ],
  [
    "a total per entity compared with a number",
    "Stores with revenue over 1500",
    "select st.store_name, sum(s.sale_total) from sales s join stores st using (store_id) group by st.store_name having sum(s.sale_total) > 1500",
  ],
  [
    "the number of rows asked for",
    "Which 2 stores have the highest revenue?",
    "select st.store_name, sum(s.sale_total) r from sales s join stores st using (store_id) group by st.store_name order by r desc limit 2",
    true,
  ],
  [
    "a figure over a scope, not a row",
    "What's the highest sale total among our sales?",
    "select max(sale_total) from sales",
  ],
];

describe("classes of questions over an unseen schema", () => {
  it.each(cases)("%s: %s", async (_class, question, sql, ordered) => {
    const answer = await ask.session.ask(question);
    expect(answer.error, `${question}\n${answer.sql}`).toBeUndefined();
    expect(canonicalRows(answer.rows, ordered ?? false), `${question}\n${answer.sql}`).toEqual(
      canonicalRows(await ask.gold(sql), ordered ?? false),
    );
  });

  it.each([
    ["an aggregation with nothing to aggregate", "What's the average for Harbour?"],
    ["a ranking that names nothing", "Who is the busiest?"],
    ["a superlative on an entity with no measure", "Who are our biggest stores?"],
  ])("asks back on %s: %s", async (_class, question) => {
    const draft = await ask.session.draft(question);
    expect(draft.clarification?.options.length, draft.sql).toBeGreaterThanOrEqual(2);
  });
});
