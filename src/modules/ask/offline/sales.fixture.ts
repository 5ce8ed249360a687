import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A small sales dataset for the ask tests, generated from a fixed seed: regions, customers,
 * products, orders and order items, and with `extended` five more tables (employees,
 * tickets, suppliers, shipments, payments) for a 10-table directory.
 */
export function writeSalesFixture(dir: string, options: { extended?: boolean } = {}): void {
  mkdirSync(dir, { recursive: true });
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const csv = (name: string, header: string[], rows: (string | number | null)[][]) =>
    writeFileSync(
      path.join(dir, `${name}.csv`),
      `${header.join(",")}\n${rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))).join(",")).join("\n")}\n`,
    );
  const day = (start: string, span: number) => {
    const date = new Date(`${start}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + Math.floor(random() * span));
    return date.toISOString().slice(0, 10);
  };

  const regions = ["Europe", "North America", "Asia", "Latin America"];
  csv(
    "regions",
    ["region_id", "name"],
    regions.map((name, index) => [index + 1, name]),
  );

  const countries: [string, number][] = [
    ["Germany", 1],
    ["France", 1],
    ["Spain", 1],
    ["United States", 2],
    ["Canada", 2],
    ["Japan", 3],
    ["India", 3],
    ["Brazil", 4],
    ["Mexico", 4],
  ];
  const segments = ["Enterprise", "SMB", "Consumer"];
  const first = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Wonka",
    "Hooli",
    "Vandelay",
    "Cyberdyne",
  ];
  const second = ["Corp", "Labs", "Group", "Systems", "Trading", "Works"];
  const customers = Array.from({ length: 60 }, (_, index) => {
    const [country, region] = pick(countries);
    return [
      index + 1,
      `${first[index % first.length]} ${second[Math.floor(index / first.length) % second.length]}`,
      country,
      pick(segments),
      region,
      day("2021-01-01", 1000),
      random() < 0.2 ? null : `contact${index + 1}@example.com`,
    ];
  });
  csv(
    "customers",
    ["customer_id", "name", "country", "segment", "region_id", "signup_date", "email"],
    customers,
  );

  const categories = ["Hardware", "Software", "Services", "Accessories"];
  const products = Array.from({ length: 20 }, (_, index) => [
    index + 1,
    `Product ${String.fromCharCode(65 + index)}`,
    categories[index % categories.length] as string,
    Math.round((10 + random() * 990) * 100) / 100,
  ]);
  csv("products", ["product_id", "name", "category", "price"], products);

  const statuses = ["open", "shipped", "delivered", "cancelled"];
  const channels = ["Online", "Partner", "Retail"];
  const orders = Array.from({ length: 400 }, (_, index) => [
    index + 1,
    1 + Math.floor(random() * 60),
    day("2023-01-01", 526),
    pick(statuses),
    pick(channels),
    Math.round((20 + random() * 2000) * 100) / 100,
  ]);
  csv("orders", ["order_id", "customer_id", "order_date", "status", "channel", "amount"], orders);

  const items: (string | number)[][] = [];
  for (const order of orders) {
    const lines = 1 + Math.floor(random() * 3);
    for (let line = 0; line < lines; line++) {
      const product = pick(products);
      items.push([
        items.length + 1,
        order[0] as number,
        product[0] as number,
        1 + Math.floor(random() * 5),
        product[3] as number,
      ]);
    }
  }
  csv("order_items", ["order_item_id", "order_id", "product_id", "quantity", "unit_price"], items);

  if (!options.extended) return;
  const departments = ["Support", "Sales", "Engineering", "Finance"];
  const employees = Array.from({ length: 30 }, (_, index) => [
    index + 1,
    `Employee ${index + 1}`,
    pick(departments),
    Math.round(40000 + random() * 80000),
    day("2015-01-01", 3000),
  ]);
  csv("employees", ["employee_id", "full_name", "department", "salary", "hire_date"], employees);
  const priorities = ["low", "medium", "high", "urgent"];
  csv(
    "tickets",
    ["ticket_id", "customer_id", "employee_id", "priority", "opened_at", "resolution_hours"],
    Array.from({ length: 300 }, (_, index) => [
      index + 1,
      1 + Math.floor(random() * 60),
      1 + Math.floor(random() * 30),
      pick(priorities),
      day("2023-01-01", 500),
      random() < 0.1 ? null : Math.round(random() * 96 * 10) / 10,
    ]),
  );
  csv(
    "suppliers",
    ["supplier_id", "supplier_name", "country"],
    Array.from({ length: 8 }, (_, index) => [index + 1, `Supplier ${index + 1}`, pick(countries)[0]]),
  );
  csv(
    "shipments",
    ["shipment_id", "order_id", "supplier_id", "shipped_date", "carrier", "cost"],
    orders
      .slice(0, 300)
      .map((order, index) => [
        index + 1,
        order[0] as number,
        1 + Math.floor(random() * 8),
        day("2023-01-05", 520),
        pick(["DHL", "UPS", "FedEx"]),
        Math.round(random() * 80 * 100) / 100,
      ]),
  );
  csv(
    "payments",
    ["payment_id", "order_id", "paid_on", "method", "paid_amount"],
    orders
      .slice(0, 350)
      .map((order, index) => [
        index + 1,
        order[0] as number,
        day("2023-01-02", 525),
        pick(["card", "invoice", "paypal"]),
        order[5] as number,
      ]),
  );
}
