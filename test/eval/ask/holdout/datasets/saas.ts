import { companyNames, countries, personNames } from "../../datasets/names.js";
import { addDays, createRandom, money, timestamp } from "../../datasets/random.js";
import { type Row, type Table, tableOf } from "../../datasets/table.js";

const lastDay = "2025-06-14";

/** Plan code, name, tier, list price per month, seat limit (null: unlimited). */
const planSpecs: [string, string, string, number, number | null][] = [
  ["FREE", "Free", "Free", 0, 3],
  ["STR-M", "Starter Monthly", "Starter", 49, 10],
  ["STR-A", "Starter Annual", "Starter", 39, 10],
  ["PRO-M", "Professional Monthly", "Pro", 199, 50],
  ["PRO-A", "Professional Annual", "Pro", 169, 50],
  ["BUS-A", "Business Annual", "Business", 599, 250],
  ["ENT-A", "Enterprise Annual", "Enterprise", 2_400, null],
];

const industries: (readonly [string, number])[] = [
  ["Software", 5],
  ["Retail", 3],
  ["Healthcare", 2],
  ["Finance", 2.5],
  ["Education", 1.5],
  ["Manufacturing", 2],
  ["Media", 1.2],
  ["Nonprofit", 0.8],
];

const monthsBetween = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
  Number(to.slice(5, 7)) -
  Number(from.slice(5, 7));

function addMonths(day: string, months: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + months;
  const y = year + Math.floor(month / 12);
  const m = (month % 12) + 1;
  return `${y}-${String(m).padStart(2, "0")}-${day.slice(8, 10) > "28" ? "28" : day.slice(8, 10)}`;
}

/**
 * A subscription software company's billing data with terse, abbreviated column names
 * (`acct_id`, `signup_dt`, `churn_dt`, `amt_usd`, `evt_ts`): plans, accounts, subscriptions,
 * invoices and product usage events.
 */
