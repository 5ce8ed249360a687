import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/index.js";
import { decodeCursor, encodeCursor } from "../http/pagination.js";
import { mailMessages } from "./mail.tables.js";
import type { MailRecord } from "./types.js";

type Row = typeof mailMessages.$inferSelect;
/** What a send writes: every column but the ones the database or the insert itself sets. */
export type MailContent = Omit<Row, "id" | "createdAt" | "idempotencyKey">;

const cursorShape = z.object({ c: z.iso.datetime(), i: z.uuid() });
const uuidShape = z.uuid();

function toRecord(row: Row): MailRecord {
  return { ...row };
}

/** The mail_messages table: every e-mail, whichever transport carried it. */
export function createMailStore(db: Db) {
  return {
    /** Inserts the message; `undefined` when its idempotency key is taken. */
    async insert(idempotencyKey: string | null, content: MailContent): Promise<MailRecord | undefined> {
      // Set here rather than by now(): millisecond precision keeps (createdAt, id) cursors exact.
      const [row] = await db
        .insert(mailMessages)
        .values({ ...content, idempotencyKey, createdAt: new Date() })
        .onConflictDoNothing({ target: mailMessages.idempotencyKey })
        .returning();
      return row && toRecord(row);
    },

    async byKey(idempotencyKey: string): Promise<MailRecord | undefined> {
      const [row] = await db
        .select()
        .from(mailMessages)
        .where(eq(mailMessages.idempotencyKey, idempotencyKey));
      return row && toRecord(row);
    },

    /** Takes a failed message over for another attempt; `undefined` when another sender took it first. */
    async claimFailed(id: string, content: MailContent): Promise<MailRecord | undefined> {
      const [row] = await db
        .update(mailMessages)
        .set(content)
        .where(and(eq(mailMessages.id, id), eq(mailMessages.status, "failed")))
        .returning();
      return row && toRecord(row);
    },

    async update(
      id: string,
      changes: Partial<Pick<Row, "status" | "messageId" | "error" | "sentAt">>,
    ): Promise<MailRecord> {
      const [row] = await db.update(mailMessages).set(changes).where(eq(mailMessages.id, id)).returning();
      if (!row) throw new Error(`mail message ${id} vanished while being sent`);
      return toRecord(row);
    },

    async get(id: string): Promise<MailRecord | undefined> {
      if (!uuidShape.safeParse(id).success) return undefined;
      const [row] = await db.select().from(mailMessages).where(eq(mailMessages.id, id));
      return row && toRecord(row);
    },

    /** Newest first; `to` keeps messages with a `to` address containing it, ignoring case. */
    async list(query: { limit: number; cursor?: string; to?: string }) {
      const after = decodeCursor(query.cursor, cursorShape);
      const conditions: SQL[] = [];
      if (query.to) {
        conditions.push(
          sql`exists (select 1 from jsonb_array_elements_text(${mailMessages.to}) as recipient(address)
            where strpos(lower(recipient.address), lower(${query.to})) > 0)`,
        );
      }
      if (after) {
        conditions.push(
          sql`(${mailMessages.createdAt}, ${mailMessages.id}) < (${after.c}::timestamptz, ${after.i}::uuid)`,
        );
      }
      const rows = await db
        .select()
        .from(mailMessages)
        .where(and(...conditions))
        .orderBy(desc(mailMessages.createdAt), desc(mailMessages.id))
        .limit(query.limit + 1);
      const items = rows.slice(0, query.limit).map(toRecord);
      const last = items.at(-1);
      const nextCursor =
        rows.length > query.limit && last
          ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id })
          : null;
      return { items, nextCursor };
    },

    async ping(): Promise<void> {
      await db.execute(sql`select 1`);
    },
  };
}

export type MailStore = ReturnType<typeof createMailStore>;
