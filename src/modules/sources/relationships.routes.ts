import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import type { RelationshipRecord, RelationshipsService } from "./relationships.service.js";

const name = z.string().min(1).max(255);
const pairShape = {
  fromTable: name.describe("The referring table, e.g. orders."),
  fromColumn: name.describe("Its column holding the key, e.g. customer_id."),
  toTable: name.describe("The referred table, e.g. customers."),
  toColumn: name.describe("Its unique column, e.g. id."),
};

const relationshipSchema = z
  .object({
    id: z.uuid(),
    ...pairShape,
    origin: z.enum(["detected", "manual"]).describe("Found from names and values, or added by a person."),
    status: z.enum(["active", "dismissed"]).describe("Dismissed ones are not used and never detected again."),
    confidence: z
      .number()
      .nullable()
      .describe(
        "Detected ones: share (0–1) of the referring column's distinct values found in the referred column.",
      ),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Relationship" });

const detectionSchema = z
  .object({
    found: z
      .array(relationshipSchema)
      .describe("Every pair the data bears out now, dismissed ones included."),
    added: z.number().int(),
    removed: z
      .number()
      .int()
      .describe("Detected pairs dropped: their tables are gone or their values no longer match."),
  })
  .meta({ id: "RelationshipDetection" });

const relationshipOut = (row: RelationshipRecord) => ({
  id: row.id,
  fromTable: row.fromTable,
  fromColumn: row.fromColumn,
  toTable: row.toTable,
  toColumn: row.toColumn,
  origin: row.origin,
  status: row.status,
  confidence: row.confidence,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const params = z.object({ id: z.string() });

export function registerRelationshipsRoutes(
  app: FastifyInstance,
  deps: { relationships: RelationshipsService },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { relationships } = deps;

  typed.get(
    "/relationships",
    {
      schema: {
        operationId: "listRelationships",
        summary: "Joins between the workspace's tables, newest first",
        tags: ["relationships"],
        querystring: pageQuery.extend({
          table: name.optional().describe("Only relationships from or to this table."),
          status: z.enum(["active", "dismissed"]).optional(),
        }),
        response: { 200: pageOf(relationshipSchema), ...errors },
      },
    },
    async (request) => {
      const page = await relationships.list(contextOf(request), request.query);
      return { items: page.items.map(relationshipOut), nextCursor: page.nextCursor };
    },
  );

  typed.post(
    "/relationships",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "createRelationship",
        summary: "Add a join a person knows of",
        description:
          "Both tables and columns must exist in the workspace's ready sources (400 otherwise); the same pair twice is 409.",
        tags: ["relationships"],
        body: z.object(pairShape),
        response: { 201: relationshipSchema, 409: problemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(relationshipOut(await relationships.create(contextOf(request), request.body))),
  );

  typed.post(
    "/relationships/detect",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "detectRelationships",
        summary: "Look for joins in the workspace's tables now",
        description:
          "Runs after every load anyway. Pairs by name (`customer_id` → `customers.id`, same-named columns), " +
          "kept when the referred column is unique and holds at least 90% of the referring column's values.",
        tags: ["relationships"],
        response: { 200: detectionSchema, ...errors },
      },
    },
    async (request) => {
      const result = await relationships.detectFor(contextOf(request));
      return { ...result, found: result.found.map(relationshipOut) };
    },
  );

  typed.patch(
    "/relationships/:id",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "updateRelationship",
        summary: "Confirm (active) or dismiss a relationship",
        tags: ["relationships"],
        params,
        body: z.object({ status: z.enum(["active", "dismissed"]) }),
        response: { 200: relationshipSchema, ...errors },
      },
    },
    async (request) =>
      relationshipOut(
        await relationships.setStatus(contextOf(request), request.params.id, request.body.status),
      ),
  );

  typed.delete(
    "/relationships/:id",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "deleteRelationship",
        summary: "Delete a manual relationship, or dismiss a detected one",
        description:
          "A detected relationship is kept as dismissed, so that detection does not bring it back.",
        tags: ["relationships"],
        params,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await relationships.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
