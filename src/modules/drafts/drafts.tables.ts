import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export interface ThreadMessage {
  sender: string;
  role: "client" | "agent";
  content: string;
  sentAt: string;
}

/** A client thread as it was sent: who it is for, where it came from, its messages. */
export interface Thread {
  user: string;
  threadId: string | null;
  channel: string | null;
  subject: string | null;
  messages: ThreadMessage[];
}

export type DraftStatus = "queued" | "generating" | "ready" | "revising" | "approved" | "rejected" | "failed";

/** A reply being drafted for a thread, through its versions, until approved or rejected. */
export const drafts = pgTable(
  "drafts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    user: text("user").notNull(),
    thread: jsonb("thread").$type<Thread>().notNull(),
    status: text("status").$type<DraftStatus>().notNull(),
    /** The version being produced or the latest one. */
    version: integer("version").notNull().default(1),
    error: text("error"),
    rejectReason: text("reject_reason"),
    /** The reply e-mailed on approval, once. */
    mailId: text("mail_id"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [index("drafts_workspace_idx").on(table.workspaceId, table.createdAt, table.id)],
);

/** One version of a draft; the feedback that asked for it, from the second on. */
export const draftVersions = pgTable(
  "draft_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    draftId: uuid("draft_id")
      .notNull()
      .references(() => drafts.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    summaryOfChanges: text("summary_of_changes").notNull(),
    feedback: text("feedback"),
    engine: text("engine").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  // One row per version, however often its job runs.
  (table) => [uniqueIndex("draft_versions_version_idx").on(table.draftId, table.version)],
);

/** Feedback waiting for (or given to) a version: what the next version is made from. */
export const draftFeedback = pgTable(
  "draft_feedback",
  {
    draftId: uuid("draft_id")
      .notNull()
      .references(() => drafts.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    feedback: text("feedback").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.draftId, table.version] })],
);

/** A workspace's reply guidelines: tone, signature, what to do and not. */
export const draftGuidelines = pgTable("draft_guidelines", {
  workspaceId: uuid("workspace_id").primaryKey(),
  tone: text("tone").notNull().default("friendly and professional"),
  signature: text("signature").notNull().default(""),
  dos: jsonb("dos").$type<string[]>().notNull().default([]),
  donts: jsonb("donts").$type<string[]>().notNull().default([]),
  updatedAt: ts("updated_at").notNull(),
});

/** Answers of requests sent with an Idempotency-Key: a repeat gets the same answer. */
export const draftRequests = pgTable(
  "draft_requests",
  {
    workspaceId: uuid("workspace_id").notNull(),
    endpoint: text("endpoint").notNull(),
    key: text("key").notNull(),
    response: jsonb("response").$type<Record<string, unknown>>().notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.workspaceId, table.endpoint, table.key] })],
);
