import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { askOverFiles, canonicalRows } from "../../../../test/helpers/ask-session.js";

/**
 * Questions whose figure is computed rather than stored: revenue from quantity × unit price less
 * a discount, each entity's total against the average entity, the average of per-entity totals,
 * and changes from one period to the next. A schema of their own, with no amount column anywhere.
 */
const today = new Date("2025-06-15T00:00:00Z");

function writeShop(dir: string) {
  mkdirSync(dir, { recursive: true });
  const csv = (name: string, rows: (string | number | null)[][]) =>
    writeFileSync(path.join(dir, `${name}.csv`), `${rows.map((row) => row.join(",")).join("\n")}\n`);
  const clients: (string | number)[][] = [["client_id", "client_name", "country"]];
  const countries = ["Norway", "Chile", "Kenya"];
  for (let id = 1; id <= 9; id++)
    clients.push([id, `Client ${String.fromCharCode(64 + id)}`, countries[id % 3] ?? ""]);
  csv("clients", clients);
  csv("items", [
    ["item_id", "item_name", "family"],
    [1, "Kettle", "Kitchen"],
    [2, "Lamp", "Living"],
    [3, "Toaster", "Kitchen"],
    [4, "Rug", "Living"],
    [5, "Clock", "Decor"],
  ]);
  const purchases: (string | number)[][] = [["purchase_id", "client_id", "purchased_on"]];
  const lines: (string | number)[][] = [
    ["purchase_line_id", "purchase_id", "item_id", "qty", "unit_price", "discount"],
  ];
  for (let id = 1; id <= 120; id++) {
    // Clients 1–8 buy, each a different amount; client 9 never does.
    const client = 1 + ((id * 5) % 8);
    const month = 1 + ((id * 7) % 12);
    const year = 2023 + (id % 3 === 0 ? 1 : 0) + (id % 7 === 0 ? 1 : 0);
    purchases.push([
      id,
      client,
      `${year}-${String(month).padStart(2, "0")}-${String(1 + (id % 27)).padStart(2, "0")}`,
    ]);
    for (let line = 0; line < 1 + (id % 3); line++) {
      const item = 1 + ((id + line * 2) % 5);
      lines.push([
        lines.length,
        id,
        item,
        1 + ((id + line) % 4) + client,
        10 + item * 7 + (id % 5),
        [0, 0.1, 0.25][(id + line) % 3] ?? 0,
      ]);
    }
  }
  csv("purchases", purchases);
  csv("purchase_lines", lines);
}

const ask = askOverFiles("shop", writeShop, today);

const REVENUE = "qty * unit_price * (1 - discount)";

const cases: [string, string, string, boolean?][] = [
  [
    "revenue computed from its lines",
    "What is the total revenue?",
    `select sum(${REVENUE}) from purchase_lines`,
  ],
  [
    "computed revenue by a dimension",
    "Revenue by item family",
    `select i.family, sum(${REVENUE}) from purchase_lines l join items i using (item_id) group by i.family`,
  ],
  [
    "computed revenue ranked",
    "Which item brought in the most revenue?",
    `select i.item_name, sum(${REVENUE}) r from purchase_lines l join items i using (item_id) group by i.item_name order by r desc limit 1`,
    true,
  ],
  [
    "each entity's total against the average entity",
    "Which clients spent more than the average client?",
    `with t as (select c.client_name, sum(${REVENUE}) s from purchase_lines l join purchases p using (purchase_id) join clients c using (client_id) group by c.client_name)
     select client_name from t where s > (select avg(s) from t)`,
  ],
  [
    "a count per entity against the average count",
    "Clients with more purchases than the average client",
    `with t as (select c.client_name, count(*) n from purchases p join clients c using (client_id) group by c.client_name)
     select client_name from t where n > (select avg(n) from t)`,
  ],
  [
    "above-average totals",
    "Items with above-average revenue",
    `with t as (select i.item_name, sum(${REVENUE}) s from purchase_lines l join items i using (item_id) group by i.item_name)
     select item_name from t where s > (select avg(s) from t)`,
  ],
  [
    "the average of per-entity totals, over every entity",
    "What is the average total revenue per client?",
    `select sum(${REVENUE}) / (select count(*) from clients) from purchase_lines`,
  ],
  [
    "a change from one period to another, as a percentage",
    "By what percentage did the number of purchases grow from 2023 to 2024?",
    `select 100.0 * (count(*) filter (where year(purchased_on) = 2024) - count(*) filter (where year(purchased_on) = 2023)) / count(*) filter (where year(purchased_on) = 2023) from purchases`,
  ],
  [
    "each period against the one before",
    "How did the number of purchases change year over year?",
    `with y as (select date_trunc('year', purchased_on)::date y, count(*) n from purchases group by 1)
     select y, n, n - lag(n) over (order by y) from y order by y`,
    true,
  ],
  [
    "month-over-month growth within a year",
    "Month-over-month growth in purchases in 2023",
    `with m as (select date_trunc('month', purchased_on)::date m, count(*) n from purchases where year(purchased_on) = 2023 group by 1)
     select m, n, 100.0 * (n - lag(n) over (order by m)) / lag(n) over (order by m) from m order by m`,
    true,
  ],
  [
    "two periods side by side",
    "Number of purchases in 2023 vs 2024",
    `select date_trunc('year', purchased_on)::date, count(*) from purchases where year(purchased_on) in (2023, 2024) group by 1`,
  ],
];

describe("computed figures over an unseen schema", () => {
  it.each(cases)("%s: %s", async (_class, question, sql, ordered) => {
    const answer = await ask.session.ask(question);
    expect(answer.error, `${question}\n${answer.sql}`).toBeUndefined();
    expect(canonicalRows(answer.rows, ordered ?? false), `${question}\n${answer.sql}`).toEqual(
      canonicalRows(await ask.gold(sql), ordered ?? false),
    );
  });

  it("describes a computed column to the language model as the expression to write", async () => {
    const { renderSchema } = await import("../llm-engine/prompt.js");
    const text = renderSchema({ ...ask.session.schema, scores: new Map() });
    expect(text).toContain(
      "revenue: not a stored column; compute it as qty * unit_price * (1 - coalesce(discount, 0))",
    );
  });
});
