import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";

/**
 * Real services for integration tests. A missing service skips its tests with a printed reason,
 * unless REQUIRE_SERVICES=1 (CI), where it fails the run.
 */
const required = process.env.REQUIRE_SERVICES === "1";

export const postgresAdminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const redisTestUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const mysqlTestUrl = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function unavailable(service: string, reason: string): false {
  const message = `${service} is not available (${reason})`;
  if (required) throw new Error(`REQUIRE_SERVICES=1 but ${message}`);
  console.warn(`[skip] ${message}: its tests are skipped`);
  return false;
}

export async function hasPostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch (error) {
    return unavailable("PostgreSQL", (error as Error).message);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function hasRedis(): Promise<boolean> {
  const redis = new Redis(redisTestUrl, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
  });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    return unavailable("Redis", (error as Error).message);
  } finally {
    redis.disconnect();
  }
}

export function hasChromium(): boolean {
  return existsSync(chromiumPath) || unavailable("Chromium", `no executable at ${chromiumPath}`);
}

/** A fresh, empty PostgreSQL database for one test file; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sl_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export function uniquePrefix(label: string): string {
  return `sl-test-${label}-${randomBytes(4).toString("hex")}`;
}
