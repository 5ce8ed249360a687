import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { askOverFiles, canonicalRows } from "../../../../test/helpers/ask-session.js";

/**
 * Rankings shown by a projection, anti-joins, comparisons with an average, percentages and
 * alternative periods, over a small bookings schema of its own that no rule may know by name.
 */
const today = new Date("2024-06-15T00:00:00Z");
type Cell = string | number | boolean | null;

function writeVenue(dir: string) {
  mkdirSync(dir, { recursive: true });
  const csv = (name: string, rows: Cell[][]) =>
    writeFileSync(
      path.join(dir, `${name}.csv`),
      `${rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))).join(",")).join("\n")}\n`,
    );
  csv("musician", [
    ["Musician_ID", "Name", "Country", "Age"],
    [1, "Ola Berg", "Norway", 31],
    [2, "Ana Ruiz", "Chile", 24],
    [3, "Tom Hale", "Norway", 45],
    [4, "Li Wen", "Chile", 38],
    [5, "Sia Moe", "Norway", 29],
    [6, "Kai Oda", "Japan", 52],
  ]);
  csv("patrons", [
    ["patron_id", "patron_name", "city"],
    [1, "Acme", "Lyon"],
    [2, "Borel", "Nantes"],
    [3, "Cobalt", "Porto"],
    [4, "Delta", "Braga"],
    [5, "Ember", "Lyon"],
    [6, "Fable", "Gent"],
  ]);
  const bookings: Cell[][] = [
    ["booking_id", "patron_id", "booked_on", "status", "channel", "qty", "unit_price"],
  ];
  for (let id = 1; id <= 40; id++)
    bookings.push([
      id,
      1 + (id % 5),
      `${2022 + (id % 3)}-0${1 + (id % 6)}-1${id % 10}`,
      ["Completed", "Cancelled", "Pending", "Completed"][id % 4] ?? null,
      id % 3 === 0 ? "Phone" : "Web",
      1 + (id % 4),
      10 + ((id * 7) % 40),
    ]);
  // One patron books more than the others, so a ranking has a single winner.
  bookings.push([41, 2, "2023-03-03", "Completed", "Web", 2, 20]);
  csv("bookings", bookings);
}

const ask = askOverFiles("venue", writeVenue, today);

const cases: [string, string, string][] = [
  [
    "a grouped ranking shows only the column asked for",
    "Which country has the most musicians? Give the country name.",
    "select Country from musician group by Country order by count(*) desc limit 1",
  ],
  [
    "the name of the entity with the most rows elsewhere, without the count",
    "What is the name of the patron with the most bookings?",
    "select patron_name from bookings join patrons using (patron_id) group by patron_name order by count(*) desc limit 1",
  ],
  [
    "rows no other row refers to",
    "Which patrons never booked?",
    "select patron_name from patrons where patron_id not in (select patron_id from bookings)",
  ],
  [
    "a count of rows without related rows",
    "How many patrons have no bookings?",
    "select count(*) from patrons where patron_id not in (select patron_id from bookings)",
  ],
  [
    "a comparison with the average",
    "How many bookings have a unit price above the average unit price?",
    "select count(*) from bookings where unit_price > (select avg(unit_price) from bookings)",
  ],
  [
    "a comparison with the average of the column named before",
    "How many bookings have a qty below average?",
    "select count(*) from bookings where qty < (select avg(qty) from bookings)",
  ],
  [
    "a percentage of rows with a value",
    "What percentage of bookings were cancelled?",
    "select 100.0 * count(*) filter (where status = 'Cancelled') / count(*) from bookings",
  ],
  [
    "each group's share of the whole",
    "Share of bookings by channel",
    "select channel, 100.0 * count(*) / sum(count(*)) over () from bookings group by channel",
  ],
  [
    "two years are alternatives",
    "How many bookings in 2022 or 2023?",
    "select count(*) from bookings where year(booked_on) in (2022, 2023)",
  ],
  [
    "a month borrows the year written after the list",
    "How many bookings in January or February 2023?",
    "select count(*) from bookings where booked_on >= '2023-01-01' and booked_on < '2023-03-01'",
  ],
];

describe("nested questions over an unseen schema", () => {
  it.each(cases)("%s: %s", async (_class, question, sql) => {
    const answer = await ask.session.ask(question);
    expect(answer.error, `${question}\n${answer.sql}`).toBeUndefined();
    expect(answer.columns.length, answer.sql).toBe((await ask.gold(sql))[0]?.length ?? answer.columns.length);
    expect(canonicalRows(answer.rows), `${question}\n${answer.sql}`).toEqual(
      canonicalRows(await ask.gold(sql)),
    );
  });
});
