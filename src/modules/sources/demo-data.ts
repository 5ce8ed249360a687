import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { memberships, workspaces } from "../workspaces/workspaces.tables.js";
import type { SourcesService } from "./sources.service.js";
import { sources } from "./sources.tables.js";
import type { Warehouses } from "./warehouses.js";

const pick = (words: string[], seed: string) =>
  `[${words.map((word) => `'${word.replaceAll("'", "''")}'`).join(", ")}][1 + cast(hash(${seed}) % ${words.length} as integer)]`;

/**
 * The demo workspace's sample data: a small sales business (customers, products, orders over
 * the three years up to today), generated deterministically by DuckDB from hashes of row numbers.
 */
const demoFiles: { fileName: string; sql: string }[] = [
  {
    fileName: "customers.csv",
    sql: `select cast(i as integer) as customer_id,
        ${pick(["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Hooli", "Vandelay", "Soylent", "Aperture", "Oscorp", "Nakatomi"], "i * 3")}
          || ' ' || ${pick(["Labs", "Systems", "Group", "Partners", "Logistics", "Foods", "Health", "Energy", "Media", "Works"], "i * 5 + 1")}
          || ' ' || i as name,
        ${pick(["Enterprise", "Mid-market", "Small business"], "i * 7 + 2")} as segment,
        ${pick(["Germany", "France", "United Kingdom", "United States", "Canada", "Spain", "Netherlands", "Japan"], "i * 11 + 3")} as country,
        current_date - cast(400 + hash(i * 13) % 900 as integer) as signed_up_on
      from range(1, 251) t(i)`,
  },
  {
    fileName: "products.csv",
    sql: `select cast(i as integer) as product_id,
        ${pick(["Standard", "Premium", "Basic", "Pro", "Ultra", "Compact"], "i * 17")}
          || ' ' || ${pick(["Router", "Laptop", "Monitor", "Headset", "Support plan", "Backup license", "Firewall", "Switch"], "i * 19 + 4")}
          || ' ' || i as name,
        ${pick(["Hardware", "Software", "Services"], "i * 23 + 5")} as category,
        round(20 + (hash(i * 29) % 190000) / 100.0, 2) as unit_price
      from range(1, 41) t(i)`,
  },
  {
    fileName: "orders.csv",
    sql: `select cast(i as integer) as order_id,
        cast(1 + hash(i * 31) % 250 as integer) as customer_id,
        cast(1 + hash(i * 37 + 6) % 40 as integer) as product_id,
        current_date - cast(hash(i * 41 + 7) % 1095 as integer) as ordered_on,
        ${pick(["Direct", "Partner", "Online"], "i * 43 + 8")} as channel,
        ${pick(["completed", "completed", "completed", "completed", "shipped", "open", "cancelled"], "i * 47 + 9")} as status,
        cast(1 + hash(i * 53 + 10) % 12 as integer) as quantity,
        round((1 + hash(i * 53 + 10) % 12) * (20 + (hash((1 + hash(i * 37 + 6) % 40) * 29) % 190000) / 100.0), 2) as amount
      from range(1, 6001) t(i)`,
  },
];

/**
 * Gives the demo workspace its sample data when it has no sources: the files are written to its
 * upload directory and loaded like any upload (background ingest, profile, relationships).
 */
export async function seedDemoData(deps: {
  db: Db;
  sources: Pick<SourcesService, "createFromUpload">;
  warehouses: Pick<Warehouses, "uploadDir">;
}): Promise<number> {
  const [demo] = await deps.db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.isDemo, true))
    .orderBy(asc(workspaces.createdAt))
    .limit(1);
  if (!demo) return 0;
  const [existing] = await deps.db
    .select({ id: sources.id })
    .from(sources)
    .where(eq(sources.workspaceId, demo.id))
    .limit(1);
  if (existing) return 0;
  const [owner] = await deps.db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, demo.id), eq(memberships.role, "owner")))
    .limit(1);
  if (!owner) return 0;
  const dir = deps.warehouses.uploadDir(demo.id);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const written: { fileName: string; storedAs: string; sizeBytes: number }[] = [];
  try {
    for (const file of demoFiles) {
      const storedAs = `${randomUUID()}.csv`;
      const target = path.join(dir, storedAs);
      await connection.run(`copy (${file.sql}) to '${target.replaceAll("'", "''")}' (header, delimiter ',')`);
      written.push({ fileName: file.fileName, storedAs, sizeBytes: statSync(target).size });
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const ctx = {
    workspaceId: demo.id,
    userId: owner.userId,
    role: "owner" as const,
    actor: { type: "system" as const, label: "demo" },
    meta: { ip: null, userAgent: null },
  };
  for (const file of written) await deps.sources.createFromUpload(ctx, { ...file, format: "csv" });
  return written.length;
}
