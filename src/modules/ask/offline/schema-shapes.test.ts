import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonValue } from "../../warehouse/duckdb-engine.js";
import { type LocalAsk, openLocalAsk } from "../local.js";

/**
 * Classes of questions that depend on the shape of a schema rather than its words: columns named
 * by a direction (`dest_city`), money recorded under a verb's noun or status, counts of one table
 * per row of another, a ranking by one column that shows others, and tables named in the singular.
 * Four small schemas of their own; no rule may know them by name.
 */
const today = new Date("2024-06-15T00:00:00Z");
type Cell = string | number | boolean | null;
let root: string;
const sessions = new Map<string, LocalAsk>();
const golds = new Map<string, { query(sql: string): Promise<{ rows: JsonValue[][] }>; close(): void }>();

function writeCsv(dir: string, name: string, rows: Cell[][]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, `${name}.csv`),
    `${rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))).join(",")).join("\n")}\n`,
  );
}

const range = (count: number) => Array.from({ length: count }, (_, at) => at + 1);

function writeFreight(dir: string) {
  const cities = ["Oslo", "Lima", "Rome"];
  writeCsv(dir, "clients", [
    ["client_id", "client_name", "city"],
    ...range(6).map((id) => [id, `Client${id}`, cities[id % 3] ?? null]),
  ]);
  writeCsv(dir, "shipments", [
    ["shipment_id", "client_id", "origin_city", "dest_city", "dest_country", "weight_kg"],
    ...range(40).map((id) => [
      id,
      1 + (id % 6),
      ["Oslo", "Lima", "Rome", "Kyiv", "Oslo"][id % 5] ?? null,
      // From Oslo 16, the others 8; to Paris 20, Oslo 13, Lima 7: no tie decides a ranking.
      ["Paris", "Oslo", "Lima", "Paris", "Oslo", "Paris"][id % 6] ?? null,
      ["France", "Norway", "Peru", "France", "Norway", "France"][id % 6] ?? null,
      5 + id,
    ]),
  ]);
}

function writeClub(dir: string) {
  writeCsv(dir, "patrons", [
    ["patron_id", "full_name", "city"],
    ...range(10).map((id) => [id, `Pat${id}`, id % 2 ? "Oslo" : "Lima"]),
  ]);
  // Patrons 9 and 10 never booked: an average per patron counts them too.
  writeCsv(dir, "bookings", [
    ["booking_id", "patron_id", "booked_on", "seats"],
    ...range(30).map((id) => [
      id,
      1 + ((id * 3) % 8),
      `2023-${String(1 + (id % 12)).padStart(2, "0")}-10`,
      1 + (id % 3),
    ]),
  ]);
  writeCsv(dir, "payments", [
    ["payment_id", "booking_id", "amount", "paid_on"],
    ...range(24).map((id) => [id, id, 5 * id, `2023-${String(1 + (id % 12)).padStart(2, "0")}-12`]),
  ]);
  writeCsv(dir, "refunds", [
    ["refund_id", "payment_id", "refund_amount"],
    ...range(5).map((id) => [id, id * 2, 3 * id]),
  ]);
}

function writeShop(dir: string) {
  writeCsv(dir, "orders", [
    ["order_id", "order_total", "status", "placed_on"],
    ...range(20).map((id) => [
      id,
      10 * id,
      ["refunded", "shipped", "shipped", "cancelled"][id % 4] ?? null,
      `2024-0${1 + (id % 5)}-03`,
    ]),
  ]);
}

function writeMusic(dir: string) {
  writeCsv(dir, "singer", [
    ["Singer_ID", "Name", "Country", "Age"],
    ...range(6).map((id) => [id, `Singer${id}`, ["France", "Peru"][id % 2] ?? null, 20 + ((id * 7) % 40)]),
  ]);
  writeCsv(dir, "song", [
    ["Song_ID", "Singer_ID", "Title", "Release_Year", "Sales"],
    ...range(12).map((id) => [id, 1 + (id % 6), `Song${id}`, 2000 + id, 1000 * ((id * 5) % 13)]),
  ]);
  writeCsv(dir, "record", [
    ["record_id", "title", "genre"],
    ...range(9).map((id) => [id, `Rec${id}`, id % 3 ? "Jazz" : "Rock"]),
  ]);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-ask-shapes-"));
  const writers = { freight: writeFreight, club: writeClub, shop: writeShop, music: writeMusic };
  const { openLocalSource } = await import("../../warehouse/local-source.js");
  for (const [name, write] of Object.entries(writers)) {
    write(path.join(root, name));
    sessions.set(name, await openLocalAsk(path.join(root, name), { today, env: {} }));
    golds.set(name, await openLocalSource(path.join(root, name)));
  }
});
afterAll(() => {
  for (const gold of golds.values()) gold.close();
  for (const session of sessions.values()) session.close();
  rmSync(root, { recursive: true, force: true });
});

