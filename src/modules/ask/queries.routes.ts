import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { contextOf } from "../auth/context.js";
import { errors } from "./ask.routes.js";
import type { QueriesService, SavedQueryRecord } from "./queries.service.js";

const savedQuerySchema = z
  .object({
    id: z.uuid(),
    question: z.string(),
    sql: z.string(),
    sourceId: z.uuid().nullable().describe("The live source the SQL runs in; null for the warehouse."),
    answerId: z.uuid().nullable().describe("The answer it was recorded from, for history entries."),
    userId: z.uuid().describe("Its author."),
    saved: z
      .boolean()
      .describe("Saved by its author; false for a history entry that was only recorded when asked."),
    favorite: z.boolean(),
    shared: z.boolean().describe("Every member of the workspace sees it."),
    verified: z
      .boolean()
      .describe("Marked correct: the engines use verified pairs as examples and synonyms."),
    verifiedBy: z.uuid().nullable(),
    verifiedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "SavedQuery" });

const queryOut = (row: SavedQueryRecord) => ({
  id: row.id,
  question: row.question,
  sql: row.sql,
  sourceId: row.sourceId,
  answerId: row.answerId,
  userId: row.userId,
  saved: row.saved,
  favorite: row.favorite,
  shared: row.shared,
  verified: row.verified,
  verifiedBy: row.verifiedBy,
  verifiedAt: row.verifiedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const flag = (what: string) => z.stringbool().optional().describe(what);
const idParams = z.object({ id: z.string() });

export function registerQueriesRoutes(app: FastifyInstance, deps: { queries: QueriesService }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { queries } = deps;

  typed.get(
    "/queries",
    {
      schema: {
        operationId: "listQueries",
        summary:
          "Your question history and saved queries, newest first; or the workspace's verified or shared ones",
        description:
          "Without filters: your own (every answered question is recorded, `saved: false`). `saved=true`: the ones " +
          "you saved. `verified=true` or `shared=true`: the workspace's verified or shared pairs, whoever saved " +
          "them. `favorite=true`: your favorites. `answerId`: the pairs recorded from that answer that you can see " +
          "(its asker's history entry).",
        tags: ["ask"],
        querystring: pageQuery.extend({
          answerId: z.uuid().optional().describe("Only pairs recorded from this answer."),
          saved: flag("Only pairs you saved (`true`), or only history entries (`false`)."),
          favorite: flag("Only your favorites (`true`) or the others (`false`)."),
          verified: flag("Only verified pairs (`true`), or only unverified ones (`false`)."),
          shared: flag("Only pairs shared with the workspace (`true`), or only unshared ones (`false`)."),
        }),
        response: { 200: pageOf(savedQuerySchema), ...errors },
      },
    },
    async (request) => {
      const page = await queries.list(contextOf(request), request.query);
      return { items: page.items.map(queryOut), nextCursor: page.nextCursor };
    },
  );

  typed.post(
    "/queries",
    {
      schema: {
        operationId: "saveQuery",
        summary: "Save a question → SQL pair",
        description:
          "A new pair, `saved: true`. To save an answered question, `PATCH` its history entry with `saved: true` " +
          "instead (`GET /queries?answerId=`). Sharing it with the workspace (`shared: true`) takes `data.write` " +
          "(analysts and up).",
        tags: ["ask"],
        body: z.object({
          question: z.string().min(1).max(2_000),
          sql: z.string().min(1).max(100_000),
          sourceId: z.uuid().optional().describe("A live source the SQL runs in."),
          favorite: z.boolean().optional(),
          shared: z.boolean().optional(),
        }),
        response: { 201: savedQuerySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(queryOut(await queries.create(contextOf(request), request.body))),
  );

  typed.patch(
    "/queries/:id",
    {
      schema: {
        operationId: "updateQuery",
        summary: "Save, edit, favorite, share or verify a saved query or history entry",
        description:
          "Saving (`saved: true`), editing, favoriting and sharing are for its author; sharing and verifying take `data.write` (analysts " +
          "and up). Verifying runs the SQL through the guard and executor first (400 when it cannot run); changing " +
          "a verified pair's SQL unverifies it.",
        tags: ["ask"],
        params: idParams,
        body: z.object({
          question: z.string().min(1).max(2_000).optional(),
          sql: z.string().min(1).max(100_000).optional(),
          saved: z.boolean().optional().describe("Save a history entry (`true`) or unsave it."),
          favorite: z.boolean().optional(),
          shared: z.boolean().optional(),
          verified: z.boolean().optional(),
        }),
        response: { 200: savedQuerySchema, 408: errors[400], ...errors },
      },
    },
    async (request) => queryOut(await queries.update(contextOf(request), request.params.id, request.body)),
  );

  typed.delete(
    "/queries/:id",
    {
      schema: {
        operationId: "deleteQuery",
        summary: "Delete a saved query of yours",
        tags: ["ask"],
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await queries.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
