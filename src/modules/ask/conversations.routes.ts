import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { contextOf } from "../auth/context.js";
import { answerSchema, errors } from "./ask.routes.js";
import type { AnswerRecord, ConversationRecord, ConversationsService } from "./conversations.service.js";

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

const answerEntrySchema = z.object({
  id: z.uuid(),
  question: z.string(),
  sourceId: z.uuid().nullable(),
  answer: answerSchema.nullable(),
  error: z
    .object({ code: z.string(), message: z.string(), reason: z.string().optional() })
    .nullable()
    .describe("Why the question got no answer."),
  durationMs: z.number().int(),
  createdAt: z.iso.datetime(),
});

const conversationOut = (row: ConversationRecord) => ({
  id: row.id,
  title: row.title,
  shared: row.shared,
  userId: row.userId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const answerOut = (row: AnswerRecord) => ({
  id: row.id,
  question: row.question,
  sourceId: row.sourceId,
  answer: row.answer,
  error: row.error,
  durationMs: row.durationMs,
  createdAt: row.createdAt.toISOString(),
});

const idParams = z.object({ id: z.string() });

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
        response: { 200: pageOf(conversationSchema), ...errors },
      },
    },
    async (request) => {
      const page = await conversations.list(contextOf(request), request.query);
      return { items: page.items.map(conversationOut), nextCursor: page.nextCursor };
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
