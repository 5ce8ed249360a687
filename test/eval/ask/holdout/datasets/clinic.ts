import { firstNames, lastNames, personNames } from "../../datasets/names.js";
import { addDays, createRandom, laterDay, money, timestamp } from "../../datasets/random.js";
import { type Row, type Table, tableOf } from "../../datasets/table.js";

const firstDay = "2023-01-02";
const lastDay = "2025-06-14";

/** Department name, floor, relative patient demand. */
const departmentSpecs: [string, number, number][] = [
  ["General Practice", 1, 9],
  ["Cardiology", 3, 4.2],
  ["Dermatology", 2, 3.1],
  ["Pediatrics", 1, 5.6],
  ["Orthopedics", 2, 3.7],
  ["Neurology", 4, 2.2],
  ["Gynecology", 3, 2.8],
  ["Ophthalmology", 4, 1.6],
];

/** Medication name, drug class, unit cost, whether it needs a prescription. */
const medicationSpecs: [string, string, number, boolean][] = [
  ["Amoxicillin", "Antibiotic", 0.42, true],
  ["Azithromycin", "Antibiotic", 1.85, true],
  ["Ciprofloxacin", "Antibiotic", 0.97, true],
  ["Doxycycline", "Antibiotic", 0.66, true],
  ["Ibuprofen", "Analgesic", 0.08, false],
  ["Paracetamol", "Analgesic", 0.05, false],
  ["Naproxen", "Analgesic", 0.14, false],
  ["Tramadol", "Analgesic", 0.61, true],
  ["Atorvastatin", "Statin", 0.33, true],
  ["Rosuvastatin", "Statin", 0.71, true],
  ["Lisinopril", "Antihypertensive", 0.19, true],
  ["Amlodipine", "Antihypertensive", 0.23, true],
  ["Losartan", "Antihypertensive", 0.38, true],
  ["Metformin", "Antidiabetic", 0.12, true],
  ["Insulin Glargine", "Antidiabetic", 24.5, true],
  ["Sitagliptin", "Antidiabetic", 8.9, true],
  ["Sertraline", "Antidepressant", 0.29, true],
  ["Escitalopram", "Antidepressant", 0.47, true],
  ["Cetirizine", "Antihistamine", 0.11, false],
  ["Loratadine", "Antihistamine", 0.09, false],
  ["Hydrocortisone Cream", "Corticosteroid", 3.4, false],
  ["Prednisone", "Corticosteroid", 0.21, true],
  ["Omeprazole", "Proton Pump Inhibitor", 0.27, false],
  ["Adalimumab", "Biologic", 1_480, true],
  ["Latanoprost Drops", "Ophthalmic", 21.75, true],
];

/** The drug classes each department prescribes most. */
const departmentClasses: string[][] = [
  [
    "Antibiotic",
    "Analgesic",
    "Antihypertensive",
    "Statin",
    "Antidiabetic",
    "Antihistamine",
    "Proton Pump Inhibitor",
  ],
  ["Statin", "Antihypertensive", "Antidiabetic"],
  ["Corticosteroid", "Antihistamine", "Antibiotic", "Biologic"],
  ["Antibiotic", "Analgesic", "Antihistamine"],
  ["Analgesic", "Corticosteroid"],
  ["Antidepressant", "Analgesic"],
  ["Antibiotic", "Analgesic"],
  ["Ophthalmic", "Antibiotic"],
];

const cities = ["Riverside", "Ashford", "Millbrook", "Kingsport", "Elmwood", "Harborview", "Westfield"];

const insurers: (readonly [string | null, number])[] = [
  ["BlueShield", 6],
  ["Aetna Care", 4.4],
  ["UnityHealth", 3.3],
  ["MediPlus", 2.1],
  ["Northstar Mutual", 1.2],
  [null, 2.6],
];

/**
 * A medical practice with plain snake_case columns, some of them terse (`dob`, `appt_ts`, `fee`,
 * `copay`): departments, doctors, patients, appointments, medications, prescriptions and invoices.
 */