const canonical = (rows: JsonValue[][], ordered: boolean) => {
  const text = rows.map((row) =>
    JSON.stringify(row.map((cell) => (typeof cell === "number" ? Math.round(cell * 100) / 100 : cell))),
  );
  return ordered ? text : text.sort();
};

type Case = [string, string, string, string, boolean?];

const cases: Case[] = [
  [
    "freight",
    "a direction's column of the table in focus before another table's",
    "How many shipments went to each country?",
    "select dest_country, count(*) from shipments group by 1",
  ],
  [
    "freight",
    "a verb that points at the destination",
    "Which city receives the most shipments?",
    "select dest_city, count(*) from shipments group by 1 order by 2 desc limit 1",
  ],
  [
    "freight",
    "a verb that points at the origin",
    "Which city were the most shipments sent from?",
    "select origin_city, count(*) from shipments group by 1 order by 2 desc limit 1",
  ],
  [
    "freight",
    "the other table's column when it is named",
    "Number of shipments by client city",
    "select c.city, count(*) from shipments s join clients c using (client_id) group by 1",
  ],
  ["club", "a verb's table", "How much has been paid?", "select sum(amount) from payments"],
  [
    "club",
    "a verb's own table of money",
    "How much has been refunded?",
    "select sum(refund_amount) from refunds",
  ],
  [
    "club",
    "a verb with a period",
    "How much was paid in 2023?",
    "select sum(amount) from payments where paid_on >= '2023-01-01' and paid_on < '2024-01-01'",
  ],
  [
    "shop",
    "a verb that is a status",
    "How much has been refunded?",
    "select sum(order_total) from orders where status = 'refunded'",
  ],
  [
    "club",
    "an average count per entity that exists",
    "What is the average number of bookings per patron?",
    "select count(*) * 1.0 / (select count(*) from patrons) from bookings",
  ],
  [
    "club",
    "an average count per entity, the entity filtered",
    "Average bookings per patron in Oslo",
    "select count(*) * 1.0 / (select count(*) from patrons where city = 'Oslo') from bookings b join patrons p using (patron_id) where p.city = 'Oslo'",
  ],
  [
    "club",
    "the middle month of a list",
    "How many bookings in March, April or May 2023?",
    "select count(*) from bookings where booked_on >= '2023-03-01' and booked_on < '2023-06-01'",
  ],
  [
    "music",
    "a ranking by one column that shows others",
    "What are the title and release year of the song by the oldest singer?",
    "select Title, Release_Year from song join singer using (Singer_ID) order by Age desc limit 1",
  ],
  [
    "music",
    "a shown figure is not the ranking",
    "What is the sales of the song with the latest release year?",
    "select Sales from song order by Release_Year desc limit 1",
  ],
  ["music", "a table named in the singular", "How many records are there?", "select count(*) from record"],
  [
    "music",
    "a singular table grouped",
    "How many records per genre?",
    "select genre, count(*) from record group by genre",
  ],
];

describe("classes that depend on a schema's shape", () => {
  it.each(cases)("%s — %s: %s", async (dataset, _class, question, sql, ordered) => {
    const session = sessions.get(dataset) as LocalAsk;
    const answer = await session.ask(question);
    expect(answer.error, `${question}\n${answer.sql}`).toBeUndefined();
    const gold = (await golds.get(dataset)?.query(sql))?.rows ?? [];
    expect(canonical(answer.rows, ordered ?? false), `${question}\n${answer.sql}`).toEqual(
      canonical(gold, ordered ?? false),
    );
  });

  it("asks whether a plain city is where shipments come from or go to", async () => {
    const draft = await sessions.get("freight")?.draft("Shipments by city");
    const options = draft?.clarification?.options.map((option) => option.sql).join("\n") ?? "";
    expect(options).toContain("origin_city");
    expect(options).toContain("dest_city");
  });
});
