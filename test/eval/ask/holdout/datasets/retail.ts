import { personNames } from "../../datasets/names.js";
import { addDays, createRandom, money, timestamp } from "../../datasets/random.js";
import { type Row, type Table, tableOf } from "../../datasets/table.js";

const firstDay = "2023-01-02";
const lastDay = "2025-06-14";

/** Category name, department, relative demand. */
const categorySpecs: [string, string, number][] = [
  ["Coffee & Tea", "Grocery", 6],
  ["Snacks", "Grocery", 7.5],
  ["Beverages", "Grocery", 6.5],
  ["Kitchenware", "Home", 2.2],
  ["Bedding", "Home", 1.3],
  ["Cleaning", "Home", 3.4],
  ["Headphones", "Electronics", 1.6],
  ["Phone Accessories", "Electronics", 2.7],
  ["Small Appliances", "Electronics", 1.1],
  ["T-Shirts", "Apparel", 2.9],
  ["Outerwear", "Apparel", 0.9],
  ["Footwear", "Apparel", 1.4],
];

/** Products by category: name, brand, list price. */
const productSpecs: [string, string, number][][] = [
  [
    ["Colombian Ground Coffee 500g", "Bean There", 8.49],
    ["Espresso Beans 1kg", "Bean There", 17.9],
    ["Decaf Ground Coffee 250g", "Morning Peak", 5.79],
    ["English Breakfast Tea 80ct", "Leafwell", 4.29],
    ["Green Tea Sencha 50ct", "Leafwell", 3.99],
    ["Chai Latte Mix", "Morning Peak", 6.25],
    ["Cold Brew Concentrate", "Bean There", 9.95],
  ],
  [
    ["Sea Salt Potato Chips", "Crunchy Co", 2.49],
    ["Dark Chocolate Bar 85%", "Cocoa Lane", 3.19],
    ["Trail Mix 400g", "Nutty Nature", 6.89],
    ["Salted Pretzels", "Crunchy Co", 1.99],
    ["Protein Bar Peanut", "FitFuel", 2.29],
    ["Almonds Roasted 250g", "Nutty Nature", 5.49],
    ["Caramel Popcorn", "Crunchy Co", 2.79],
    ["Milk Chocolate Buttons", "Cocoa Lane", 2.15],
  ],
  [
    ["Sparkling Water 6-pack", "Clearspring", 3.59],
    ["Orange Juice 1L", "Sunpress", 2.99],
    ["Cola 12-pack", "Fizzo", 6.49],
    ["Energy Drink Citrus", "FitFuel", 1.89],
    ["Oat Milk 1L", "Oatly Farms", 2.39],
    ["Kombucha Ginger", "Clearspring", 3.29],
  ],
  [
    ["Non-stick Frying Pan 28cm", "Chefline", 34.99],
    ["Chef's Knife 20cm", "Chefline", 49.5],
    ["Glass Storage Set", "Homely", 24.95],
    ["Cutting Board Bamboo", "Homely", 14.49],
    ["Cast Iron Casserole", "Chefline", 89],
    ["Measuring Cups Set", "Homely", 9.99],
  ],
  [
    ["Cotton Duvet Cover Double", "Dreamweave", 39.9],
    ["Memory Foam Pillow", "Dreamweave", 29.95],
    ["Linen Sheet Set King", "Dreamweave", 119],
    ["Fleece Throw Blanket", "Homely", 22.5],
  ],
  [
    ["All-Purpose Cleaner", "Sparkle", 3.49],
    ["Dish Soap Lemon", "Sparkle", 2.19],
    ["Microfiber Cloths 10pk", "Homely", 8.99],
    ["Laundry Detergent 2L", "Freshwave", 11.49],
    ["Glass Cleaner Spray", "Sparkle", 3.15],
    ["Fabric Softener 1.5L", "Freshwave", 5.99],
  ],
  [
    ["Wireless Earbuds Pro", "Sonix", 129],
    ["Over-Ear Headphones ANC", "Sonix", 219],
    ["Sports Earphones", "Pulse Audio", 39.99],
    ["Kids Headphones", "Pulse Audio", 24.99],
  ],
  [
    ["USB-C Charging Cable 2m", "VoltEdge", 12.99],
    ["Fast Wall Charger 30W", "VoltEdge", 24.5],
    ["Power Bank 10000mAh", "VoltEdge", 32],
    ["Phone Case Clear", "Shellguard", 15.99],
    ["Screen Protector 2pk", "Shellguard", 9.49],
    ["Car Phone Mount", "Shellguard", 18.75],
  ],
  [
    ["Electric Kettle 1.7L", "Brewmaster", 44.99],
    ["Drip Coffee Maker", "Brewmaster", 69.9],
    ["Toaster 2-Slice", "Brewmaster", 39.5],
    ["Hand Blender", "Chefline", 54.95],
  ],
  [
    ["Basic Crew Tee White", "Threadline", 12],
    ["Basic Crew Tee Black", "Threadline", 12.5],
    ["Graphic Tee Mountains", "Northbound", 19.99],
    ["Organic V-Neck Tee", "Threadline", 16.5],
    ["Kids Dino Tee", "Northbound", 10.99],
  ],
  [
    ["Rain Jacket Packable", "Northbound", 79.99],
    ["Puffer Vest", "Northbound", 64.5],
    ["Wool Overcoat", "Threadline", 229],
  ],
  [
    ["Running Shoes Aero", "Stride", 94.95],
    ["Canvas Sneakers", "Stride", 49.99],
    ["Hiking Boots Trail", "Northbound", 139.5],
    ["Wool Socks 3pk", "Stride", 14.99],
  ],
];

