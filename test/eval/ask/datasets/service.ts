import { companyNames, countries, emailOf, personNames } from "./names.js";
import { addDays, createRandom, money, timestamp } from "./random.js";
import { type Row, type Table, tableOf } from "./table.js";

const lastDay = "2025-06-14";

const teamNames: [string, string][] = [
  ["Service Desk", "Manchester"],
  ["Network Operations", "Leeds"],
  ["Field Services", "Birmingham"],
  ["Security Operations", "London"],
  ["Cloud & Infrastructure", "London"],
  ["Projects", "Bristol"],
];

const subjects: Record<string, string[]> = {
  Network: [
    "VPN keeps disconnecting",
    "Wi-Fi slow in meeting room",
    "Switch port down",
    "Firewall rule request",
  ],
  Hardware: [
    "Laptop will not boot",
    "Monitor flickering",
    "Docking station not detected",
    "New starter laptop setup",
  ],
  Software: [
    "Excel crashes on open",
    "Install accounting package",
    "Update line-of-business app",
    "License activation failed",
  ],
  Security: ["Phishing email reported", "Suspicious login alert", "Antivirus detection", "MFA enrolment"],
  Email: ["Mailbox full", "Shared mailbox access", "Emails stuck in outbox", "Distribution list change"],
  Printing: ["Printer offline", "Scanner to email broken", "Paper jam error", "Add printer for new office"],
  "Account Access": ["Password reset", "Account locked out", "New user account", "Leaver account disable"],
};

