import * as chrono from "chrono-node";
import type { TimeBucket } from "../types.js";

/** A time range read from a question: `from` inclusive, `to` exclusive, as ISO dates; a side may be open. */
export interface TimeSpan {
  from?: string;
  to?: string;
  /** Where it was written, as character offsets. */
  start: number;
  end: number;
  text: string;
  /** A range written as two periods ("from 2023 to 2024"): each of them, for comparing one with the other. */
  ends?: [{ from: string; to: string }, { from: string; to: string }];
}

export interface BucketCue {
  bucket: TimeBucket;
  start: number;
  end: number;
  /** "month over month", "compared with the previous year": each period against the one before. */
  change?: boolean;
}

interface Day {
  y: number;
  m: number; // 1–12
  d: number;
}

const iso = ({ y, m, d }: Day) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.toISOString().slice(0, 10);
};
const dayOf = (date: Date): Day => ({
  y: date.getUTCFullYear(),
  m: date.getUTCMonth() + 1,
  d: date.getUTCDate(),
});
const addDays = (day: Day, n: number): Day => dayOf(new Date(Date.UTC(day.y, day.m - 1, day.d + n)));
const addMonths = (day: Day, n: number): Day => dayOf(new Date(Date.UTC(day.y, day.m - 1 + n, day.d)));

type Unit = "day" | "week" | "month" | "quarter" | "year";

/** The calendar period of `unit` holding `day`: [first day, first day of the next). */
function periodOf(day: Day, unit: Unit): [Day, Day] {
  switch (unit) {
    case "day":
      return [day, addDays(day, 1)];
    case "week": {
      const weekday = (new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay() + 6) % 7;
      const monday = addDays(day, -weekday);
      return [monday, addDays(monday, 7)];
    }
    case "month": {
      const first = { y: day.y, m: day.m, d: 1 };
      return [first, addMonths(first, 1)];
    }
    case "quarter": {
      const first = { y: day.y, m: Math.floor((day.m - 1) / 3) * 3 + 1, d: 1 };
      return [first, addMonths(first, 3)];
    }
    case "year":
      return [
        { y: day.y, m: 1, d: 1 },
        { y: day.y + 1, m: 1, d: 1 },
      ];
  }
}

function shift(day: Day, unit: Unit, n: number): Day {
  if (unit === "day") return addDays(day, n);
  if (unit === "week") return addDays(day, 7 * n);
  if (unit === "month") return addMonths(day, n);
  if (unit === "quarter") return addMonths(day, 3 * n);
  return addMonths(day, 12 * n);
}

const months = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const monthPattern =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const monthNumber = (text: string) =>
  months.findIndex((month) => month.startsWith(text.slice(0, 3).toLowerCase())) + 1;
const unitOf = (text: string): Unit => text.toLowerCase().replace(/s$/, "") as Unit;
const ordinals: Record<string, number> = {
  first: 1,
  "1st": 1,
  second: 2,
  "2nd": 2,
  third: 3,
  "3rd": 3,
  fourth: 4,
  "4th": 4,
};
const numberWords: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
};

type Bound = "in" | "since" | "before" | "after" | "until";

function bounded(range: [Day, Day], bound: Bound, _today: Day): { from?: string; to?: string } {
  switch (bound) {
    case "since":
      return { from: iso(range[0]) };
    case "after":
      return { from: iso(range[1]) };
    case "before":
      return { to: iso(range[0]) };
    case "until":
      return { to: iso(range[1]) };
    default:
      return { from: iso(range[0]), to: iso(range[1]) };
  }
}

const boundOf = (word: string | undefined): Bound => {
  const lower = (word ?? "").toLowerCase().trim();
  if (lower === "since" || lower === "from" || lower === "starting") return "since";
  if (lower === "before" || lower === "prior to") return "before";
  if (lower === "after") return "after";
  if (lower === "until" || lower === "through" || lower === "till" || lower === "up to") return "until";
  return "in";
};

const boundWords = "(since|from|before|after|until|through|till|prior to|in|during|for|of|on)?\\s*";

/**
 * Time ranges and buckets in a question, relative to `today`: what chrono-node reads
 * (absolute dates, "last month", "March 2024", ranges) plus what it lacks ("Q3 2023",
 * "in 2024", "year to date", "since January", "last 3 months", "this quarter").
 */
