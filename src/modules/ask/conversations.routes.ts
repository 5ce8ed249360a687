import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import { answerSchema, errors } from "./ask.routes.js";
import type { AnswerRecord, ConversationRecord, ConversationsService } from "./conversations.service.js";
import type { SavedQueryRecord } from "./queries.service.js";

const conversationSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    shared: z.boolean().describe("Every member of the workspace may read it."),
    userId: z.uuid().describe("Its author: the only one who asks in, renames, shares or deletes it."),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Conversation" });

const conversationItemSchema = conversationSchema
  .extend({
    answers: z.number().int().describe("How many questions it holds."),
    lastQuestion: z.string().nullable().describe("The question asked last; null while it is empty."),
  })
  .meta({ id: "ConversationItem" });

const editedSchema = z
  .object({
    sql: z.string(),
    columns: answerSchema.shape.columns,
    rows: answerSchema.shape.rows,
    truncated: z.boolean(),
    editedAt: z.iso.datetime(),
  })
  .nullable()
  .describe("The statement its author edited and re-ran, with its result; null when none.");

const answerEntrySchema = z
  .object({
    id: z.uuid(),
    question: z.string(),
    sourceId: z.uuid().nullable(),
    answer: answerSchema.nullable(),
    error: z
      .object({ code: z.string(), message: z.string(), reason: z.string().optional() })
      .nullable()
      .describe("Why the question got no answer."),
    edited: editedSchema,
    query: z
      .object({
        id: z.uuid(),
        sql: z.string(),
        saved: z.boolean(),
        favorite: z.boolean(),
        verified: z.boolean(),
        shared: z.boolean(),
      })
      .nullable()
      .describe(
        "Your history entry of this question (`PATCH /queries/{id}` saves, favorites or verifies it); null " +
          "in other people's conversations and for questions without SQL.",
      ),
    durationMs: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AnswerEntry" });

const conversationOut = (row: ConversationRecord) => ({
  id: row.id,
  title: row.title,
  shared: row.shared,
  userId: row.userId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const historyOut = (row: SavedQueryRecord | null) =>
  row && {
    id: row.id,
    sql: row.sql,
    saved: row.saved,
    favorite: row.favorite,
    verified: row.verified,
    shared: row.shared,
  };

const answerOut = (row: AnswerRecord & { query: SavedQueryRecord | null }) => ({
  id: row.id,
  question: row.question,
  sourceId: row.sourceId,
  answer: row.answer,
  error: row.error,
  edited: row.edited,
  query: historyOut(row.query),
  durationMs: row.durationMs,
  createdAt: row.createdAt.toISOString(),
});

const idParams = z.object({ id: z.string() });
const answerParams = z.object({ id: z.string(), answerId: z.string() });

export function registerConversationsRoutes(
  app: FastifyInstance,
  deps: { conversations: ConversationsService },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { conversations } = deps;

  typed.get(
    "/conversations",
    {
      schema: {
        operationId: "listConversations",
        summary: "Your conversations, newest first; with `shared=true`, those shared with the workspace",
        tags: ["ask"],
        querystring: pageQuery.extend({
          shared: z.stringbool().optional().describe("`true`: conversations shared with the workspace."),
        }),
        response: { 200: pageOf(conversationItemSchema), ...errors },
      },
    },
    async (request) => {
      const page = await conversations.list(contextOf(request), request.query);
      return {
        items: page.items.map((row) => ({
          ...conversationOut(row),
          answers: row.answers,
          lastQuestion: row.lastQuestion,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  typed.post(
    "/conversations",
    {
      schema: {
        operationId: "createConversation",
        summary: "Start an empty conversation; `POST /ask` with its id asks in it",
        tags: ["ask"],
        body: z.object({ title: z.string().min(1).max(500).default("New conversation") }),
        response: { 201: conversationSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(conversationOut(await conversations.create(contextOf(request), request.body))),
  );

  typed.get(
    "/conversations/:id",
    {
      schema: {
        operationId: "getConversation",
        summary: "One conversation with its questions and answers, oldest first (the latest 200)",
        tags: ["ask"],
        params: idParams,
        response: {
          200: conversationSchema.extend({ answers: z.array(answerEntrySchema) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const found = await conversations.get(contextOf(request), request.params.id);
      return { ...conversationOut(found.conversation), answers: found.answers.map(answerOut) };
    },
  );

  typed.patch(
    "/conversations/:id",
    {
      schema: {
        operationId: "updateConversation",
        summary: "Rename a conversation of yours, or share it with the workspace",
        description:
          "Sharing takes `data.write` (analysts and up). 403 for a shared conversation of someone else.",
        tags: ["ask"],
        params: idParams,
        body: z.object({ title: z.string().min(1).max(500).optional(), shared: z.boolean().optional() }),
        response: { 200: conversationSchema, ...errors },
      },
    },
    async (request) =>
      conversationOut(await conversations.update(contextOf(request), request.params.id, request.body)),
  );

  typed.patch(
    "/conversations/:id/answers/:answerId",
    {
      schema: {
        operationId: "editAnswerSql",
        summary: "Re-run an answer with edited SQL and keep the statement and its result with the answer",
        description:
          "The statement runs through the same guard and executor as `POST /sql` (in the answer's source), " +
          "capped at the answer's 1,000 rows; a refused or failing statement answers its problem and is not " +
          "stored. `sql: null` goes back to the answer. Only the conversation's author edits (403 in a shared " +
          "conversation of someone else).",
        tags: ["ask"],
        params: answerParams,
        body: z.object({ sql: z.string().min(1).max(100_000).nullable() }),
        response: { 200: answerEntrySchema, 408: problemSchema, ...errors },
      },
    },
    async (request) =>
      answerOut(
        await conversations.editAnswer(
          contextOf(request),
          request.params.id,
          request.params.answerId,
          request.body.sql,
        ),
      ),
  );

  typed.delete(
    "/conversations/:id",
    {
      schema: {
        operationId: "deleteConversation",
        summary: "Delete a conversation of yours and its answers",
        tags: ["ask"],
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await conversations.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
