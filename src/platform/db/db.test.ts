import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, hasPostgres } from "../../../test/helpers/services.js";
import { mailMessages } from "../mail/mail.tables.js";
import { type Database, openDatabase, queryRows, sql } from "./index.js";

const postgresAvailable = await hasPostgres();

interface Target {
  name: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

function pgliteTarget(): Target {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-db-"));
  return { name: "PGlite", open: () => openDatabase({ dataDir }), cleanup: async () => undefined };
}

function postgresTarget(): Target {
  let created: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  return {
    name: "PostgreSQL",
    async open() {
      created ??= await createTestDatabase();
      return openDatabase({ databaseUrl: created.url, dataDir: "/nonexistent" });
    },
    async cleanup() {
      await created?.drop();
    },
  };
}

/** The metadata database contract: one suite, every implementation the machine can start. */
function databaseSuite(makeTarget: () => Target) {
  const target = makeTarget();
  let database: Database;

  beforeAll(async () => {
    database = await target.open();
    await database.migrate();
  });
  afterAll(async () => {
    await database?.close();
    await target.cleanup();
  });

  it("applies the migrations, and applying them again changes nothing", async () => {
    await database.migrate();
    const tables = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(["jobs", "job_runs", "job_schedules", "mail_messages"]),
    );
  });

  it("round-trips rows with JSON and timestamps through Drizzle", async () => {
    const [row] = await database.db
      .insert(mailMessages)
      .values({
        transport: "outbox",
        status: "stored",
        from: "a@example.com",
        to: ["b@example.com", "c@example.com"],
        subject: "Hello",
        text: "Hi",
      })
      .returning();
    expect(row?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row?.createdAt).toBeInstanceOf(Date);
    const [read] = await database.db.select().from(mailMessages).where(eq(mailMessages.id, row!.id));
    expect(read?.to).toEqual(["b@example.com", "c@example.com"]);
    expect(read?.attachments).toEqual([]);
  });

  it("rolls a failed transaction back completely", async () => {
    const subject = `rollback-${Math.random()}`;
    await expect(
      database.db.transaction(async (tx) => {
        await tx
          .insert(mailMessages)
          .values({ transport: "outbox", status: "stored", from: "a@x.io", to: [], subject, text: "" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const rows = await database.db.select().from(mailMessages).where(eq(mailMessages.subject, subject));
    expect(rows).toHaveLength(0);
  });

  it("enforces unique idempotency keys", async () => {
    const values = {
      transport: "outbox" as const,
      status: "stored" as const,
      from: "a@x.io",
      to: [],
      subject: "k",
      text: "",
      idempotencyKey: "once",
    };
    await database.db.insert(mailMessages).values(values);
    const again = await database.db.insert(mailMessages).values(values).onConflictDoNothing().returning();
    expect(again).toHaveLength(0);
  });

  it("supports FOR UPDATE SKIP LOCKED, which job claiming relies on", async () => {
    const rows = await queryRows<{ id: string }>(
      database.db,
      sql`select id from mail_messages order by created_at limit 1 for update skip locked`,
    );
    expect(rows.length).toBe(1);
  });
}

describe("metadata database on PGlite", () => databaseSuite(pgliteTarget));

describe.skipIf(!postgresAvailable)("metadata database on PostgreSQL", () => {
  databaseSuite(postgresTarget);

  it("lets several processes migrate one database at once", async () => {
    const created = await createTestDatabase();
    try {
      const databases = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ databaseUrl: created.url, dataDir: "/nonexistent" })),
      );
      await Promise.all(databases.map((database) => database.migrate()));
      const applied = await queryRows<{ count: string }>(
        databases[0]!.db,
        sql`select count(*)::text as count from drizzle.__drizzle_migrations`,
      );
      expect(Number(applied[0]?.count)).toBeGreaterThan(0);
      await Promise.all(databases.map((database) => database.close()));
    } finally {
      await created.drop();
    }
  });
});

describe("embedded database files", () => {
  it("keeps data across restarts and refuses a second process", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-db-"));
    const first = await openDatabase({ dataDir });
    await first.migrate();
    await first.db
      .insert(mailMessages)
      .values({ transport: "outbox", status: "stored", from: "a@x.io", to: [], subject: "kept", text: "" });
    await first.close();

    const reopened = await openDatabase({ dataDir });
    const rows = await reopened.db.select().from(mailMessages).where(eq(mailMessages.subject, "kept"));
    expect(rows).toHaveLength(1);
    // A lock held by a live process (the parent of this test worker stands in for it) is refused.
    await reopened.close();
    writeFileSync(path.join(dataDir, "metadata.lock"), String(process.ppid));
    await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process/);
    // A lock left by a dead process is taken over.
    writeFileSync(path.join(dataDir, "metadata.lock"), "999999");
    const recovered = await openDatabase({ dataDir });
    await recovered.close();
  });
});
