import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Who did what to what, from where. `workspaceId` is null for account events (sign-in, password
 * reset), which admins of every workspace the actor belongs to can read.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id"),
    action: text("action").notNull(),
    actorType: text("actor_type").$type<"user" | "api_key" | "system">().notNull(),
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label"),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [
    index("audit_events_workspace_idx").on(table.workspaceId, table.createdAt, table.id),
    index("audit_events_actor_idx").on(table.actorId, table.createdAt),
  ],
);
