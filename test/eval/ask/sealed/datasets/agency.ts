import { companyNames, countries, personNames } from "../../datasets/names.js";
import { addDays, createRandom, money } from "../../datasets/random.js";
import { type Table, tableOf } from "../../datasets/table.js";

const industries: [string, number][] = [
  ["Retail", 7],
  ["Financial services", 6],
  ["Healthcare", 4],
  ["Technology", 8],
  ["Manufacturing", 3],
  ["Public sector", 2],
  ["Education", 2.5],
  ["Media", 3.5],
];

const projectKinds = [
  "Website Redesign",
  "Brand Refresh",
  "Mobile App",
  "Data Platform",
  "CRM Migration",
  "Marketing Campaign",
  "E-commerce Launch",
  "UX Research",
  "Analytics Dashboard",
  "Content Strategy",
  "Intranet",
  "Customer Portal",
];

/** Role, headcount, hourly cost range. */
const roleSpecs: [string, number, number, number][] = [
  ["Developer", 16, 48, 82],
  ["Designer", 10, 42, 70],
  ["Project Manager", 8, 50, 78],
  ["Strategist", 5, 60, 95],
  ["Copywriter", 5, 34, 52],
  ["Data Analyst", 7, 46, 74],
  ["QA Engineer", 4, 36, 55],
];

const offices = ["London", "Berlin", "New York", "Lisbon"];

const TODAY = "2025-06-15";
const LAST_ENTRY = "2025-06-13";

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const monthEnd = (month: string) => addDays(`${addDays(`${month}-28`, 5).slice(0, 7)}-01`, -1);

/**
 * A professional-services firm: clients, projects (a camelCase table: `projectId`, `clientId`,
 * `startDate`), employees with an hourly cost and a bill rate, timesheets with a billable flag
 * and invoices whose `paid_on` is empty while unpaid; autumn 2022 to mid-2025.
 */