/** Store name, city, region, opened, square feet (distinct), relative traffic (0: not open yet). */
const storeSpecs: [string, string, string, string, number, number][] = [
  ["Downtown Flagship", "Portland", "West", "2008-04-12", 18_400, 10],
  ["Harbor Point", "Seattle", "West", "2012-09-01", 12_750, 7.4],
  ["Maple Grove", "Minneapolis", "North", "2014-03-22", 9_800, 5.3],
  ["Lakeshore", "Chicago", "North", "2011-06-18", 14_200, 8.1],
  ["Riverwalk", "San Antonio", "South", "2016-11-05", 10_650, 4.6],
  ["Peachtree", "Atlanta", "South", "2018-05-30", 11_300, 6.2],
  ["Beacon Hill", "Boston", "East", "2010-02-14", 8_900, 5.9],
  ["Liberty Square", "Philadelphia", "East", "2019-08-24", 7_600, 3.7],
  ["Canal Street", "New Orleans", "South", "2023-10-07", 6_950, 2.6],
  ["Union Station", "Denver", "West", "2025-07-19", 9_250, 0],
];

/**
 * A chain of shops with mixed naming: PascalCase columns in `stores` and `employees` (`StoreID`,
 * `OpenedOn`, `HourlyWage`) and snake_case elsewhere. Sales are order headers; their lines carry
 * quantity, unit price and a discount rate, so revenue is computed, not stored.
 */
