import { firstNames, lastNames } from "./names.js";
import { addDays, createRandom, laterDay, type Random } from "./random.js";
import { type Row, type Table, tableOf } from "./table.js";

const lastDay = "2025-06-14";

const offices: [string, string, string][] = [
  ["Berlin HQ", "Berlin", "Germany"],
  ["London Office", "London", "United Kingdom"],
  ["New York Office", "New York", "United States"],
  ["Austin Hub", "Austin", "United States"],
  ["Toronto Office", "Toronto", "Canada"],
  ["Paris Office", "Paris", "France"],
  ["Bangalore Centre", "Bangalore", "India"],
  ["Sydney Office", "Sydney", "Australia"],
];

/** Department, its share of staff, base salary, and titles by level. */
const departmentSpecs: [string, number, number, string][] = [
  ["Engineering", 22, 82_000, "Software Engineer"],
  ["Sales", 15, 62_000, "Account Executive"],
  ["Customer Support", 14, 44_000, "Support Specialist"],
  ["Marketing", 8, 58_000, "Marketing Specialist"],
  ["Operations", 8, 52_000, "Operations Analyst"],
  ["Product", 6, 78_000, "Product Manager"],
  ["Finance", 6, 64_000, "Financial Analyst"],
  ["IT", 5, 60_000, "Systems Administrator"],
  ["Human Resources", 5, 55_000, "HR Generalist"],
  ["Research", 5, 80_000, "Research Scientist"],
  ["Legal", 3, 90_000, "Legal Counsel"],
  ["Procurement", 3, 54_000, "Buyer"],
];

/** How often each course is chosen, by position: compliance courses are the most taken. */
const popularity = [9, 6, 4, 2, 3, 2, 5, 3, 4, 7, 12, 5, 3, 2, 4, 5];

const levels: (readonly [string, number])[] = [
  ["Junior", 0.8],
  ["Mid", 1],
  ["Senior", 1.3],
  ["Lead", 1.55],
  ["Manager", 1.7],
  ["Director", 2.3],
];

function salaryOf(random: Random, base: number, factor: number, office: string) {
  const local = office === "Bangalore" ? 0.45 : office === "New York" ? 1.2 : office === "Berlin" ? 1 : 0.95;
  return Math.round((base * factor * local * random.around(1, 0.12, 0.8, 1.25)) / 100) * 100;
}