export function generateAgency(): Table[] {
  const random = createRandom(2_906_377);

  const clientNames = companyNames(random, 46);
  const clients = clientNames.map((name, index) => {
    const home = random.weighted(countries.map((entry, n) => [entry, n < 6 ? 4 : 1] as const));
    return {
      client_id: index + 1,
      name,
      industry: random.weighted(industries),
      country: home.country,
      client_since: random.day("2016-01-01", "2024-12-31"),
    };
  });
  // A few clients were signed recently and have no project yet.
  const idle = new Set([9, 23, 31, 44]);
  const clientWeights = clients
    .filter((client) => !idle.has(client.client_id))
    .map((client, n) => [client, 1 + ((n * 7) % 13) / 3] as const);

  const employeeNames = personNames(
    random,
    roleSpecs.reduce((sum, [, count]) => sum + count, 0),
  );
  const employees: {
    emp_id: number;
    full_name: string;
    role: string;
    office: string;
    hourly_cost: number;
    bill_rate: number;
    hired_on: string;
    left_on: string | null;
  }[] = [];
  const usedCosts = new Set<number>();
  for (const [role, count, low, high] of roleSpecs) {
    for (let n = 0; n < count; n++) {
      let hourly_cost: number;
      do hourly_cost = random.int(low * 2, high * 2) / 2;
      while (usedCosts.has(hourly_cost));
      usedCosts.add(hourly_cost);
      const hired_on = random.weighted([
        [random.day("2012-01-01", "2021-12-31"), 6],
        [random.day("2022-01-01", "2024-09-30"), 3],
      ] as const);
      employees.push({
        emp_id: employees.length + 101,
        full_name: employeeNames[employees.length]!,
        role,
        office: random.weighted(offices.map((office, i) => [office, 4 - i * 0.7] as const)),
        hourly_cost,
        bill_rate: Math.round((hourly_cost * random.around(2.05, 0.25, 1.6, 2.6)) / 5) * 5,
        hired_on,
        left_on: random.chance(0.12) ? random.day("2023-06-01", "2025-03-31") : null,
      });
    }
  }
  for (const employee of employees)
    if (employee.left_on !== null && employee.left_on <= employee.hired_on) employee.left_on = null;

  const projects: {
    projectId: number;
    clientId: number;
    projectName: string;
    status: string;
    billingModel: string;
    budget: number;
    startDate: string;
    endDate: string | null;
    plannedEnd: string;
  }[] = [];
  const usedBudgets = new Set<number>();
  const usedNames = new Set<string>();
  for (let index = 0; index < 150; index++) {
    const client = random.weighted(clientWeights);
    const startDate = random.weighted([
      [random.day("2022-09-01", "2022-12-31"), 1],
      [random.day("2023-01-01", "2023-12-31"), 4],
      [random.day("2024-01-01", "2024-12-31"), 5],
      [random.day("2025-01-01", "2025-05-31"), 2.5],
    ] as const);
    const plannedEnd = addDays(startDate, random.int(30, 330));
    let status: string;
    let endDate: string | null = null;
    if (plannedEnd < TODAY) {
      status = random.weighted([
        ["completed", 86],
        ["cancelled", 8],
        ["on hold", 6],
      ] as const);
      if (status === "completed") endDate = plannedEnd;
      else if (status === "cancelled") endDate = addDays(startDate, random.int(20, 90));
    } else status = random.chance(0.9) ? "active" : "on hold";
    let budget: number;
    do budget = Math.round(random.around(120_000, 90_000, 12_000, 420_000) / 500) * 500;
    while (usedBudgets.has(budget));
    usedBudgets.add(budget);
    // The client's brand: its name without the legal suffix and the trade word ("Black Mesa").
    const words = client.name.replace(/ (GmbH|Inc\.|Ltd|LLC|AG|S\.A\.|Co\.|BV|SARL|Pty Ltd)$/, "").split(" ");
    const short = words.slice(0, Math.max(1, words.length - 1)).join(" ");
    let projectName = `${short} ${random.pick(projectKinds)}`;
    for (let n = 2; usedNames.has(projectName); n++) projectName = `${projectName.replace(/ \d+$/, "")} ${n}`;
    usedNames.add(projectName);
    projects.push({
      projectId: 0,
      clientId: client.client_id,
      projectName,
      status,
      billingModel: random.chance(0.62) ? "time and materials" : "fixed fee",
      budget,
      startDate,
      endDate,
      plannedEnd,
    });
  }
  projects.sort((a, b) => a.startDate.localeCompare(b.startDate));
  projects.forEach((project, n) => {
    project.projectId = 1001 + n;
  });

  // Timesheets: each project has a small team that logs time on weekdays while it runs.
  const timesheets: {
    emp_id: number;
    project_id: number;
    work_date: string;
    hours: number;
    billable: boolean;
  }[] = [];
  const billableRate = (role: string) =>
    role === "Project Manager" ? 0.7 : role === "Strategist" ? 0.8 : 0.9;
  for (const project of projects) {
    const until =
      project.endDate ?? (project.status === "on hold" ? addDays(project.startDate, 60) : LAST_ENTRY);
    const last = until < LAST_ENTRY ? until : LAST_ENTRY;
    const start = project.startDate;
    const staff = employees.filter(
      (employee) => employee.hired_on <= project.startDate && (employee.left_on ?? "9999") > start,
    );
    const teamSize = random.int(2, 5);
    const team = new Set<(typeof employees)[number]>();
    while (team.size < Math.min(teamSize, staff.length)) team.add(random.pick(staff));
    const intensity = random.around(0.11, 0.04, 0.04, 0.2);
    for (let day = start; day <= last; day = addDays(day, 1)) {
      const dow = weekday(day);
      if (dow === 0 || dow === 6) continue;
      for (const member of team) {
        if (member.left_on !== null && day >= member.left_on) continue;
        if (!random.chance(intensity)) continue;
        timesheets.push({
          emp_id: member.emp_id,
          project_id: project.projectId,
          work_date: day,
          hours: random.int(2, 16) / 2,
          billable: random.chance(billableRate(member.role)),
        });
      }
    }
  }
  timesheets.sort((a, b) => a.work_date.localeCompare(b.work_date) || a.emp_id - b.emp_id);
  const timesheetRows = timesheets.map((entry, n) => ({ ts_id: n + 1, ...entry }));

  // Invoices: monthly for time-and-materials work, in three milestones for a fixed fee.
  const rateOf = new Map(employees.map((employee) => [employee.emp_id, employee.bill_rate]));
  const invoices: {
    project_id: number;
    amount: number;
    issued: string;
    due: string;
    paid_on: string | null;
  }[] = [];
  const addInvoice = (project_id: number, amount: number, issued: string) => {
    if (issued >= TODAY || amount <= 0) return;
    const due = addDays(issued, 30);
    const late = random.chance(0.25);
    const paid = addDays(issued, late ? random.int(31, 75) : random.int(5, 29));
    const unpaid = paid >= TODAY || random.chance(0.04);
    invoices.push({ project_id, amount: money(amount), issued, due, paid_on: unpaid ? null : paid });
  };
  const byProjectMonth = new Map<string, number>();
  for (const entry of timesheets) {
    if (!entry.billable) continue;
    const key = `${entry.project_id}|${entry.work_date.slice(0, 7)}`;
    byProjectMonth.set(key, (byProjectMonth.get(key) ?? 0) + entry.hours * 100 * rateOf.get(entry.emp_id)!);
  }
  const models = new Map(projects.map((project) => [project.projectId, project]));
  for (const [key, cents] of [...byProjectMonth].sort(([a], [b]) => a.localeCompare(b))) {
    const [id, month] = key.split("|");
    const project = models.get(Number(id))!;
    if (project.billingModel !== "time and materials") continue;
    addInvoice(project.projectId, cents, addDays(monthEnd(month!), random.int(1, 5)));
  }
  for (const project of projects) {
    if (project.billingModel !== "fixed fee") continue;
    const end = project.endDate ?? project.plannedEnd;
    const span = Math.round((Date.parse(end) - Date.parse(project.startDate)) / 86_400_000);
    const shares = project.status === "cancelled" ? [0.3] : [0.3, 0.4, 0.3];
    shares.forEach((share, n) => {
      const issued = addDays(project.startDate, Math.round((span * n) / Math.max(1, shares.length - 1)) + 3);
      if (project.status === "on hold" && n > 0) return;
      addInvoice(project.projectId, project.budget * 100 * share, issued);
    });
  }
  invoices.sort((a, b) => a.issued.localeCompare(b.issued) || a.project_id - b.project_id);
  const invoiceRows = invoices.map((invoice, n) => ({
    inv_no: `INV-${invoice.issued.slice(0, 4)}-${String(n + 1).padStart(4, "0")}`,
    ...invoice,
  }));

  return [
    tableOf("clients", clients),
    tableOf(
      "projects",
      projects.map(({ plannedEnd: _, ...project }) => project),
    ),
    tableOf("employees", employees),
    tableOf("timesheets", timesheetRows),
    tableOf("invoices", invoiceRows),
  ];
}
