import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export type MailStatus = "stored" | "sending" | "sent" | "failed";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Every e-mail Sightline sends: the outbox transport keeps them here, SMTP records them here too. */
export const mailMessages = pgTable(
  "mail_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    idempotencyKey: text("idempotency_key").unique(),
    transport: text("transport").$type<"outbox" | "smtp">().notNull(),
    status: text("status").$type<MailStatus>().notNull(),
    from: text("from_address").notNull(),
    to: jsonb("to_addresses").$type<string[]>().notNull(),
    cc: jsonb("cc_addresses").$type<string[]>().notNull().default([]),
    subject: text("subject").notNull(),
    text: text("text_body").notNull(),
    html: text("html_body"),
    template: text("template"),
    attachments: jsonb("attachments")
      .$type<{ filename: string; contentType: string; size: number }[]>()
      .notNull()
      .default([]),
    messageId: text("message_id"),
    error: text("error"),
    createdAt: ts("created_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
  },
  (table) => [index("mail_messages_created_idx").on(table.createdAt, table.id)],
);