export function readTimes(text: string, todayDate: Date): { spans: TimeSpan[]; buckets: BucketCue[] } {
  const today = dayOf(todayDate);
  const spans: TimeSpan[] = [];
  const taken: [number, number][] = [];
  const free = (start: number, end: number) => taken.every(([a, b]) => end <= a || start >= b);
  const add = (start: number, end: number, range: Pick<TimeSpan, "from" | "to" | "ends">) => {
    if (!free(start, end)) return;
    taken.push([start, end]);
    spans.push({ ...range, start, end, text: text.slice(start, end) });
  };
  const scan = (
    pattern: RegExp,
    handle: (match: RegExpExecArray) => { from?: string; to?: string } | undefined,
  ) => {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const range = handle(match as RegExpExecArray);
      if (range) add(start, start + match[0].length, range);
    }
  };

  // "compared with the previous month", "vs the prior year": a comparison, not a range to filter on.
  const changes: BucketCue[] = [];
  for (const match of text.matchAll(
    /\b(?:compared\s+(?:with|to)|vs\.?|versus|than|over|relative\s+to|against|from|on)\s+(?:the\s+)?(?:previous|prior|preceding|last)\s+(day|week|month|quarter|year)\b/gi,
  )) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    taken.push([start, end]);
    changes.push({ bucket: unitOf(match[1] ?? "month"), start, end, change: true });
  }
  // "2022 or later", "2015 onwards", "2000 or earlier": a year and everything after (before) it.
  scan(
    /\b(?:in\s+|from\s+)?((?:19|20)\d{2})(?:\s+(?:or|and)\s+(later|after|since|beyond|earlier|before|prior)|\s+(onwards?|on))\b/gi,
    (match) => {
      const year = Number(match[1]);
      const word = (match[2] ?? match[3] ?? "").toLowerCase();
      if (["earlier", "before", "prior"].includes(word)) return { to: `${year + 1}-01-01` };
      return { from: `${year}-01-01` };
    },
  );
  scan(/\b(year|month|quarter|week)[- ]to[- ]date\b|\b(ytd|mtd|qtd)\b/gi, (match) => {
    const word = (match[1] ?? match[2] ?? "").toLowerCase();
    const unit: Unit = word.startsWith("y")
      ? "year"
      : word.startsWith("m")
        ? "month"
        : word.startsWith("q")
          ? "quarter"
          : "week";
    return { from: iso(periodOf(today, unit)[0]), to: iso(addDays(today, 1)) };
  });
  scan(
    new RegExp(
      `\\b${boundWords}(?:the\\s+)?(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter)(?:\\s+(?:of\\s+)?(\\d{4}))?\\b`,
      "gi",
    ),
    (match) => {
      const quarter = Number(match[2] ?? ordinals[(match[3] ?? "").toLowerCase()] ?? 1);
      const year = match[4] ? Number(match[4]) : today.y;
      const first = { y: year, m: (quarter - 1) * 3 + 1, d: 1 };
      return bounded([first, addMonths(first, 3)], boundOf(match[1]), today);
    },
  );
  scan(
    /\b(last|past|previous|prior|next|this|current)\s+(?:(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+)?(days?|weeks?|months?|quarters?|years?)\b/gi,
    (match) => {
      const which = (match[1] ?? "").toLowerCase();
      const unit = unitOf(match[3] ?? "day");
      const count = match[2] ? Number(numberWords[match[2].toLowerCase()] ?? match[2]) : undefined;
      if (which === "this" || which === "current") {
        const [first, next] = periodOf(today, unit);
        return { from: iso(first), to: iso(next) };
      }
      if (which === "next") return undefined;
      if (count !== undefined)
        return { from: iso(shift(addDays(today, 1), unit, -count)), to: iso(addDays(today, 1)) };
      const [first] = periodOf(today, unit);
      return { from: iso(shift(first, unit, -1)), to: iso(first) };
    },
  );
  scan(/\b(today|yesterday)\b/gi, (match) => {
    const day = match[1]?.toLowerCase() === "today" ? today : addDays(today, -1);
    return { from: iso(day), to: iso(addDays(day, 1)) };
  });
  // "between June 1 2024 and August 31 2024", "from March to May 2024": two dates as one range.
  scan(
    /\b(?:between|from)\s+(.+?)\s+(?:and|to|until|through|-)\s+(.+?)(?=$|[?.,;]|\s+(?:by|per|for|in|with|where|and|grouped|sorted|ordered)\b)/gi,
    (match) => {
      const first = dateOf(match[1] ?? "", todayDate, match[2]);
      const second = dateOf(match[2] ?? "", todayDate);
      if (!first || !second) return undefined;
      return {
        from: iso(first[0]),
        to: iso(second[1]),
        ends: [
          { from: iso(first[0]), to: iso(first[1]) },
          { from: iso(second[0]), to: iso(second[1]) },
        ],
      };
    },
  );
  scan(
    new RegExp(
      `\\b${boundWords}(?:the\\s+)?(?:(?:month\\s+of\\s+)?${monthPattern}\\.?\\s*,?\\s+)?(?:year\\s+)?((?:19|20)\\d{2})\\b(?![-/]\\d)`,
      "gi",
    ),
    (match) => {
      const year = Number(match[3]);
      const month = match[2] ? monthNumber(match[2]) : 0;
      // "over 2000" and "top 2024" are numbers, not years.
      const before = text.slice(0, match.index ?? 0).toLowerCase();
      if (
        !match[1] &&
        !month &&
        /(than|over|above|under|below|least|most|top|bottom|exactly|equal to|[<>=$])\s*$/.test(before)
      )
        return undefined;
      const range: [Day, Day] = month
        ? periodOf({ y: year, m: month, d: 1 }, "month")
        : periodOf({ y: year, m: 1, d: 1 }, "year");
      return bounded(range, boundOf(match[1]), today);
    },
  );
  // "since January", "in March": the month most recently begun (this year's, or last year's when still ahead).
  scan(
    new RegExp(`\\b(since|from|before|after|until|in|during)\\s+${monthPattern}\\b(?!\\s*\\d)`, "gi"),
    (match) => {
      const month = monthNumber(match[2] ?? "");
      // "in March or April 2023": the month borrows the year written after the list.
      const listed = new RegExp(
        `^(?:\\s*(?:,\\s*(?:or|and)?|or|and|&)\\s*${monthPattern})+\\.?\\s*,?\\s+((?:19|20)\\d{2})\\b`,
        "i",
      ).exec(text.slice((match.index ?? 0) + match[0].length));
      const written = listed?.at(-1);
      const year = written ? Number(written) : month > today.m ? today.y - 1 : today.y;
      if (listed && written) {
        // "March, April or May 2023": every month of the list is of that year, the middle ones too.
        const offset = (match.index ?? 0) + match[0].length;
        for (const other of listed[0].matchAll(new RegExp(monthPattern, "gi"))) {
          const at = offset + (other.index ?? 0);
          const range = periodOf({ y: year, m: monthNumber(other[0]), d: 1 }, "month");
          add(at, at + other[0].length, { from: iso(range[0]), to: iso(range[1]) });
        }
      }
      return bounded(periodOf({ y: year, m: month, d: 1 }, "month"), boundOf(match[1]), today);
    },
  );
  for (const parsed of chrono.parse(text, { instant: todayDate, timezone: 0 })) {
    const start = parsed.index;
    const end = start + parsed.text.length;
    if (!free(start, end)) continue;
    // A bare number chrono reads as a day or an hour is a number in a question about data.
    if (
      !parsed.start.isCertain("month") &&
      !parsed.start.isCertain("weekday") &&
      !/yesterday|today|tomorrow|ago/i.test(parsed.text)
    )
      continue;
    const unit: Unit = parsed.start.isCertain("day")
      ? "day"
      : parsed.start.isCertain("month")
        ? "month"
        : "year";
    const startDay = {
      y: parsed.start.get("year") ?? today.y,
      m: parsed.start.get("month") ?? 1,
      d: unit === "day" ? (parsed.start.get("day") ?? 1) : 1,
    };
    const range = periodOf(startDay, unit);
    let last = range[1];
    if (parsed.end) {
      const endUnit: Unit = parsed.end.isCertain("day")
        ? "day"
        : parsed.end.isCertain("month")
          ? "month"
          : "year";
      last = periodOf(
        {
          y: parsed.end.get("year") ?? startDay.y,
          m: parsed.end.get("month") ?? 12,
          d: parsed.end.get("day") ?? 1,
        },
        endUnit,
      )[1];
    }
    const before = text
      .slice(Math.max(0, start - 12), start)
      .toLowerCase()
      .match(/(since|from|before|after|until|through|prior to)\s*$/);
    const startAt = before ? start - (before[0]?.length ?? 0) : start;
    add(
      startAt,
      end,
      parsed.end
        ? { from: iso(range[0]), to: iso(last) }
        : bounded([range[0], last], boundOf(before?.[1]), today),
    );
  }
  spans.sort((a, b) => a.start - b.start);
  const buckets = [...changes, ...readBuckets(text, taken)].sort((a, b) => a.start - b.start);
  return { spans, buckets };
}

