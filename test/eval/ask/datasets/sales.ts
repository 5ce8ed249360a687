import { companyNames, countries, emailOf, personNames } from "./names.js";
import { addDays, createRandom, laterDay, money, type Random } from "./random.js";
import { type Row, type Table, tableOf } from "./table.js";

const catalog: { category: string; items: [string, number, number][] }[] = [
  {
    category: "Electronics",
    items: [
      ["Laptop", 650, 2400],
      ["Monitor", 140, 900],
      ["Headphones", 40, 380],
      ["Keyboard", 25, 180],
      ["Webcam", 35, 220],
      ["Tablet", 250, 1300],
    ],
  },
  {
    category: "Furniture",
    items: [
      ["Standing Desk", 320, 1100],
      ["Office Chair", 140, 950],
      ["Bookshelf", 90, 420],
      ["Filing Cabinet", 110, 480],
    ],
  },
  {
    category: "Office Supplies",
    items: [
      ["Notebook Pack", 6, 30],
      ["Pen Set", 4, 25],
      ["Stapler", 8, 40],
      ["Paper Ream", 5, 18],
      ["Binder", 3, 15],
    ],
  },
  {
    category: "Software",
    items: [
      ["Antivirus License", 30, 120],
      ["Office Suite License", 90, 400],
      ["Backup Subscription", 60, 300],
    ],
  },
  {
    category: "Accessories",
    items: [
      ["Laptop Bag", 25, 140],
      ["USB-C Hub", 20, 110],
      ["Phone Stand", 8, 45],
      ["Charger", 15, 90],
    ],
  },
];
const brands = ["Nordic", "Vertex", "Lumen", "Kestrel", "Orion", "Bolt", "Juniper", "Halcyon"];
const models = ["Pro", "Air", "Max", "Lite", "Plus", "One", "X", "Studio"];

/** Nothing happens after the day before the evaluation's fixed today (2025-06-15). */
const capped = (day: string) => (laterDay(day, "2025-06-14") === day ? "2025-06-14" : day);

const regionNames = ["North America", "Europe", "Asia Pacific", "Latin America", "Middle East & Africa"];

/** Seasonal and growing demand: more orders later, and in November and December. */
function orderDay(random: Random): string {
  for (;;) {
    const day = random.day("2022-01-01", "2025-06-14");
    const progress =
      (Date.parse(day) - Date.parse("2022-01-01")) / (Date.parse("2025-06-14") - Date.parse("2022-01-01"));
    const month = Number(day.slice(5, 7));
    const weight = (0.55 + 0.45 * progress) * (month >= 11 ? 1 : 0.78);
    if (random.next() < weight) return day;
  }
}