/** A managed IT service provider: teams, technicians, clients with contacts and contracts, tickets, time and invoices. */
export function generateService(scale = 1): Table[] {
  const random = createRandom(7_340_021);
  const teams = teamNames.map(([team_name, location], index) => ({
    team_id: index + 1,
    team_name,
    location,
  }));

  const technicians = personNames(random, 45).map((technician_name, index) => {
    const level = random.weighted([
      ["L1", 5],
      ["L2", 4],
      ["L3", 2],
    ] as const);
    return {
      technician_id: index + 1,
      technician_name,
      email: emailOf(technician_name, "msp.example"),
      team_id: (index % teams.length) + 1,
      level,
      hourly_rate:
        level === "L1" ? random.int(45, 60) : level === "L2" ? random.int(65, 85) : random.int(95, 130),
      hire_date: random.day("2016-01-01", "2024-11-30"),
      is_active: index < 41,
    };
  });
  const active = technicians.filter((technician) => technician.is_active);

  const clientCount = Math.round(180 * Math.max(scale, 0.5));
  const clients = companyNames(random, clientCount).map((client_name, index) => {
    const place = random.weighted(
      countries.map(
        (entry) =>
          [entry, entry.country === "United Kingdom" ? 8 : entry.region === "Europe" ? 1 : 0.3] as const,
      ),
    );
    const tier = random.weighted([
      ["Gold", 2],
      ["Silver", 3],
      ["Bronze", 4],
    ] as const);
    return {
      client_id: index + 1,
      client_name,
      industry: random.pick([
        "Healthcare",
        "Legal",
        "Manufacturing",
        "Retail",
        "Finance",
        "Education",
        "Non-profit",
        "Construction",
      ]),
      tier,
      country: place.country,
      city: random.pick(place.cities),
      onboarded_on: random.day("2019-01-01", "2024-12-31"),
      employee_count: random.int(8, tier === "Gold" ? 900 : 250),
      monthly_fee: money(
        random.int(tier === "Gold" ? 40 : tier === "Silver" ? 15 : 5, tier === "Gold" ? 120 : 45) * 10_000,
      ),
    };
  });

  const contacts: Row[] = [];
  for (const client of clients) {
    for (let n = random.int(1, 5); n > 0; n--) {
      const contact_name = personNames(random, 1)[0]!;
      contacts.push({
        contact_id: contacts.length + 1,
        client_id: client.client_id,
        contact_name,
        job_role: random.pick([
          "Office Manager",
          "IT Lead",
          "CFO",
          "CEO",
          "Operations Manager",
          "Practice Manager",
        ]),
        email: emailOf(contact_name, "client.example"),
        phone: random.chance(0.3) ? null : `+44 ${random.int(1000, 9999)} ${random.int(100000, 999999)}`,
      });
    }
  }

  const contracts: Row[] = [];
  for (const client of clients) {
    let start = client.onboarded_on;
    for (let n = random.int(1, 2); n > 0; n--) {
      const plan = random.pick(["Managed Basic", "Managed Pro", "Managed Enterprise", "Block Hours"]);
      const end = random.chance(0.35) ? null : addDays(start, 365 * random.int(1, 3));
      contracts.push({
        contract_id: contracts.length + 1,
        client_id: client.client_id,
        plan,
        start_date: start,
        end_date: end,
        monthly_value: money(random.int(8, 150) * 5_000),
        auto_renew: random.chance(0.6),
      });
      if (!end) break;
      start = addDays(end, 1);
    }
  }

  const tickets: Row[] = [];
  const entries: Row[] = [];
  const ticketCount = Math.round(9_000 * scale);
  const clientWeights = clients.map(
    (client) => [client, client.tier === "Gold" ? 4 : client.tier === "Silver" ? 2 : 1] as const,
  );
  const days = Array.from({ length: ticketCount }, () => random.day("2022-01-01", lastDay)).sort();
  for (const day of days) {
    const client = random.weighted(clientWeights);
    const clientContacts = contacts.filter((contact) => contact.client_id === client.client_id);
    const category = random.weighted([
      ["Account Access", 5],
      ["Software", 4],
      ["Hardware", 3],
      ["Network", 2.5],
      ["Email", 2.5],
      ["Printing", 1.5],
      ["Security", 1.5],
    ] as const);
    const priority = random.weighted([
      ["Low", 4],
      ["Medium", 5],
      ["High", 2],
      ["Critical", category === "Security" ? 2 : 0.4],
    ] as const);
    const openedMinutes = random.int(7 * 60, 19 * 60);
    const opened = timestamp(day, openedMinutes);
    const age = (Date.parse(lastDay) - Date.parse(day)) / 86_400_000;
    const stillOpen = age < 14 ? random.chance(0.55) : age < 60 ? random.chance(0.08) : random.chance(0.012);
    const status = stillOpen
      ? random.weighted([
          ["Open", 3],
          ["In Progress", 3],
          ["Waiting on Client", 1.5],
        ] as const)
      : random.weighted([
          ["Resolved", 1],
          ["Closed", 4],
        ] as const);
    const urgency =
      priority === "Critical" ? 0.15 : priority === "High" ? 0.4 : priority === "Medium" ? 1 : 2;
    const resolutionMinutes = Math.round(random.around(1600, 1400, 20, 6000) * urgency);
    const technician = status === "Open" && random.chance(0.6) ? null : random.pick(active);
    const ticket_id = tickets.length + 1;
    const closedAt = stillOpen ? null : timestamp(day, openedMinutes + resolutionMinutes);
    tickets.push({
      ticket_id,
      client_id: client.client_id,
      contact_id: clientContacts.length ? random.pick(clientContacts).contact_id : null,
      technician_id: technician ? technician.technician_id : null,
      subject: random.pick(subjects[category]!),
      category,
      priority,
      status,
      source: random.weighted([
        ["Email", 4],
        ["Phone", 3],
        ["Portal", 3],
        ["Monitoring", category === "Network" || category === "Security" ? 4 : 0.5],
      ] as const),
      opened_at: opened,
      first_response_at: technician
        ? timestamp(
            day,
            openedMinutes + Math.min(resolutionMinutes, Math.round(random.around(45, 40, 2, 240) * urgency)),
          )
        : null,
      closed_at: closedAt && closedAt.slice(0, 10) > lastDay ? null : closedAt,
      satisfaction_score:
        !stillOpen && random.chance(0.55)
          ? random.weighted([
              [5, 5],
              [4, 4],
              [3, 1.5],
              [2, 0.6],
              [1, 0.4],
            ] as const)
          : null,
    });
    if (!technician) continue;
    for (let n = random.int(1, 4); n > 0; n--) {
      const worker = random.chance(0.8) ? technician : random.pick(active);
      entries.push({
        time_entry_id: entries.length + 1,
        ticket_id,
        technician_id: worker.technician_id,
        work_date: addDays(day, Math.min(random.int(0, 3), Math.floor(age))),
        hours: random.int(1, 16) / 4,
        billable: random.chance(client.tier === "Bronze" ? 0.85 : 0.55),
        work_type: random.weighted([
          ["Remote", 6],
          ["Onsite", category === "Hardware" || category === "Printing" ? 3 : 0.8],
          ["Phone", 2],
        ] as const),
      });
    }
  }
  for (const ticket of tickets) {
    if (ticket.closed_at === null && (ticket.status === "Closed" || ticket.status === "Resolved"))
      ticket.status = "In Progress";
  }

  const invoices: Row[] = [];
  for (const client of clients) {
    let month = client.onboarded_on < "2022-01-01" ? "2022-01-01" : `${client.onboarded_on.slice(0, 7)}-01`;
    for (; month <= "2025-06-01"; month = nextMonth(month)) {
      const due = addDays(month, 30);
      const paid = due < "2025-05-01" ? random.chance(0.97) : random.chance(0.4);
      const paidDate = paid ? addDays(month, random.int(5, 45)) : null;
      invoices.push({
        invoice_id: invoices.length + 1,
        client_id: client.client_id,
        invoice_date: month,
        due_date: due,
        amount: money(client.monthly_fee * 100 * random.around(1, 0.15, 0.8, 1.4)),
        status: paidDate && paidDate <= lastDay ? "Paid" : due < lastDay ? "Overdue" : "Open",
        paid_date: paidDate && paidDate <= lastDay ? paidDate : null,
      });
    }
  }

  return [
    tableOf("teams", teams),
    tableOf("technicians", technicians),
    tableOf("clients", clients),
    tableOf("contacts", contacts),
    tableOf("contracts", contracts),
    tableOf("tickets", tickets),
    tableOf("time_entries", entries),
    tableOf("invoices", invoices),
  ];
}

function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const next = Number(month.slice(5, 7)) + 1;
  return next > 12 ? `${year + 1}-01-01` : `${year}-${String(next).padStart(2, "0")}-01`;
}
