import { countries, personNames } from "../../datasets/names.js";
import { addDays, createRandom, money } from "../../datasets/random.js";
import { type Row, type Table, tableOf } from "../../datasets/table.js";

const lastDay = "2025-06-14";

/** Carrier, transport mode, home country, on-time target (%), base cost per kg. */
const carrierSpecs: [string, string, string, number, number][] = [
  ["SwiftHaul", "Road", "Germany", 92, 0.9],
  ["BlueLine Express", "Road", "Netherlands", 95, 1.1],
  ["Polar Freight", "Rail", "Sweden", 88, 0.6],
  ["TransAlpine Cargo", "Rail", "Italy", 85, 0.55],
  ["Meridian Sea Lines", "Sea", "Spain", 80, 0.35],
  ["Harbor Link", "Sea", "United Kingdom", 78, 0.4],
  ["SkyBridge Air", "Air", "United States", 97, 3.2],
  ["Falcon Couriers", "Air", "France", 96, 2.8],
  ["Redwood Trucking", "Road", "United States", 90, 0.85],
  ["Atlas Parcel", "Road", "France", 93, 1.0],
  ["Kestrel Logistics", "Road", "Germany", 91, 0.95],
];

/** Warehouse name, city, country, capacity in pallets (all distinct), year opened. */
const warehouseSpecs: [string, string, string, number, number][] = [
  ["Hamburg North DC", "Hamburg", "Germany", 42_000, 2011],
  ["Rotterdam Port Hub", "Rotterdam", "Netherlands", 55_500, 2009],
  ["Lyon Crossdock", "Lyon", "France", 12_800, 2018],
  ["Madrid Central", "Madrid", "Spain", 23_400, 2015],
  ["Milan South", "Milan", "Italy", 17_250, 2016],
  ["Manchester Depot", "Manchester", "United Kingdom", 9_600, 2020],
  ["Chicago Gateway", "Chicago", "United States", 61_000, 2012],
  ["Denver Fulfilment", "Denver", "United States", 15_700, 2021],
  ["Gothenburg Terminal", "Gothenburg", "Sweden", 20_900, 2014],
  ["Munich East", "Munich", "Germany", 11_300, 2022],
];

const contentsCategories: (readonly [string, number])[] = [
  ["Electronics", 3],
  ["Apparel", 4],
  ["Furniture", 1.5],
  ["Food", 2],
  ["Pharmaceuticals", 1],
  ["Books", 1.5],
  ["Auto Parts", 2],
  ["Chemicals", 0.6],
];

/**
 * A freight operator's data with camelCase and abbreviated column names (`shipDate`, `wt_kg`,
 * `whId`): carriers, warehouses, routes, drivers, shipments and their parcels.
 */