/** A wholesale/retail business: regions, reps, customers, a product catalogue, orders, their lines and returns. */
export function generateSales(scale = 1): Table[] {
  const random = createRandom(20240601);
  const regions = regionNames.map((region_name, index) => ({ region_id: index + 1, region_name }));
  const regionId = (name: string) => regionNames.indexOf(name) + 1;

  const supplierNames = companyNames(random, 25);
  const suppliers = supplierNames.map((supplier_name, index) => ({
    supplier_id: index + 1,
    supplier_name,
    country: random.pick(countries).country,
    rating: random.chance(0.1) ? null : random.int(2, 5),
  }));

  const products: Row[] = [];
  const productNames = new Set<string>();
  while (products.length < 150) {
    const group = random.pick(catalog);
    const [noun, low, high] = random.pick(group.items);
    const name = `${random.pick(brands)} ${random.pick(models)} ${noun}`;
    if (productNames.has(name)) continue;
    productNames.add(name);
    const price = Math.round((low + ((high - low) * (random.next() + random.next())) / 2) * 100) - 1;
    products.push({
      product_id: products.length + 1,
      product_name: name,
      category: group.category,
      brand: name.split(" ")[0]!,
      supplier_id: random.int(1, suppliers.length),
      list_price: money(price),
      unit_cost: money(price * random.around(0.58, 0.12, 0.35, 0.8)),
      launched_on: random.day("2020-01-01", "2024-09-30"),
      discontinued: random.chance(0.12),
    });
  }

  const repNames = personNames(random, 40);
  const reps = repNames.map((rep_name, index) => ({
    rep_id: index + 1,
    rep_name,
    email: emailOf(rep_name, "sightline-sales.example"),
    region_id: (index % regions.length) + 1,
    hire_date: random.day("2015-03-01", "2024-10-31"),
    quota: random.int(40, 120) * 10_000,
  }));
  const repsByRegion = new Map<number, number[]>();
  for (const rep of reps)
    repsByRegion.set(rep.region_id, [...(repsByRegion.get(rep.region_id) ?? []), rep.rep_id]);

  const customerCount = Math.round(1200 * scale);
  const customers = companyNames(random, customerCount).map((customer_name, index) => {
    const place = random.weighted(
      countries.map((entry) => [entry, entry.region === "Europe" ? 1.3 : 1] as const),
    );
    return {
      customer_id: index + 1,
      customer_name,
      segment: random.weighted([
        ["Enterprise", 2],
        ["Mid-Market", 3],
        ["Small Business", 5],
      ] as const),
      country: place.country,
      city: random.pick(place.cities),
      region_id: regionId(place.region),
      signup_date: random.day("2021-01-01", "2025-05-31"),
      email: random.chance(0.06) ? null : emailOf(customer_name, "mail.example"),
    };
  });

  const orders: Row[] = [];
  const items: Row[] = [];
  const returns: Row[] = [];
  const orderCount = Math.round(12_000 * scale);
  const weights = customers.map(
    (customer) =>
      [customer, customer.segment === "Enterprise" ? 4 : customer.segment === "Mid-Market" ? 2 : 1] as const,
  );
  const orderDays = Array.from({ length: orderCount }, () => orderDay(random)).sort();
  for (const order_date of orderDays) {
    const customer = random.weighted(weights);
    const order_id = orders.length + 1;
    const channel = random.weighted([
      ["Online", 4],
      ["Retail", 2],
      ["Partner", 1.5],
      ["Direct Sales", 2.5],
    ] as const);
    const recent = order_date >= "2025-06-01";
    const status = recent
      ? random.weighted([
          ["Pending", 4],
          ["Shipped", 5],
          ["Completed", 2],
          ["Cancelled", 1],
        ] as const)
      : random.weighted([
          ["Completed", 78],
          ["Shipped", 3],
          ["Pending", 1],
          ["Cancelled", 10],
          ["Returned", 8],
        ] as const);
    let totalCents = 0;
    const lines = customer.segment === "Enterprise" ? random.int(1, 6) : random.int(1, 4);
    const chosen = new Set<number>();
    for (let line = 0; line < lines; line++) {
      const product = random.pick(products);
      if (chosen.has(product.product_id as number)) continue;
      chosen.add(product.product_id as number);
      const quantity = random.weighted([
        [1, 5],
        [2, 4],
        [3, 2],
        [5, 1.5],
        [10, 1],
        [random.int(4, 25), 1],
      ] as const);
      const priceCents = Math.round(
        (product.list_price as number) * 100 * (order_date < "2024-01-01" ? 0.95 : 1),
      );
      const discount = random.weighted([
        [0, 10],
        [0.05, 3],
        [0.1, 2],
        [0.15, 1],
        [0.2, customer.segment === "Enterprise" ? 1.5 : 0.3],
      ] as const);
      const lineCents = Math.round(quantity * priceCents * (1 - discount));
      totalCents += lineCents;
      items.push({
        order_item_id: items.length + 1,
        order_id,
        product_id: product.product_id,
        quantity,
        unit_price: money(priceCents),
        discount,
        line_total: money(lineCents),
      });
    }
    const shipped = status !== "Pending" && status !== "Cancelled";
    orders.push({
      order_id,
      customer_id: customer.customer_id,
      rep_id: channel === "Online" ? null : random.pick(repsByRegion.get(customer.region_id)!),
      order_date,
      ship_date: shipped ? capped(addDays(order_date, random.int(1, 7))) : null,
      channel,
      status,
      shipping_cost: channel === "Retail" ? 0 : money(random.int(0, 12) * 250 + 499),
      order_total: money(totalCents),
    });
    if (status === "Returned") {
      returns.push({
        return_id: returns.length + 1,
        order_id,
        return_date: capped(addDays(order_date, random.int(8, 40))),
        reason: random.pick([
          "Damaged in transit",
          "Wrong item",
          "No longer needed",
          "Defective",
          "Late delivery",
        ]),
        refund_amount: money(totalCents * random.pick([1, 1, 1, 0.5])),
      });
    }
  }

  return [
    tableOf("regions", regions),
    tableOf("suppliers", suppliers),
    tableOf("products", products),
    tableOf("sales_reps", reps),
    tableOf("customers", customers),
    tableOf("orders", orders),
    tableOf("order_items", items),
    tableOf("returns", returns),
  ];
}
