import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { askOverFiles, canonicalRows } from "../../../../test/helpers/ask-session.js";

/**
 * Ways of saying a condition without naming its column: comparatives with units, standing
 * (current, former), verbs for the rows a table records, frequencies, years kept as numbers and
 * sorts. A gym's schema of its own, so that a rule fitted to one dataset fails here.
 */
const today = new Date("2025-06-15T00:00:00Z");

function writeGym(dir: string) {
  mkdirSync(dir, { recursive: true });
  const csv = (name: string, rows: (string | number | boolean | null)[][]) =>
    writeFileSync(
      path.join(dir, `${name}.csv`),
      `${rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))).join(",")).join("\n")}\n`,
    );
  const members: (string | number | boolean | null)[][] = [
    ["member_id", "first_name", "last_name", "age", "joined_on", "cancelled_on"],
  ];
  for (let id = 1; id <= 30; id++)
    members.push([
      id,
      `Kim${id}`,
      `Ortiz${id}`,
      19 + ((id * 7) % 45),
      `2022-${String(1 + (id % 12)).padStart(2, "0")}-${String(id).padStart(2, "0")}`,
      id % 5 === 0 ? `2024-0${1 + (id % 9)}-15` : null,
    ]);
  csv("members", members);
  const classes: (string | number)[][] = [["class_id", "class_name", "duration_sec", "launch_year"]];
  const names = ["Spin", "Yoga", "Boxing", "Pilates", "Rowing", "Barre", "Zumba", "Circuit"];
  for (const [index, name] of names.entries())
    classes.push([index + 1, name, 1800 + index * 600, 2019 + (index % 5)]);
  csv("classes", classes);
  const bookings: (string | number)[][] = [["booking_id", "member_id", "class_id", "booked_at", "discount"]];
  // Class k is booked 8 × k times, so no two classes tie; members 26–30 never book.
  for (let classId = 1; classId <= names.length; classId++)
    for (let n = 0; n < 8 * classId; n++)
      bookings.push([
        bookings.length,
        1 + ((n * 3 + classId) % 25),
        classId,
        `2024-${String(1 + (n % 12)).padStart(2, "0")}-${String(1 + (n % 28)).padStart(2, "0")}`,
        [0, 0.05, 0.1, 0.25][(n + classId) % 4] ?? 0,
      ]);
  csv("bookings", bookings);
}

const ask = askOverFiles("gym", writeGym, today);

const cases: [string, string, string, boolean?][] = [
  [
    "a comparative names its column",
    "How many members are older than 40?",
    "select count(*) from members where age > 40",
  ],
  [
    "a comparative converts its unit",
    "How many classes are longer than 45 minutes?",
    "select count(*) from classes where duration_sec > 2700",
  ],
  [
    "current rows have no ending date",
    "How many current members are there?",
    "select count(*) from members where cancelled_on is null",
  ],
  [
    "former rows have one",
    "How many former members do we have?",
    "select count(*) from members where cancelled_on is not null",
  ],
  [
    "a verb names the table that records it",
    "Which members have never booked a class?",
    "select first_name, last_name from members where member_id not in (select member_id from bookings)",
  ],
  [
    "how often is a count of rows",
    "What are the 2 most frequently booked classes?",
    "select c.class_name, count(*) n from bookings b join classes c using (class_id) group by c.class_name order by n desc limit 2",
    true,
  ],
  [
    "n times is a count of rows",
    "Which classes were booked more than 30 times?",
    "select c.class_name, count(*) from bookings b join classes c using (class_id) group by c.class_name having count(*) > 30",
  ],
  [
    "a percentage against a column of fractions",
    "How many bookings had a discount of 10% or more?",
    "select count(*) from bookings where discount >= 0.1",
  ],
  [
    "a year kept as a number stands in for a date",
    "Number of classes per launch year since 2021",
    "select launch_year, count(*) from classes where launch_year >= 2021 group by launch_year",
  ],
  [
    "by a column, newest first, is a sort",
    "List all members by joining date, newest first",
    "select first_name, last_name from members order by joined_on desc",
    true,
  ],
];

describe("phrasings that name no column", () => {
  it.each(cases)("%s: %s", async (_class, question, sql, ordered) => {
    const answer = await ask.session.ask(question);
    expect(answer.error, `${question}\n${answer.sql}`).toBeUndefined();
    expect(canonicalRows(answer.rows, ordered ?? false), `${question}\n${answer.sql}`).toEqual(
      canonicalRows(await ask.gold(sql), ordered ?? false),
    );
  });
});