export function generateLogistics(scale = 1): Table[] {
  const random = createRandom(4_407_113);
  const carriers = carrierSpecs.map(([carrierName, mode, hqCountry, onTimeTargetPct], index) => ({
    carrier_id: index + 1,
    carrierName,
    mode,
    hqCountry,
    onTimeTargetPct,
    contractStart: random.day("2015-01-01", "2023-06-30"),
    isActive: index !== 10,
  }));
  const warehouses = warehouseSpecs.map(([whName, city, country, capacityPallets, openedYr], index) => ({
    whId: index + 1,
    whName,
    city,
    country,
    capacityPallets,
    openedYr,
    dockDoors: random.int(8, 60),
    mgrName: "",
  }));
  personNames(random, warehouses.length).forEach((name, index) => {
    warehouses[index]!.mgrName = name;
  });

  const destinations = countries.flatMap((entry) =>
    entry.cities.map((city) => [city, entry.country] as const),
  );
  const routes: Row[] = [];
  for (const warehouse of warehouses) {
    const count = random.int(4, 8);
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(random.int(0, destinations.length - 1));
    for (const index of [...chosen].sort((a, b) => a - b)) {
      const [destCity, destCountry] = destinations[index]!;
      if (destCity === warehouse.city) continue;
      const international = destCountry !== warehouse.country;
      routes.push({
        routeId: routes.length + 1,
        routeCode: `R-${String(routes.length + 1).padStart(3, "0")}`,
        whId: warehouse.whId,
        destCity,
        destCountry,
        dist_km: international ? random.int(300, 9_500) : random.int(40, 900),
        isInternational: international,
      });
    }
  }

  const driverNames = personNames(random, Math.round(140 * scale));
  const roadCarriers = carriers.filter((carrier) => carrier.mode === "Road" || carrier.mode === "Rail");
  const drivers = driverNames.map((fullName, index) => {
    const carrier = random.pick(roadCarriers);
    return {
      drvId: index + 1,
      fullName,
      carrier_id: carrier.carrier_id,
      licenseClass:
        carrier.mode === "Rail"
          ? "Rail"
          : random.weighted([
              ["C", 5],
              ["CE", 4],
              ["B", 1],
            ] as const),
      hireDt: random.day("2014-01-01", "2025-03-31"),
      rating: Math.round(random.around(4.2, 0.5, 2.5, 5) * 10) / 10,
    };
  });

  const shipments: Row[] = [];
  const parcels: Row[] = [];
  const shipmentCount = Math.round(5200 * scale);
  for (let index = 0; index < shipmentCount; index++) {
    const shipDate = random.weighted([
      [random.day("2023-01-01", "2023-12-31"), 3],
      [random.day("2024-01-01", "2024-12-31"), 4],
      [random.day("2025-01-01", lastDay), 2.2],
    ] as const);
    const route = random.pick(routes);
    const carrier = random.weighted(
      carriers.map(
        (entry, n) =>
          [entry, n === 10 ? 0.3 : entry.mode === "Road" ? 3 : entry.mode === "Air" ? 1.2 : 1.6] as const,
      ),
    );
    const priority =
      carrier.mode === "Air"
        ? random.weighted([
            ["Express", 3],
            ["Overnight", 2],
            ["Standard", 1],
          ] as const)
        : random.weighted([
            ["Standard", 7],
            ["Express", 2],
            ["Overnight", 0.3],
          ] as const);
    const transit =
      carrier.mode === "Air"
        ? random.int(1, 3)
        : carrier.mode === "Sea"
          ? random.int(12, 40)
          : random.int(1, 9);
    const arrives = addDays(shipDate, transit + (random.chance(0.12) ? random.int(2, 10) : 0));
    const status =
      arrives > lastDay
        ? random.chance(0.15)
          ? "Delayed"
          : "In Transit"
        : random.weighted([
            ["Delivered", 93],
            ["Returned", 4],
            ["Lost", 0.8],
            ["Delayed", 2],
          ] as const);
    const shipmentId = index + 1;
    let weight = 0;
    const parcelCount = carrier.mode === "Sea" ? random.int(2, 6) : random.int(1, 4);
    for (let n = 0; n < parcelCount; n++) {
      const category = random.weighted(contentsCategories);
      const wt =
        Math.round(
          random.around(category === "Furniture" ? 60 : 12, category === "Furniture" ? 30 : 9, 0.2, 180) *
            100,
        ) / 100;
      weight += wt;
      parcels.push({
        parcelId: 0,
        shipmentId,
        wt_kg: wt,
        len_cm: random.int(10, category === "Furniture" ? 240 : 120),
        isFragile:
          category === "Electronics" || category === "Pharmaceuticals"
            ? random.chance(0.7)
            : random.chance(0.1),
        contentsCat: category,
        trackingNo: `TRK${String(7_000_000 + parcels.length * 13).padStart(9, "0")}`,
      });
    }
    const wt_kg = Math.round(weight * 100) / 100;
    shipments.push({
      shipmentId,
      shipDate,
      deliveredDate: status === "Delivered" ? arrives : null,
      carrier_id: carrier.carrier_id,
      routeId: route.routeId,
      drvId:
        carrier.mode === "Road" || carrier.mode === "Rail"
          ? random.pick(
              drivers
                .filter((driver) => driver.carrier_id === carrier.carrier_id)
                .map((d) => d.drvId)
                .concat([null as unknown as number]),
            )
          : null,
      status,
      priority,
      wt_kg,
      freightCost: money(
        wt_kg *
          100 *
          carrierSpecs[carrier.carrier_id - 1]![4] *
          (1 + (route.dist_km as number) / 2_000) *
          (priority === "Overnight" ? 2.2 : priority === "Express" ? 1.5 : 1) +
          random.int(500, 4_000),
      ),
      declaredValue: random.chance(0.15) ? null : money(random.int(2_000, 900_000)),
      custRef: `PO-${random.int(100_000, 999_999)}`,
    });
  }
  parcels.forEach((row, index) => {
    row.parcelId = index + 1;
  });

  return [
    tableOf("carriers", carriers),
    tableOf("warehouses", warehouses),
    tableOf("routes", routes),
    tableOf("drivers", drivers),
    tableOf("shipments", shipments),
    tableOf("parcels", parcels),
  ];
}
