import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonValue } from "../../warehouse/duckdb-engine.js";
import { type LocalAsk, openLocalAsk } from "../local.js";

/**
 * Classes of questions over two schemas of their own that no rule may know by name: a courier
 * business with camelCase, abbreviated and unit-suffixed columns, and a small Spider-style
 * catalogue with capitalised names, coded values (M/F, Y/N) and years kept as text.
 */
const today = new Date("2024-06-15T00:00:00Z");
type Cell = string | number | boolean | null;
let root: string;
const sessions = new Map<string, LocalAsk>();
const golds = new Map<string, { query(sql: string): Promise<{ rows: JsonValue[][] }>; close(): void }>();

function writeCsv(dir: string, name: string, rows: Cell[][]) {
  writeFileSync(
    path.join(dir, `${name}.csv`),
    `${rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))).join(",")).join("\n")}\n`,
  );
}

function writeCourier(dir: string) {
  mkdirSync(dir, { recursive: true });
  writeCsv(dir, "hubs", [
    ["hubId", "hubName", "hubTown", "openedDt"],
    [1, "North Point", "Leeds", "2019-03-01"],
    [2, "Riverside", "York", "2020-07-15"],
    [3, "Canal Yard", "Hull", "2021-01-20"],
    [4, "Moor Gate", "Leeds", "2022-05-05"],
  ]);
  const riders: Cell[][] = [["riderId", "firstName", "lastName", "hubId", "isActive", "mentorRiderId"]];
  for (let id = 1; id <= 10; id++)
    riders.push([id, `Rae${id}`, `Ito${id}`, 1 + (id % 4), id % 3 !== 0, id <= 6 ? null : 1 + (id % 2)]);
  writeCsv(dir, "riders", riders);
  const parcels: Cell[][] = [
    [
      "parcelId",
      "hubId",
      "riderId",
      "sentDt",
      "deliveredDt",
      "grossWtLb",
      "distMi",
      "feeEur",
      "isPerishable",
      "svcLevel",
      "destTown",
      "originTown",
    ],
  ];
  const towns = ["Leeds", "York", "Hull", "Wakefield", "Bradford"];
  for (let id = 1; id <= 80; id++)
    parcels.push([
      id,
      // Hubs get 35, 23, 17 and 5 parcels: no tie decides a top 3.
      id % 7 < 3 ? 1 : id % 7 < 5 ? 2 : id % 7 < 6 || id % 2 === 1 ? 3 : 4,
      1 + (id % 10),
      `2024-0${1 + (id % 5)}-${String(1 + (id % 27)).padStart(2, "0")}`,
      id % 5 === 0 ? null : `2024-0${1 + (id % 5)}-28`,
      2 + ((id * 7) % 45),
      5 + ((id * 13) % 120),
      4 + ((id * 3) % 30),
      id % 4 === 0,
      id % 2 === 0 ? null : (["Express", "Standard", "Economy"][id % 3] ?? null),
      towns[id % 5] ?? null,
      towns[(id + 2) % 5] ?? null,
    ]);
  writeCsv(dir, "parcels", parcels);
}

