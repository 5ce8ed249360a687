import { firstNames, lastNames, personNames } from "../../datasets/names.js";
import { addDays, createRandom } from "../../datasets/random.js";
import { type Row, type Table, tableOf } from "../../datasets/table.js";

/** Department, building, budget (all distinct). */
const departmentSpecs: [string, string, number][] = [
  ["Computer Science", "Turing Hall", 1_250_000],
  ["Mathematics", "Euler Building", 640_000],
  ["Physics", "Curie Hall", 910_000],
  ["Biology", "Darwin Centre", 870_000],
  ["History", "Gibbon House", 330_000],
  ["Economics", "Keynes Building", 560_000],
  ["English", "Austen Hall", 290_000],
  ["Chemistry", "Curie Hall", 780_000],
];

/** Course titles by department. */
const courseTitles: string[][] = [
  [
    "Introduction to Programming",
    "Data Structures",
    "Algorithms",
    "Databases",
    "Operating Systems",
    "Machine Learning",
    "Computer Networks",
  ],
  ["Calculus I", "Calculus II", "Linear Algebra", "Probability", "Number Theory", "Real Analysis"],
  ["Mechanics", "Electromagnetism", "Quantum Physics", "Thermodynamics", "Astrophysics"],
  ["Cell Biology", "Genetics", "Ecology", "Microbiology", "Evolution"],
  ["World History", "Medieval Europe", "Modern China", "History of Science"],
  ["Microeconomics", "Macroeconomics", "Econometrics", "Game Theory", "Public Finance"],
  ["Creative Writing", "Shakespeare", "Modern Poetry", "Literary Theory"],
  ["General Chemistry", "Organic Chemistry", "Biochemistry", "Physical Chemistry"],
];

const semesters: [string, string][] = [
  ["Fall 2022", "2022-08-20"],
  ["Spring 2023", "2023-01-10"],
  ["Fall 2023", "2023-08-20"],
  ["Spring 2024", "2024-01-10"],
  ["Fall 2024", "2024-08-20"],
  ["Spring 2025", "2025-01-10"],
];

const clubSpecs: [string, string, number][] = [
  ["Chess Club", "Games", 1998],
  ["Robotics Society", "Technology", 2009],
  ["Debate Union", "Academic", 1987],
  ["Drama Club", "Arts", 1992],
  ["Hiking Club", "Sports", 2001],
  ["Jazz Ensemble", "Music", 1995],
  ["Photography Club", "Arts", 2012],
  ["Volleyball Team", "Sports", 1990],
  ["Coding Club", "Technology", 2015],
  ["Film Society", "Arts", 2004],
  ["Model United Nations", "Academic", 2008],
  ["Choir", "Music", 1979],
];

const cities = [
  "Springfield",
  "Riverton",
  "Lakeside",
  "Hillcrest",
  "Oakdale",
  "Brookfield",
  "Fairview",
  "Maplewood",
];

/**
 * A university in the style of the classic text-to-SQL benchmarks: `id` primary keys and
 * `<table>_id` foreign keys — departments, teachers, courses, students, enrollments and clubs.
 */