/** One date (or month, or year) in a short text, as its calendar period. */
function dateOf(text: string, today: Date, context?: string): [Day, Day] | undefined {
  const trimmed = text.trim();
  if (/^(?:19|20)\d{2}$/.test(trimmed)) return periodOf({ y: Number(trimmed), m: 1, d: 1 }, "year");
  // "March to May 2024": the first month borrows the second's year.
  const year = /(?:19|20)\d{2}/.exec(context ?? "")?.[0];
  const withYear = year && !/(?:19|20)\d{2}/.test(trimmed) ? `${trimmed} ${year}` : trimmed;
  const parsed = chrono.parse(withYear, { instant: today, timezone: 0 })[0];
  if (!parsed || parsed.index > 0 || !parsed.start.isCertain("month")) return undefined;
  const unit: Unit = parsed.start.isCertain("day") ? "day" : "month";
  return periodOf(
    {
      y: parsed.start.get("year") ?? dayOf(today).y,
      m: parsed.start.get("month") ?? 1,
      d: unit === "day" ? (parsed.start.get("day") ?? 1) : 1,
    },
    unit,
  );
}

/** Each period against the one before: "month-over-month", "YoY". */
const changeWords: [RegExp, TimeBucket][] = [
  [/\b(day[- ]over[- ]day|dod)\b/gi, "day"],
  [/\b(week[- ]over[- ]week|wow)\b/gi, "week"],
  [/\b(month[- ]over[- ]month|mom)\b/gi, "month"],
  [/\b(quarter[- ]over[- ]quarter|qoq)\b/gi, "quarter"],
  [/\b(year[- ]over[- ]year|yoy|year[- ]on[- ]year)\b/gi, "year"],
];