export function generateSaas(scale = 1): Table[] {
  const random = createRandom(5_120_778);
  const plans = planSpecs.map(([plan_code, plan_name, tier, list_price, seat_limit]) => ({
    plan_code,
    plan_name,
    tier,
    list_price,
    seat_limit,
  }));
  const csms = personNames(random, 9);
  const accountCount = Math.round(950 * scale);
  const names = companyNames(random, accountCount);
  const accounts: Row[] = [];
  const subscriptions: Row[] = [];
  const invoices: Row[] = [];
  const events: Row[] = [];
  for (let index = 0; index < accountCount; index++) {
    const acct_id = 1001 + index;
    const place = random.weighted(countries.map((entry, n) => [entry, n < 5 ? 4 : 1] as const));
    const signup_dt = random.weighted([
      [random.day("2021-01-01", "2022-12-31"), 3],
      [random.day("2023-01-01", "2023-12-31"), 3],
      [random.day("2024-01-01", "2024-12-31"), 3],
      [random.day("2025-01-01", "2025-06-10"), 1.4],
    ] as const);
    const churns = random.chance(0.27);
    const churn_dt = churns
      ? random.day(addDays(signup_dt, 30) < lastDay ? addDays(signup_dt, 30) : lastDay, lastDay)
      : null;
    const end = churn_dt ?? lastDay;
    // Plan path: start on one plan, possibly upgrade once.
    const first = random.weighted([
      [planSpecs[0]!, 2],
      [planSpecs[1]!, 3],
      [planSpecs[2]!, 2],
      [planSpecs[3]!, 2],
      [planSpecs[4]!, 1.5],
      [planSpecs[5]!, 0.8],
      [planSpecs[6]!, 0.35],
    ] as const);
    const path: [string, string, string | null][] = [];
    const months = monthsBetween(signup_dt, end);
    if (months > 6 && random.chance(0.3) && first[0] !== "ENT-A") {
      const switchAt = addMonths(signup_dt, random.int(3, months - 2));
      const next = planSpecs[Math.min(6, planSpecs.indexOf(first) + random.int(1, 2))]!;
      path.push([first[0], signup_dt, switchAt], [next[0], switchAt, churn_dt]);
    } else {
      path.push([first[0], signup_dt, churn_dt]);
    }
    const finalPlan = planSpecs.find((spec) => spec[0] === path[path.length - 1]![0])!;
    const seats = Math.max(
      1,
      Math.min(
        finalPlan[4] ?? 900,
        Math.round(
          random.around(
            finalPlan[4] ? finalPlan[4] * 0.55 : 400,
            finalPlan[4] ? finalPlan[4] * 0.3 : 200,
            1,
            900,
          ),
        ),
      ),
    );
    accounts.push({
      acct_id,
      acct_name: names[index]!,
      industry: random.weighted(industries),
      country: place.country,
      region: place.region,
      signup_dt,
      churn_dt,
      seats,
      csm_name: finalPlan[2] === "Free" ? null : random.pick(csms),
    });
    for (const [code, start, stop] of path) {
      const spec = planSpecs.find((entry) => entry[0] === code)!;
      const annual = code.endsWith("-A");
      const planSeats = spec[4] === null ? seats : Math.min(seats, spec[4]);
      const discount = random.chance(0.25) ? random.pick([0.1, 0.15, 0.2]) : 0;
      const mrr = Math.round(spec[3] * (1 + planSeats / (spec[4] ?? 500)) * (1 - discount) * 100) / 100;
      const sub_id = subscriptions.length + 1;
      const active = stop === null;
      subscriptions.push({
        sub_id,
        acct_id,
        plan_code: code,
        start_dt: start,
        end_dt: stop,
        billing_cycle: annual ? "annual" : code === "FREE" ? "none" : "monthly",
        mrr,
        discount_pct: discount * 100,
        status: active
          ? random.chance(0.04)
            ? "past_due"
            : "active"
          : stop === churn_dt
            ? "canceled"
            : "upgraded",
      });
      if (mrr === 0) continue;
      const last = stop ?? lastDay;
      for (let issued = start; issued <= last; issued = addMonths(issued, annual ? 12 : 1)) {
        const amount = money(mrr * (annual ? 12 : 1) * 100);
        const due = addDays(issued, 30);
        const outcome = random.weighted([
          ["paid", 90],
          ["late", 6],
          ["unpaid", 3],
          ["void", 1],
        ] as const);
        const paid =
          outcome === "void" || outcome === "unpaid"
            ? null
            : addDays(issued, outcome === "late" ? random.int(31, 75) : random.int(0, 29));
        const paidInTime = paid !== null && paid <= lastDay;
        invoices.push({
          inv_no: `INV-${String(invoices.length + 1).padStart(6, "0")}`,
          acct_id,
          sub_id,
          issued_dt: issued,
          due_dt: due,
          paid_dt: paidInTime ? paid : null,
          amt_usd: amount,
          inv_status: outcome === "void" ? "void" : paidInTime ? "paid" : due < lastDay ? "overdue" : "open",
        });
      }
    }
    const activity = Math.round(random.around(12, 8, 0, 30) * (finalPlan[2] === "Free" ? 0.4 : 1));
    for (let n = 0; n < activity; n++) {
      const day = random.day(signup_dt, end);
      events.push({
        evt_id: 0,
        acct_id,
        evt_type: random.weighted([
          ["login", 10],
          ["dashboard_view", 6],
          ["api_call", 4],
          ["report_export", 2],
          ["seat_added", 0.6],
          ["integration_enabled", 0.5],
        ] as const),
        evt_ts: timestamp(day, random.int(6 * 60, 22 * 60)),
        qty: random.chance(0.3) ? random.int(2, 500) : 1,
      });
    }
  }
  invoices.sort(
    (a, b) =>
      String(a.issued_dt).localeCompare(String(b.issued_dt)) ||
      String(a.inv_no).localeCompare(String(b.inv_no)),
  );
  invoices.forEach((row, index) => {
    row.inv_no = `INV-${String(index + 1).padStart(6, "0")}`;
  });
  events.sort((a, b) => String(a.evt_ts).localeCompare(String(b.evt_ts)));
  events.forEach((row, index) => {
    row.evt_id = index + 1;
  });

  return [
    tableOf("plans", plans),
    tableOf("accounts", accounts),
    tableOf("subscriptions", subscriptions),
    tableOf("invoices", invoices),
    tableOf("usage_events", events),
  ];
}