export function generateClinic(scale = 1): Table[] {
  const random = createRandom(3_306_251);

  const doctorCount = 42;
  const doctorNames = personNames(random, doctorCount);
  const doctors = doctorNames.map((name, index) => {
    // Every department has at least three doctors; General Practice and Pediatrics more.
    const dept_id =
      index < departmentSpecs.length * 3
        ? (index % departmentSpecs.length) + 1
        : random.weighted(departmentSpecs.map(([, , demand], n) => [n + 1, demand] as const));
    const grade = random.weighted([
      ["Consultant", 3],
      ["Specialist", 4],
      ["Resident", 3],
    ] as const);
    const base = grade === "Consultant" ? 240 : grade === "Specialist" ? 170 : 95;
    return {
      doctor_id: 101 + index,
      full_name: `Dr. ${name}`,
      dept_id,
      grade,
      hire_date: random.day("2004-01-01", "2024-10-31"),
      // Distinct fees: a round base plus the doctor's index in cents.
      fee: Math.round(random.around(base, 25, 60, 340)) + index / 100,
      phone_ext: random.chance(0.85) ? 2000 + index * 7 : null,
    };
  });
  // Three doctors who joined recently and have seen nobody yet.
  for (const [n, day] of [
    [39, "2025-06-02"],
    [40, "2025-06-09"],
    [41, "2025-05-26"],
  ] as const)
    doctors[n]!.hire_date = day;

  const departments = departmentSpecs.map(([dept_name, floor_no], index) => {
    const staff = doctors.filter((doctor) => doctor.dept_id === index + 1 && doctor.grade === "Consultant");
    return {
      dept_id: index + 1,
      dept_name,
      floor_no,
      head_doctor_id: staff.length > 0 ? staff[0]!.doctor_id : null,
    };
  });

  const patientCount = Math.round(2_000 * scale);
  const patients: Row[] = [];
  for (let index = 0; index < patientCount; index++) {
    const child = random.chance(0.18);
    const birthYear = child ? random.int(2007, 2024) : random.int(1932, 2006);
    patients.push({
      patient_id: 50_001 + index,
      first_name: random.pick(firstNames),
      last_name: random.pick(lastNames),
      dob: random.day(`${birthYear}-01-01`, `${birthYear}-12-31`),
      sex: random.chance(0.53) ? "F" : "M",
      city: random.weighted(cities.map((city, n) => [city, 7 - n + (n === 3 ? 1.5 : 0)] as const)),
      insurer: random.weighted(insurers),
      registered_on: random.weighted([
        [random.day("2015-01-01", "2022-12-31"), 5],
        [random.day("2023-01-01", "2023-12-31"), 2],
        [random.day("2024-01-01", "2024-12-31"), 2.4],
        [random.day("2025-01-01", lastDay), 1.1],
      ] as const),
      blood_type: random.chance(0.7)
        ? random.weighted([
            ["O+", 37],
            ["A+", 34],
            ["B+", 9],
            ["AB+", 3],
            ["O-", 7],
            ["A-", 6],
            ["B-", 2],
            ["AB-", 1],
          ] as const)
        : null,
    });
  }
  // One clearly oldest patient.
  patients[733]!.dob = "1929-02-11";
  patients[733]!.first_name = "Edith";
  patients[733]!.last_name = "Caldwell";

  const active = doctors.slice(0, 39);
  // Each doctor's share of their department's load, all distinct.
  const doctorWeight = active.map((doctor, index) => {
    const demand = departmentSpecs[doctor.dept_id - 1]![2];
    return [doctor, demand * (0.5 + ((index * 11) % 17) / 10 + index / 1000)] as const;
  });
  const appointments: Row[] = [];
  for (const patient of patients) {
    if (random.chance(0.09)) continue;
    const from = String(patient.registered_on) > firstDay ? String(patient.registered_on) : firstDay;
    const span = (Date.parse(lastDay) - Date.parse(from)) / (Date.parse(lastDay) - Date.parse(firstDay));
    const planned = random.weighted([
      [1, 4],
      [2, 4],
      [3, 3],
      [4, 2],
      [5, 1],
      [7, 0.6],
    ] as const);
    const visits = Math.max(1, Math.round(planned * (0.25 + 0.75 * span)));
    const usual = random.weighted(doctorWeight);
    for (let n = 0; n < visits; n++) {
      // Later days more likely: the practice grows.
      const a = random.day(from, lastDay);
      const b = random.day(from, lastDay);
      const day = random.chance(0.3) ? laterDay(a, b) : a;
      const doctor = random.chance(0.55) ? usual : random.weighted(doctorWeight);
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      if (weekday === 0) continue;
      const status = random.weighted([
        ["completed", 80],
        ["cancelled", 12],
        ["no_show", 6],
      ] as const);
      const visit_type = random.weighted([
        ["checkup", 5],
        ["follow_up", 4],
        ["consultation", 3],
        ["procedure", 1.2],
        ["urgent", 0.8],
      ] as const);
      appointments.push({
        appt_id: 0,
        patient_id: patient.patient_id,
        doctor_id: doctor.doctor_id,
        appt_ts: timestamp(day, 8 * 60 + random.int(0, 18) * 30),
        visit_type,
        status,
        duration_min:
          status === "completed"
            ? Math.round(
                random.around(
                  visit_type === "procedure" ? 55 : visit_type === "checkup" ? 20 : 30,
                  8,
                  10,
                  120,
                ),
              )
            : null,
      });
    }
  }
  appointments.sort((x, y) => String(x.appt_ts).localeCompare(String(y.appt_ts)));
  appointments.forEach((row, index) => {
    row.appt_id = index + 1;
  });

  const medications = medicationSpecs.map(([med_name, drug_class, unit_cost, rx], index) => ({
    med_id: index + 1,
    med_name,
    drug_class,
    unit_cost,
    rx_only: rx ? "Y" : "N",
  }));
  // Popularity within a class: distinct weights.
  const medWeight = medications.map((_, index) => 1 + ((index * 7) % 11) + index / 50);

  const prescriptions: Row[] = [];
  const invoices: Row[] = [];
  const patientById = new Map(patients.map((patient) => [patient.patient_id, patient]));
  const doctorById = new Map(doctors.map((doctor) => [doctor.doctor_id, doctor]));
  for (const appt of appointments) {
    const day = String(appt.appt_ts).slice(0, 10);
    const doctor = doctorById.get(appt.doctor_id as number)!;
    const patient = patientById.get(appt.patient_id)!;
    if (appt.status === "completed") {
      const classes = departmentClasses[doctor.dept_id - 1]!;
      const count = random.weighted([
        [0, 5],
        [1, 4],
        [2, 2],
        [3, 0.6],
      ] as const);
      const given = new Set<number>();
      for (let n = 0; n < count; n++) {
        const options = medications.filter((med) => classes.includes(med.drug_class));
        const med = random.weighted(options.map((entry) => [entry, medWeight[entry.med_id - 1]!] as const));
        if (given.has(med.med_id)) continue;
        given.add(med.med_id);
        prescriptions.push({
          rx_id: 0,
          appt_id: appt.appt_id,
          med_id: med.med_id,
          qty:
            med.drug_class === "Biologic"
              ? random.int(1, 2)
              : med.unit_cost > 5
                ? random.int(1, 6)
                : random.pick([10, 14, 20, 28, 30, 30, 60, 90]),
          refills: random.weighted([
            [0, 5],
            [1, 3],
            [2, 2],
            [3, 1],
            [5, 0.4],
          ] as const),
          rx_date: day,
        });
      }
    }
    if (appt.status === "cancelled") continue;
    const noShow = appt.status === "no_show";
    const extra =
      appt.visit_type === "procedure" ? random.int(80, 400) : appt.visit_type === "urgent" ? 45 : 0;
    const fee = noShow ? 35 : money((doctor.fee + extra) * 100);
    const insured = patient.insurer !== null && !noShow;
    const copay = insured ? random.pick([10, 15, 20, 25, 30, 40]) : fee;
    const issuedDay = addDays(day, random.int(0, 3));
    const issued_on = issuedDay > lastDay ? lastDay : issuedDay;
    const late = random.weighted([
      ["paid", 88],
      ["pending", 9],
      ["written_off", 3],
    ] as const);
    const paid_on = late === "paid" ? addDays(issued_on, random.int(0, 45)) : null;
    const settled = paid_on !== null && paid_on <= lastDay;
    invoices.push({
      invoice_id: 0,
      appt_id: appt.appt_id,
      issued_on,
      fee,
      copay,
      paid_on: settled ? paid_on : null,
      status: settled ? "paid" : late === "written_off" ? "written_off" : "pending",
    });
  }
  prescriptions.forEach((row, index) => {
    row.rx_id = 900_001 + index;
  });
  invoices.forEach((row, index) => {
    row.invoice_id = 70_001 + index;
  });

  return [
    tableOf("departments", departments),
    tableOf("doctors", doctors),
    tableOf("patients", patients),
    tableOf("appointments", appointments),
    tableOf("medications", medications),
    tableOf("prescriptions", prescriptions),
    tableOf("invoices", invoices),
  ];
}