const bucketWords: [RegExp, TimeBucket][] = [
  [/\b(daily|per day|by day|each day|every day|a day|day by day|day over day)\b/gi, "day"],
  [/\b(weekly|per week|by week|each week|every week|a week|week by week|week over week)\b/gi, "week"],
  [
    /\b(monthly|per month|by month|each month|every month|a month|month by month|month over month|months)\b/gi,
    "month",
  ],
  [
    /\b(quarterly|per quarter|by quarter|each quarter|every quarter|quarter by quarter|quarter over quarter|quarters)\b/gi,
    "quarter",
  ],
  [
    /\b(yearly|annually|annual|per year|by year|each year|every year|a year|year by year|year over year|years)\b/gi,
    "year",
  ],
  [/\b(over time|trend|trends|trending|timeline)\b/gi, "month"],
];

function readBuckets(text: string, taken: [number, number][]): BucketCue[] {
  const buckets: BucketCue[] = [];
  for (const [pattern, bucket] of changeWords)
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      buckets.push({ bucket, start, end, change: true });
    }
  for (const [pattern, bucket] of bucketWords) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      // Bare plurals ("months") name a bucket only after by/per/over/each: "last 3 months" is a range.
      if (
        /^(months|quarters|years)$/i.test(match[0]) &&
        !/\b(by|per|over|each|across|for all|for each)\s+(the\s+)?$/i.test(text.slice(0, start))
      )
        continue;
      buckets.push({ bucket, start, end });
    }
  }
  return buckets.sort((a, b) => a.start - b.start);
}
