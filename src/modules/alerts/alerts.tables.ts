import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { AlertCondition } from "./conditions.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A question checked on a schedule: when its condition holds, its recipients get an e-mail. */
export const alerts = pgTable(
  "alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    name: text("name").notNull(),
    /** The question as asked, and the SQL that answers it. */
    question: text("question").notNull(),
    sql: text("sql").notNull(),
    sourceId: uuid("source_id"),
    condition: jsonb("condition").$type<AlertCondition>().notNull(),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull().default("UTC"),
    /** Member user ids; their e-mail addresses are looked up when it fires. */
    recipients: jsonb("recipients").$type<string[]>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    snoozedUntil: ts("snoozed_until"),
    /** The figure of the last check: what a "change" condition compares with. */
    lastValue: jsonb("last_value").$type<number | null>(),
    lastCheckedAt: ts("last_checked_at"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [index("alerts_workspace_idx").on(table.workspaceId, table.createdAt, table.id)],
);

/** Each time an alert fired (or could not be checked). */
export const alertFirings = pgTable(
  "alert_firings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    /** The check's job: one firing, and one e-mail, per job however often it is retried. */
    jobId: text("job_id").notNull(),
    status: text("status").$type<"sent" | "failed">().notNull(),
    value: jsonb("value").$type<number | null>(),
    message: text("message").notNull(),
    mailIds: jsonb("mail_ids").$type<string[]>().notNull().default([]),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [
    index("alert_firings_alert_idx").on(table.alertId, table.createdAt, table.id),
    uniqueIndex("alert_firings_job_idx").on(table.alertId, table.jobId),
  ],
);

export type SubscriptionTarget =
  | { kind: "dashboard"; dashboardId: string }
  | { kind: "query"; title: string; sql: string; sourceId?: string };

/** A dashboard or a question e-mailed on a schedule. */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    name: text("name").notNull(),
    target: jsonb("target").$type<SubscriptionTarget>().notNull(),
    format: text("format").$type<"pdf" | "png" | "csv">().notNull(),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull().default("UTC"),
    recipients: jsonb("recipients").$type<string[]>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [index("subscriptions_workspace_idx").on(table.workspaceId, table.createdAt, table.id)],
);

/** Each delivery of a subscription, sent or failed. */
export const deliveries = pgTable(
  "subscription_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => subscriptions.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    jobId: text("job_id").notNull(),
    status: text("status").$type<"sent" | "failed">().notNull(),
    message: text("message").notNull(),
    mailIds: jsonb("mail_ids").$type<string[]>().notNull().default([]),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [
    index("subscription_deliveries_idx").on(table.subscriptionId, table.createdAt, table.id),
    uniqueIndex("subscription_deliveries_job_idx").on(table.subscriptionId, table.jobId),
  ],
);