/** A company's people data: offices, departments, employees with managers, pay history, leave, reviews and training. */
export function generateHr(scale = 1): Table[] {
  const random = createRandom(1_990_417);
  const locations = offices.map(([office_name, city, country], index) => ({
    location_id: index + 1,
    office_name,
    city,
    country,
    opened_year: random.int(2008, 2021),
  }));
  const departments = departmentSpecs.map(([department_name], index) => ({
    department_id: index + 1,
    department_name,
    cost_center: `CC-${100 + index * 10}`,
    annual_budget: random.int(8, 90) * 100_000,
  }));

  const employeeCount = Math.round(1500 * scale);
  const employees: Row[] = [];
  const managersByDepartment = new Map<number, number[]>();
  const used = new Set<string>();
  const totalShare = departmentSpecs.reduce((sum, [, share]) => sum + share, 0);
  for (let index = 0; index < employeeCount; index++) {
    let first: string;
    let last: string;
    do {
      first = random.pick(firstNames);
      last = random.pick(lastNames);
    } while (used.has(`${first} ${last}`) && used.size < firstNames.length * lastNames.length * 0.8);
    used.add(`${first} ${last}`);
    const employee_id = index + 1;
    const ceo = index === 0;
    const departmentIndex = ceo
      ? 0
      : index <= departmentSpecs.length
        ? index - 1
        : departmentSpecs.indexOf(
            random.weighted(departmentSpecs.map((spec) => [spec, spec[1] / totalShare] as const)),
          );
    const [, , base, title] = departmentSpecs[departmentIndex]!;
    const department_id = departmentIndex + 1;
    const managers = managersByDepartment.get(department_id) ?? [];
    const level = ceo
      ? levels[5]!
      : index <= departmentSpecs.length
        ? levels[5]!
        : managers.length < 2 + Math.floor(index / 120)
          ? random.pick([levels[3]!, levels[4]!, levels[4]!])
          : random.weighted([
              [levels[0]!, 4],
              [levels[1]!, 5],
              [levels[2]!, 3],
              [levels[3]!, 1],
            ] as const);
    const location = ceo
      ? locations[0]!
      : random.weighted(locations.map((entry, n) => [entry, n === 0 ? 3 : n === 6 ? 2 : 1] as const));
    const hire_date = ceo
      ? "2012-04-02"
      : random.weighted([
          [random.day("2012-01-01", "2019-12-31"), 3],
          [random.day("2020-01-01", "2023-12-31"), 5],
          [random.day("2024-01-01", "2025-06-10"), 2],
        ] as const);
    const leaves = !ceo && level[0] !== "Director" && random.chance(hire_date < "2022-01-01" ? 0.3 : 0.15);
    const termination = leaves
      ? random.day(hire_date < "2022-01-01" ? "2022-01-01" : addDays(hire_date, 90), lastDay)
      : null;
    const title_ = ceo
      ? "Chief Executive Officer"
      : level[0] === "Director"
        ? `Director of ${departmentSpecs[departmentIndex]![0]}`
        : level[0] === "Manager"
          ? `${departmentSpecs[departmentIndex]![0]} Manager`
          : `${level[0]} ${title}`;
    const manager_id = ceo
      ? null
      : level[0] === "Director"
        ? 1
        : level[0] === "Manager" || managers.length === 0
          ? department_id + 1
          : random.pick(managers);
    employees.push({
      employee_id,
      first_name: first,
      last_name: last,
      email: `${first}.${last}.${employee_id}@company.example`.toLowerCase().replace(/[^a-z0-9.@]/g, ""),
      gender: random.weighted([
        ["Female", 48],
        ["Male", 49],
        ["Non-binary", 3],
      ] as const),
      birth_date: random.day("1960-01-01", "2003-12-31"),
      hire_date,
      termination_date: termination && termination > hire_date ? termination : null,
      department_id,
      location_id: location.location_id,
      manager_id,
      job_title: title_,
      job_level: level[0],
      employment_type: ceo
        ? "Full-time"
        : random.weighted([
            ["Full-time", 85],
            ["Part-time", 9],
            ["Contractor", 6],
          ] as const),
      salary: salaryOf(random, base, level[1], location.city),
      bonus_pct: level[0] === "Junior" || random.chance(0.2) ? null : random.pick([5, 7.5, 10, 15, 20]),
    });
    if (level[0] === "Manager" || level[0] === "Lead")
      managersByDepartment.set(department_id, [...managers, employee_id]);
  }

  const history: Row[] = [];
  for (const employee of employees) {
    const hired = employee.hire_date as string;
    const end = (employee.termination_date as string | null) ?? lastDay;
    const raises: [string, string][] = [];
    for (const year of [2022, 2023, 2024, 2025]) {
      const day = `${year}-0${year === 2025 ? 3 : 4}-01`;
      if (day > hired && day <= end)
        raises.push([
          day,
          random.chance(0.12) ? "Promotion" : random.chance(0.1) ? "Market Adjustment" : "Annual Review",
        ]);
    }
    let salary = employee.salary as number;
    const steps = raises.map(() => 1 + random.around(0.04, 0.03, 0.01, 0.12));
    const start = Math.round(salary / steps.reduce((product, step) => product * step, 1) / 100) * 100;
    salary = start;
    if (hired >= "2022-01-01")
      history.push({
        salary_change_id: 0,
        employee_id: employee.employee_id,
        effective_date: hired,
        salary,
        change_reason: "Hire",
      });
    raises.forEach(([day, reason], n) => {
      salary =
        n === raises.length - 1 ? (employee.salary as number) : Math.round((salary * steps[n]!) / 100) * 100;
      history.push({
        salary_change_id: 0,
        employee_id: employee.employee_id,
        effective_date: day,
        salary,
        change_reason: reason,
      });
    });
  }
  history.sort((a, b) => String(a.effective_date).localeCompare(String(b.effective_date)));
  history.forEach((row, index) => {
    row.salary_change_id = index + 1;
  });

  const leave: Row[] = [];
  const reviews: Row[] = [];
  const enrollments: Row[] = [];
  const trainings = [
    ["Data Protection Essentials", "Compliance", 2, 0],
    ["Anti-Bribery and Corruption", "Compliance", 1.5, 0],
    ["Workplace Safety Basics", "Safety", 3, 120],
    ["First Aid at Work", "Safety", 8, 450],
    ["Leading High-Performing Teams", "Leadership", 16, 1800],
    ["Coaching for Managers", "Leadership", 12, 1400],
    ["Giving Feedback", "Soft Skills", 4, 300],
    ["Negotiation Skills", "Soft Skills", 8, 950],
    ["Presentation Skills", "Soft Skills", 6, 600],
    ["Advanced Excel", "Technical", 8, 350],
    ["SQL for Analysts", "Technical", 12, 700],
    ["Cloud Fundamentals", "Technical", 16, 1200],
    ["Secure Coding", "Technical", 10, 900],
    ["Project Management Professional", "Technical", 35, 2500],
    ["Time Management", "Soft Skills", 3, 200],
    ["Unconscious Bias", "Compliance", 2, 150],
  ].map(([course_name, category, duration_hours, cost], index) => ({
    training_id: index + 1,
    course_name: course_name as string,
    category: category as string,
    provider: random.pick(["LinkedIn Learning", "Internal Academy", "Coursera", "Red Cross", "PwC Academy"]),
    duration_hours: duration_hours as number,
    cost_per_participant: cost as number,
  }));
  for (const employee of employees) {
    const hired = employee.hire_date as string;
    const start = hired > "2022-01-01" ? hired : "2022-01-01";
    const end = (employee.termination_date as string | null) ?? lastDay;
    if (start >= end) continue;
    const years = (Date.parse(end) - Date.parse(start)) / (365 * 86_400_000);
    for (let n = Math.round(years * random.around(1.3, 0.8, 0, 3)); n > 0; n--) {
      const leave_type = random.weighted([
        ["Vacation", 10],
        ["Sick", 5],
        ["Parental", 0.4],
        ["Unpaid", 0.6],
        ["Bereavement", 0.3],
        ["Training", 0.8],
      ] as const);
      const startDay = random.day(start, end);
      const days =
        leave_type === "Parental"
          ? random.int(20, 90)
          : leave_type === "Sick"
            ? random.int(1, 5)
            : random.int(1, 12);
      const requested = addDays(startDay, leave_type === "Sick" ? 0 : -random.int(3, 60));
      leave.push({
        leave_request_id: 0,
        employee_id: employee.employee_id,
        leave_type,
        start_date: startDay,
        end_date: addDays(startDay, days - 1),
        days,
        status:
          startDay > "2025-05-31"
            ? random.pick(["Pending", "Approved", "Approved"])
            : random.weighted([
                ["Approved", 9],
                ["Rejected", 1],
              ] as const),
        requested_on: laterDay(requested, start),
      });
    }
    for (const year of [2022, 2023, 2024]) {
      const reviewDay = `${year + 1}-01-${String(random.int(10, 31)).padStart(2, "0")}`;
      if (addDays(hired, 120) > `${year}-12-31` || reviewDay > end || employee.manager_id === null) continue;
      if (random.chance(0.08)) continue;
      reviews.push({
        review_id: reviews.length + 1,
        employee_id: employee.employee_id,
        reviewer_id: employee.manager_id,
        review_year: year,
        review_date: reviewDay,
        rating: random.weighted([
          [1, 0.4],
          [2, 1.2],
          [3, 5],
          [4, 3.5],
          [5, 1.2],
        ] as const),
        promotion_recommended: random.chance(0.12),
      });
    }
    for (let n = random.int(0, Math.ceil(years * 1.6)); n > 0; n--) {
      const training = random.weighted(
        trainings.map((course, n) => [course, popularity[n % popularity.length]!] as const),
      );
      const enrolled = random.day(start, end);
      const completed = random.chance(0.8) ? addDays(enrolled, random.int(1, 60)) : null;
      const done = completed !== null && completed <= lastDay;
      enrollments.push({
        enrollment_id: 0,
        employee_id: employee.employee_id,
        training_id: training.training_id,
        enrolled_on: enrolled,
        completed_on: done ? completed : null,
        score: done && training.category !== "Safety" ? random.int(55, 100) : null,
      });
    }
  }
  for (const rows of [leave, enrollments]) {
    rows.sort((a, b) =>
      String(a.start_date ?? a.enrolled_on).localeCompare(String(b.start_date ?? b.enrolled_on)),
    );
  }
  leave.forEach((row, index) => {
    row.leave_request_id = index + 1;
  });
  enrollments.forEach((row, index) => {
    row.enrollment_id = index + 1;
  });

  return [
    tableOf("locations", locations),
    tableOf("departments", departments),
    tableOf("employees", employees),
    tableOf("salary_history", history),
    tableOf("leave_requests", leave),
    tableOf("performance_reviews", reviews),
    tableOf("trainings", trainings),
    tableOf("training_enrollments", enrollments),
  ];
}