function writeCatalogue(dir: string) {
  mkdirSync(dir, { recursive: true });
  writeCsv(dir, "theatre", [
    ["Theatre_ID", "Name", "Town", "Seating", "Built_Year"],
    [1, "The Lyric", "Bath", 420, "1901"],
    [2, "Old Vic Hall", "Bristol", 950, "1888"],
    [3, "Corn Exchange", "Exeter", 610, "1923"],
    [4, "Little Box", "Bath", 120, "2005"],
  ]);
  writeCsv(dir, "performer", [
    ["Performer_ID", "Name", "Nationality", "Age", "Gender", "Is_lead"],
    [1, "Ada Moss", "France", 34, "F", "Y"],
    [2, "Ben Ory", "Spain", 27, "M", "N"],
    [3, "Cleo Vant", "France", 45, "F", "N"],
    [4, "Dev Kahn", "Ireland", 22, "M", "Y"],
    [5, "Eli Rook", "France", 51, "M", "N"],
    [6, "Fay Lund", "Spain", 38, "F", "Y"],
  ]);
  writeCsv(dir, "production", [
    ["Production_ID", "Production_Name", "Genre", "Theatre_ID", "Season", "Year"],
    [1, "Tempest", "Drama", 1, "Spring 2023", "2023"],
    [2, "Gondoliers", "Opera", 2, "Autumn 2023", "2023"],
    [3, "Rivals", "Comedy", 2, "Spring 2024", "2024"],
    [4, "Seagull", "Drama", 3, "Spring 2024", "2023"],
    [5, "Pinafore", "Opera", 1, "Autumn 2022", "2022"],
    [6, "Hamlet", "Drama", 4, "Spring 2022", "2022"],
  ]);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-ask-general-"));
  writeCourier(path.join(root, "courier"));
  writeCatalogue(path.join(root, "catalogue"));
  const { openLocalSource } = await import("../../warehouse/local-source.js");
  for (const name of ["courier", "catalogue"]) {
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

type Case = [string, string, string, boolean?];

async function check(dataset: string, question: string, sql: string, ordered?: boolean) {
  const session = sessions.get(dataset) as LocalAsk;
  const answer = await session.ask(question);
  expect(answer.error, `${question}\n${answer.sql}`).toBeUndefined();
  const gold = (await golds.get(dataset)?.query(sql))?.rows ?? [];
  expect(canonical(answer.rows, ordered ?? false), `${question}\n${answer.sql}`).toEqual(
    canonical(gold, ordered ?? false),
  );
}

const courier: Case[] = [
  [
    "a measure named by its abbreviation and unit",
    "What is the total weight of all parcels?",
    'select sum("grossWtLb") from parcels',
  ],
  [
    "a unit as the measure's name",
    "How many parcels weigh more than 40 lb?",
    'select count(*) from parcels where "grossWtLb" > 40',
  ],
  [
    "a row's own figure per row is not a grouping",
    "What is the average distance per parcel?",
    'select avg("distMi") from parcels',
  ],
  [
    "a camelCase flag as an adjective",
    "How many perishable parcels are there?",
    'select count(*) from parcels where "isPerishable"',
  ],
  [
    "a prefixed column named in full",
    "Total fee by destination town",
    'select "destTown", sum("feeEur") from parcels group by "destTown"',
  ],
  ["count the number of", "Count the number of parcels.", "select count(*) from parcels"],
  [
    "an event date that is set",
    "How many parcels have been delivered?",
    'select count(*) from parcels where "deliveredDt" is not null',
  ],
  [
    "the number of rows asked for",
    "Which 3 hubs sent the most parcels?",
    'select h."hubName", count(*) c from parcels p join hubs h on p."hubId" = h."hubId" group by h."hubName" order by c desc limit 3',
    true,
  ],
  [
    "a null group does not win a ranking",
    "Which service level has the most parcels?",
    'select "svcLevel", count(*) from parcels where "svcLevel" is not null group by 1 order by 2 desc limit 1',
  ],
  ["longest is a distance", "What is the longest distance of a parcel?", 'select max("distMi") from parcels'],
  [
    "a total since a date",
    "What is the total fee since March 2024?",
    `select sum("feeEur") from parcels where "sentDt" >= '2024-03-01'`,
  ],
  [
    "a flag turned around",
    "How many riders are not active?",
    'select count(*) from riders where not "isActive"',
  ],
];

const catalogue: Case[] = [
  [
    "several aggregates of one column",
    "What is the average, minimum, and maximum age of all performers from France?",
    "select avg(Age), min(Age), max(Age) from performer where Nationality = 'France'",
  ],
  [
    "the names asked for, of the table with the condition",
    "What are the names of the theatres with seating more than 500?",
    "select Name from theatre where Seating > 500",
  ],
  [
    "sorted without a limit",
    "List the names of performers in descending order of age.",
    "select Name from performer order by Age desc",
    true,
  ],
  [
    "a year kept as text",
    "How many productions are there in year 2022 or 2023?",
    "select count(*) from production where Year in ('2022', '2023')",
  ],
  [
    "a coded value",
    "How many female performers are there?",
    "select count(*) from performer where Gender = 'F'",
  ],
  [
    "only the projection asked for",
    "Find the name of the theatre with the highest seating.",
    "select Name from theatre order by Seating desc limit 1",
  ],
  [
    "youngest is the lowest age",
    "What is the name of the youngest performer?",
    "select Name from performer order by Age asc limit 1",
  ],
  [
    "a season that looks like a date",
    "How many productions are in the Spring 2024 season?",
    "select count(*) from production where Season = 'Spring 2024'",
  ],
  [
    "two columns and a row condition",
    "Show the name and nationality of performers older than 30.",
    "select Name, Nationality from performer where Age > 30",
  ],
  [
    "the ids asked for",
    "What are the ids of the productions in 2024?",
    "select Production_ID from production where Year = 2024",
  ],
  [
    "a flag's opposite",
    "How many performers are not lead?",
    "select count(*) from performer where Is_lead = 'N'",
  ],
  [
    "an average compared in HAVING",
    "Which nationalities average more than 35 in age?",
    "select Nationality, avg(Age) from performer group by Nationality having avg(Age) > 35",
  ],
  [
    "a yes/no code as an adjective",
    "What are the names of the lead performers?",
    "select Name from performer where Is_lead = 'Y'",
  ],
];

describe("generalization over unseen schemas", () => {
  it.each(courier)("courier — %s: %s", (_class, question, sql, ordered) =>
    check("courier", question, sql, ordered),
  );
  it.each(catalogue)("catalogue — %s: %s", (_class, question, sql, ordered) =>
    check("catalogue", question, sql, ordered),
  );
  it("asks back on a question that names nothing", async () => {
    const draft = await sessions.get("courier")?.draft("How are things going?");
    expect(draft?.clarification?.options.length ?? 0).toBeGreaterThanOrEqual(2);
  });
});
