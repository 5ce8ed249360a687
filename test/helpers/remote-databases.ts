import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import pg from "pg";
import { createTestDatabase, mysqlTestUrl } from "./services.js";

/**
 * Real databases to connect as sources: a fresh PostgreSQL database or MariaDB/MySQL database
 * per test file, seeded with the SQL guard corpus's tables (`orders`, `customers`, `Line Items`).
 */
const required = process.env.REQUIRE_SERVICES === "1";

export async function hasMysql(): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ uri: mysqlTestUrl, connectTimeout: 2_000 });
    await connection.query("select 1");
    await connection.end();
    return true;
  } catch (error) {
    const message = `MySQL/MariaDB is not available (${(error as Error).message})`;
    if (required) throw new Error(`REQUIRE_SERVICES=1 but ${message}`);
    console.warn(`[skip] ${message}: its tests are skipped`);
    return false;
  }
}

const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => `select ${d} as d`).join(" union all ");
const places = ["a", "b", "c", "e", "f"];
/** A SELECT of 12,345 rows (`n`, 1 to 12,345 in order) in PostgreSQL and MySQL alike, with no table. */
export const manyRows = `select n from (select ${places.map((name, i) => `${name}.d * ${10 ** i}`).join(" + ")} + 1 as n from ${places.map((name) => `(${digits}) ${name}`).join(", ")}) t where n <= 12345 order by n`;

export interface RemoteDatabase {
  /** Settings for POST /sources/connections, password included. */
  settings: {
    engine: "postgres" | "mysql";
    host: string;
    port: number;
    database: string;
    user: string;
    password?: string;
  };
  /** Runs SQL as the administrator, outside any Sightline path. */
  admin(sql: string): Promise<unknown[]>;
  /** Row counts and contents of the seeded tables, plus the database's tables and routines. */
  checksum(): Promise<string>;
  drop(): Promise<void>;
}

const seed = {
  postgres: [
    "create table customers (id integer primary key, name text not null, region text, signed_up date)",
    "create table orders (id integer primary key, customer_id integer references customers(id), amount numeric(10,2), status text, ordered_at timestamp)",
    'create table "Line Items" ("Order Id" integer references orders(id), "Unit Price" numeric(10,2), qty integer)',
    "insert into customers values (1, 'Acme', 'EU', '2023-01-05'), (2, 'Globex', 'US', '2023-02-10'), (3, 'Umbrella', 'US', '2023-03-15')",
    "insert into orders values (1, 1, 120.50, 'paid', '2024-03-01 10:00:00'), (2, 2, 80.00, 'paid', '2024-03-05 11:30:00'), (3, 1, 19.99, 'refunded', '2024-04-11 09:15:00'), (4, 3, 55.00, 'open', '2024-04-20 16:45:00')",
    `insert into "Line Items" values (1, 60.25, 2), (2, 40.00, 2), (3, 19.99, 1)`,
  ],
  mysql: [
    "create table customers (id int primary key, name varchar(100) not null, region varchar(10), signed_up date)",
    "create table orders (id int primary key, customer_id int, amount decimal(10,2), status varchar(20), ordered_at datetime, foreign key (customer_id) references customers(id))",
    "create table `Line Items` (`Order Id` int, `Unit Price` decimal(10,2), qty int, foreign key (`Order Id`) references orders(id))",
    "insert into customers values (1, 'Acme', 'EU', '2023-01-05'), (2, 'Globex', 'US', '2023-02-10'), (3, 'Umbrella', 'US', '2023-03-15')",
    "insert into orders values (1, 1, 120.50, 'paid', '2024-03-01 10:00:00'), (2, 2, 80.00, 'paid', '2024-03-05 11:30:00'), (3, 1, 19.99, 'refunded', '2024-04-11 09:15:00'), (4, 3, 55.00, 'open', '2024-04-20 16:45:00')",
    "insert into `Line Items` values (1, 60.25, 2), (2, 40.00, 2), (3, 19.99, 1)",
  ],
};

export async function createRemotePostgres(): Promise<RemoteDatabase> {
  const database = await createTestDatabase();
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  for (const statement of seed.postgres) await admin(statement);
  const url = new URL(database.url);
  return {
    settings: {
      engine: "postgres",
      host: url.hostname,
      port: Number(url.port || 5432),
      database: url.pathname.slice(1),
      user: decodeURIComponent(url.username),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    },
    admin,
    async checksum() {
      const parts = [];
      for (const table of ["orders", "customers", '"Line Items"']) {
        parts.push(
          await admin(
            `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${table} t`,
          ),
        );
      }
      parts.push(
        await admin(
          "select n.nspname, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') order by 1, 2",
        ),
      );
      parts.push(
        await admin(
          "select proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname not in ('pg_catalog', 'information_schema') order by 1",
        ),
      );
      parts.push(await admin("select rolname from pg_roles order by 1"));
      return JSON.stringify(parts);
    },
    drop: database.drop,
  };
}

export async function createRemoteMysql(): Promise<RemoteDatabase> {
  const name = `sl_test_${randomBytes(6).toString("hex")}`;
  const url = new URL(mysqlTestUrl);
  const root = await mysql.createConnection({ uri: mysqlTestUrl });
  await root.query(`create database ${name}`);
  await root.end();
  const admin = async (sql: string) => {
    const connection = await mysql.createConnection({ uri: mysqlTestUrl, database: name });
    try {
      return (await connection.query(sql))[0] as unknown[];
    } finally {
      await connection.end();
    }
  };
  for (const statement of seed.mysql) await admin(statement);
  return {
    settings: {
      engine: "mysql",
      host: url.hostname,
      port: Number(url.port || 3306),
      database: name,
      user: decodeURIComponent(url.username),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    },
    admin,
    async checksum() {
      const parts = [];
      for (const table of ["orders", "customers", "`Line Items`"]) {
        parts.push(await admin(`select count(*) as n from ${table}`));
        parts.push(await admin(`checksum table ${table}`));
      }
      parts.push(
        await admin(
          "select table_schema, table_name from information_schema.tables where table_schema not in ('information_schema', 'performance_schema', 'sys') order by 1, 2",
        ),
      );
      parts.push(
        await admin("select routine_schema, routine_name from information_schema.routines order by 1, 2"),
      );
      parts.push(await admin("select user, host from mysql.user order by 1, 2"));
      parts.push(await admin("select schema_name from information_schema.schemata order by 1"));
      return JSON.stringify(parts);
    },
    async drop() {
      const connection = await mysql.createConnection({ uri: mysqlTestUrl });
      await connection.query(`drop database if exists ${name}`);
      await connection.end();
    },
  };
}