export function generateRetail(scale = 1): Table[] {
  const random = createRandom(6_641_902);

  const categories = categorySpecs.map(([category_name, department], index) => ({
    category_id: index + 1,
    category_name,
    department,
  }));

  const products: Row[] = [];
  const productWeights: (readonly [Row, number])[] = [];
  productSpecs.forEach((specs, categoryIndex) => {
    specs.forEach(([product_name, brand, list_price], n) => {
      const product_id = 1001 + products.length;
      const row: Row = {
        product_id,
        sku: `SKU-${String(product_id * 37).padStart(6, "0")}`,
        product_name,
        category_id: categoryIndex + 1,
        brand,
        list_price,
        unit_cost: Math.round(list_price * random.around(0.55, 0.08, 0.35, 0.75) * 100) / 100,
        launched_on: random.day("2019-01-01", "2024-09-30"),
        is_active: true,
      };
      products.push(row);
      // Within a category, cheaper products sell more; every weight is distinct.
      const demand = categorySpecs[categoryIndex]![2];
      productWeights.push([row, (demand * (1 + ((n * 5) % 7))) / list_price ** 0.3 + products.length / 997]);
    });
  });
  // A few discontinued products, two of which never sold at all.
  for (const index of [5, 19, 30, 47, 60]) products[index]!.is_active = false;
  const neverSold = new Set([products[30]!.product_id, products[60]!.product_id]);
  products[30]!.launched_on = "2019-03-14";
  products[60]!.launched_on = "2020-10-02";

  const stores = storeSpecs.map(([StoreName, City, Region, OpenedOn, SquareFeet], index) => ({
    StoreID: index + 1,
    StoreName,
    City,
    Region,
    OpenedOn,
    SquareFeet,
  }));

  const employeeNames = personNames(random, 104);
  const employees: Row[] = [];
  stores.forEach((store, storeIndex) => {
    const traffic = storeSpecs[storeIndex]![5];
    const staff = traffic === 0 ? 3 : 6 + Math.round(traffic * 0.6);
    for (let n = 0; n < staff; n++) {
      const name = employeeNames[employees.length]!;
      const [FirstName, ...rest] = name.split(" ");
      const JobTitle =
        n === 0 ? "Store Manager" : n === 1 ? "Assistant Manager" : n < 4 ? "Stock Associate" : "Cashier";
      const base =
        JobTitle === "Store Manager"
          ? 34
          : JobTitle === "Assistant Manager"
            ? 25
            : JobTitle === "Cashier"
              ? 16.5
              : 17.5;
      const opened = store.OpenedOn > "2025-06-14" ? "2025-04-01" : store.OpenedOn;
      const HireDate = random.day(opened > "2016-01-01" ? opened : "2016-01-01", "2025-05-31");
      const leaves = JobTitle === "Cashier" && random.chance(0.2);
      employees.push({
        EmployeeID: 5001 + employees.length,
        FirstName: FirstName!,
        LastName: rest.join(" "),
        StoreID: store.StoreID,
        JobTitle,
        HireDate,
        HourlyWage: Math.round(random.around(base, 2.5, 14, 45) * 4) / 4 + (employees.length % 4) / 100,
        TerminatedOn: leaves
          ? random.day(addDays(HireDate, 60) < lastDay ? addDays(HireDate, 60) : lastDay, lastDay)
          : null,
      });
    }
  });

  const sales: Row[] = [];
  const lines: Row[] = [];
  const returns: Row[] = [];
  const saleCount = Math.round(4_200 * scale);
  const openStores = stores.filter((_, index) => storeSpecs[index]![5] > 0);
  const storeWeights = openStores.map((store) => [store, storeSpecs[store.StoreID - 1]![5]] as const);
  const sellable = productWeights.filter(([row]) => !neverSold.has(row.product_id as number));
  const dayCount = Math.round((Date.parse(lastDay) - Date.parse(firstDay)) / 86_400_000);
  for (let index = 0; index < saleCount; index++) {
    const store = random.weighted(storeWeights);
    // Trading grows over time, with a December peak.
    let day: string;
    do {
      const a = random.int(0, dayCount);
      const b = random.int(0, dayCount);
      day = addDays(firstDay, random.chance(0.4) ? Math.max(a, b) : a);
    } while (
      day < store.OpenedOn ||
      (day.slice(5, 7) !== "12" && day.slice(5, 7) !== "11" && random.chance(0.12))
    );
    const cashiers = employees.filter(
      (employee) =>
        employee.StoreID === store.StoreID &&
        (employee.JobTitle === "Cashier" || employee.JobTitle === "Assistant Manager") &&
        String(employee.HireDate) <= day &&
        (employee.TerminatedOn === null || String(employee.TerminatedOn) >= day),
    );
    const sale_id = 200_001 + index;
    sales.push({
      sale_id,
      store_id: store.StoreID,
      cashier_id: cashiers.length > 0 ? random.pick(cashiers).EmployeeID : null,
      sold_at: timestamp(day, 9 * 60 + random.int(0, 11 * 60)),
      payment_type: random.weighted([
        ["card", 6],
        ["mobile", 3],
        ["cash", 1.6],
        ["gift_card", 0.4],
      ] as const),
      loyalty_member: random.chance(0.38),
    });
    const lineCount = random.weighted([
      [1, 4],
      [2, 4],
      [3, 3],
      [4, 1.5],
      [5, 0.8],
      [7, 0.3],
    ] as const);
    const taken = new Set<number>();
    const priceYear = Number(day.slice(0, 4)) - 2023;
    for (let n = 0; n < lineCount; n++) {
      const product = random.weighted(sellable);
      const productId = product.product_id as number;
      if (taken.has(productId) || String(product.launched_on) > day) continue;
      taken.add(productId);
      const listPrice = product.list_price as number;
      const unit_price = money(listPrice * (1 + 0.03 * priceYear) * 100);
      const quantity =
        listPrice < 10
          ? random.weighted([
              [1, 5],
              [2, 3],
              [3, 1.5],
              [4, 1],
              [6, 0.5],
              [12, 0.2],
            ] as const)
          : random.weighted([
              [1, 8],
              [2, 1.5],
              [3, 0.4],
            ] as const);
      const discount = random.weighted([
        [0, 14],
        [0.05, 2],
        [0.1, 3],
        [0.15, 1.2],
        [0.2, 1],
        [0.25, 0.4],
        [0.3, 0.3],
      ] as const);
      lines.push({
        sale_id,
        line_no: taken.size,
        product_id: productId,
        quantity,
        unit_price,
        discount,
      });
      if (random.chance(listPrice > 30 ? 0.09 : 0.025)) {
        const qty = random.int(1, quantity);
        const returned_on = addDays(day, random.int(1, 40));
        if (returned_on > lastDay) continue;
        returns.push({
          return_id: 0,
          sale_id,
          product_id: productId,
          returned_on,
          qty,
          reason: random.weighted([
            ["defective", 3],
            [
              "wrong size",
              listPrice > 30 && categorySpecs[(product.category_id as number) - 1]![1] === "Apparel"
                ? 6
                : 0.3,
            ],
            ["changed mind", 4],
            ["damaged in transit", 1],
            ["not as described", 1.5],
          ] as const),
          refund_amt: money(qty * unit_price * (1 - discount) * 100),
        });
      }
    }
    if (taken.size === 0) {
      const product = random.weighted(sellable.filter(([row]) => String(row.launched_on) <= day));
      lines.push({
        sale_id,
        line_no: 1,
        product_id: product.product_id,
        quantity: 1,
        unit_price: money((product.list_price as number) * (1 + 0.03 * priceYear) * 100),
        discount: 0,
      });
    }
  }
  sales.sort((a, b) => String(a.sold_at).localeCompare(String(b.sold_at)));
  const renumber = new Map<number, number>();
  sales.forEach((row, index) => {
    renumber.set(row.sale_id as number, 200_001 + index);
    row.sale_id = 200_001 + index;
  });
  for (const row of lines) row.sale_id = renumber.get(row.sale_id as number)!;
  lines.sort(
    (a, b) => (a.sale_id as number) - (b.sale_id as number) || (a.line_no as number) - (b.line_no as number),
  );
  for (const row of returns) row.sale_id = renumber.get(row.sale_id as number)!;
  returns.sort((a, b) => String(a.returned_on).localeCompare(String(b.returned_on)));
  returns.forEach((row, index) => {
    row.return_id = index + 1;
  });

  return [
    tableOf("categories", categories),
    tableOf("products", products),
    tableOf("stores", stores),
    tableOf("employees", employees),
    tableOf("sales", sales),
    tableOf("sale_items", lines),
    tableOf("returns", returns),
  ];
}
