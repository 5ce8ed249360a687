import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";
import type { AskAnswer } from "./types.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A chat-style thread of questions by one person; `shared` lets the workspace read it. */
export const conversations = pgTable(
  "ask_conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    userId: uuid("user_id").notNull(),
    title: text("title").notNull(),
    shared: boolean("shared").notNull().default(false),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [
    index("ask_conversations_user_idx").on(table.workspaceId, table.userId, table.createdAt, table.id),
  ],
);

/** Why a question got no answer, as the API reported it. */
export interface AskFailure {
  code: string;
  message: string;
  /** The SQL guard's refusal reason, when the guard refused. */
  reason?: string;
}

/** A statement its author edited and re-ran under an answer, with its result (capped like answers). */
export interface EditedSql {
  sql: string;
  columns: ResultColumn[];
  rows: JsonValue[][];
  truncated: boolean;
  editedAt: string;
}

/** One question of a conversation and its answer (or why there is none). */
export const answers = pgTable(
  "ask_answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    question: text("question").notNull(),
    /** The live source asked about; absent for the warehouse. */
    sourceId: uuid("source_id"),
    answer: jsonb("answer").$type<AskAnswer>(),
    error: jsonb("error").$type<AskFailure>(),
    edited: jsonb("edited").$type<EditedSql>(),
    durationMs: integer("duration_ms").notNull().default(0),
    createdAt: ts("created_at").notNull(),
  },
  (table) => [index("ask_answers_conversation_idx").on(table.conversationId, table.createdAt)],
);

/**
 * Question → SQL pairs: every answered question lands here as the asker's history (`saved`
 * false), and people save their own (`saved` true: a history entry saved, or a pair posted). `verified` pairs are the workspace's examples for the engines; `shared` ones
 * every member sees.
 */
export const savedQueries = pgTable(
  "ask_queries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull(),
    userId: uuid("user_id").notNull(),
    question: text("question").notNull(),
    sql: text("sql").notNull(),
    sourceId: uuid("source_id"),
    answerId: uuid("answer_id"),
    saved: boolean("saved").notNull().default(false),
    favorite: boolean("favorite").notNull().default(false),
    shared: boolean("shared").notNull().default(false),
    verified: boolean("verified").notNull().default(false),
    verifiedBy: uuid("verified_by"),
    verifiedAt: ts("verified_at"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (table) => [
    index("ask_queries_user_idx").on(table.workspaceId, table.userId, table.createdAt, table.id),
    index("ask_queries_verified_idx").on(table.workspaceId, table.verified),
    index("ask_queries_answer_idx").on(table.workspaceId, table.answerId),
  ],
);