export function generateSchool(scale = 1): Table[] {
  const random = createRandom(8_812_604);
  const departments = departmentSpecs.map(([name, building, budget], index) => ({
    id: index + 1,
    name,
    building,
    budget,
    founded: random.int(1890, 1985),
  }));

  const teacherNames = personNames(random, 64);
  const teachers = teacherNames.map((name, index) => {
    const department_id = (index % departments.length) + 1;
    const title = random.weighted([
      ["Professor", 3],
      ["Associate Professor", 3],
      ["Lecturer", 4],
    ] as const);
    return {
      id: index + 1,
      name,
      department_id,
      title,
      hire_year: random.int(1992, 2024),
      salary:
        Math.round(
          random.around(
            title === "Professor" ? 118_000 : title === "Lecturer" ? 68_000 : 91_000,
            9_000,
            50_000,
            160_000,
          ) / 10,
        ) *
          10 +
        index,
      email: `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@uni.example`,
    };
  });

  const courses: Row[] = [];
  courseTitles.forEach((titles, departmentIndex) => {
    const staff = teachers.filter((teacher) => teacher.department_id === departmentIndex + 1);
    titles.forEach((title, n) => {
      courses.push({
        id: courses.length + 1,
        title,
        department_id: departmentIndex + 1,
        teacher_id: staff[n % staff.length]!.id,
        credits: random.pick([3, 3, 4, 4, 5, 6]),
        level: n < 2 ? 100 : n < 4 ? 200 : n < 5 ? 300 : 400,
        capacity: random.pick([30, 40, 60, 80, 120, 200]),
      });
    });
  });
  // Popularity of each course: some are far more taken than others, none equal.
  const popularity = courses.map((_, index) => 1 + ((index * 7) % 17) + index / 100);

  const studentCount = Math.round(1400 * scale);
  const used = new Set<string>();
  const students: Row[] = [];
  for (let index = 0; index < studentCount; index++) {
    let first: string;
    let last: string;
    do {
      first = random.pick(firstNames);
      last = random.pick(lastNames);
    } while (used.has(`${first} ${last}`));
    used.add(`${first} ${last}`);
    const enrollment_year = random.int(2019, 2024);
    students.push({
      id: index + 1,
      first_name: first,
      last_name: last,
      sex: random.chance(0.52) ? "F" : "M",
      age: Math.min(
        40,
        18 + (2024 - enrollment_year) + random.int(0, 3) + (random.chance(0.05) ? random.int(3, 15) : 0),
      ),
      major: random.weighted(
        departmentSpecs.map(([name], n) => [name, n === 0 ? 3 : n === 5 ? 2 : 1] as const),
      ),
      city: random.pick(cities),
      enrollment_year,
      gpa: Math.round(random.around(3.0, 0.45, 1.6, 3.97) * 100) / 100,
      advisor_id: null as number | null,
    });
  }
  // One clear best student, and advisors from the student's major where possible.
  students[417]!.gpa = 4;
  for (const student of students) {
    const department = departments.find((entry) => entry.name === student.major)!;
    const staff = teachers.filter((teacher) => teacher.department_id === department.id);
    student.advisor_id = random.chance(0.9) ? random.pick(staff).id : null;
  }

  const enrollments: Row[] = [];
  for (const student of students) {
    const startYear = student.enrollment_year as number;
    for (const [semester, opens] of semesters) {
      if (
        Number(semester.slice(-4)) < startYear ||
        (semester.startsWith("Spring") && Number(semester.slice(-4)) === startYear)
      )
        continue;
      if (Number(semester.slice(-4)) > startYear + 4) continue;
      const count = random.weighted([
        [0, 2],
        [1, 3],
        [2, 3],
        [3, 1],
      ] as const);
      const taken = new Set<number>();
      for (let n = 0; n < count; n++) {
        const course = random.weighted(courses.map((entry, i) => [entry, popularity[i]!] as const));
        if (taken.has(course.id as number)) continue;
        taken.add(course.id as number);
        const finished = semester !== "Spring 2025" || random.chance(0.3);
        enrollments.push({
          id: 0,
          student_id: student.id,
          course_id: course.id,
          semester,
          enroll_date: addDays(opens, random.int(-25, 12)),
          grade: finished && random.chance(0.96) ? Math.round(random.around(74, 11, 20, 99) * 10) / 10 : null,
        });
      }
    }
  }
  enrollments.sort((a, b) => String(a.enroll_date).localeCompare(String(b.enroll_date)));
  enrollments.forEach((row, index) => {
    row.id = index + 1;
  });
  // The single highest grade belongs to one enrollment.
  const best = enrollments.find((row) => row.grade !== null && row.semester === "Fall 2023")!;
  best.grade = 100;

  const clubs = clubSpecs.map(([name, category, founded_year], index) => ({
    id: index + 1,
    name,
    category,
    founded_year,
    president_id: null as number | null,
  }));
  const memberships: Row[] = [];
  const clubWeights = clubs.map((club, index) => [club, 1 + ((index * 5) % 11)] as const);
  for (const student of students) {
    const count = random.weighted([
      [0, 5],
      [1, 4],
      [2, 2],
      [3, 0.5],
    ] as const);
    const joined = new Set<number>();
    for (let n = 0; n < count; n++) {
      const club = random.weighted(clubWeights);
      if (joined.has(club.id)) continue;
      joined.add(club.id);
      memberships.push({
        student_id: student.id,
        club_id: club.id,
        role: random.weighted([
          ["Member", 20],
          ["Treasurer", 1],
          ["Secretary", 1],
        ] as const),
        joined_date: random.day(`${student.enrollment_year}-09-01`, "2025-06-10"),
      });
    }
  }
  memberships.sort((a, b) => String(a.joined_date).localeCompare(String(b.joined_date)));
  for (const club of clubs) {
    const member = memberships.find((row) => row.club_id === club.id);
    club.president_id = member ? (member.student_id as number) : null;
  }

  return [
    tableOf("departments", departments),
    tableOf("teachers", teachers),
    tableOf("courses", courses),
    tableOf("students", students),
    tableOf("enrollments", enrollments),
    tableOf("clubs", clubs),
    tableOf("club_members", memberships),
  ];
}
