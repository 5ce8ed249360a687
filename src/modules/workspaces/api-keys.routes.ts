import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import type { ApiKeyRecord, ApiKeysService } from "./api-keys.service.js";
import { roles } from "./permissions.js";

const shape = {
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe("`sl_` and the key's first 8 characters, to recognise it."),
  role: z.enum(roles).describe("The most the key may do; also capped by its creator's current role."),
  createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
};
const apiKeySchema = z.object(shape).meta({ id: "ApiKey" });
const createdKeySchema = z
  .object({ ...shape, secret: z.string().describe("The key itself. Shown once: store it now.") })
  .meta({ id: "CreatedApiKey" });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

export function registerApiKeysRoutes(
  app: FastifyInstance,
  deps: { apiKeys: ApiKeysService; userNames: (ids: string[]) => Promise<Map<string, string>> },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  async function out(rows: ApiKeyRecord[]) {
    const names = await deps.userNames(rows.map((row) => row.createdBy));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      prefix: `sl_${row.prefix}`,
      role: row.role,
      createdBy: { id: row.createdBy, name: names.get(row.createdBy) ?? "Former member" },
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    }));
  }

  typed.get(
    "/api-keys",
    {
      config: { permission: "apiKeys.manage" },
      schema: {
        operationId: "listApiKeys",
        summary: "API keys of the current workspace, newest first",
        tags: ["api keys"],
        querystring: pageQuery,
        response: { 200: pageOf(apiKeySchema), ...errors },
      },
    },
    async (request) => {
      const page = await deps.apiKeys.list(contextOf(request), request.query);
      return { items: await out(page.items), nextCursor: page.nextCursor };
    },
  );

  typed.post(
    "/api-keys",
    {
      config: { permission: "apiKeys.manage" },
      schema: {
        operationId: "createApiKey",
        summary: "Create an API key; the answer holds its secret, shown this once",
        description: "Programs send it as `x-api-key: <secret>` or `Authorization: Bearer <secret>`.",
        tags: ["api keys"],
        body: z.object({
          name: z.string().trim().min(1).max(100),
          role: z.enum(roles).default("viewer"),
          expiresInDays: z
            .number()
            .int()
            .min(1)
            .max(3650)
            .optional()
            .describe("Omit for a key that does not expire."),
        }),
        response: { 201: createdKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      const { key, secret } = await deps.apiKeys.create(contextOf(request), request.body);
      const [created] = await out([key]);
      return reply.status(201).send({ ...(created as z.infer<typeof apiKeySchema>), secret });
    },
  );

  typed.delete(
    "/api-keys/:id",
    {
      config: { permission: "apiKeys.manage" },
      schema: {
        operationId: "revokeApiKey",
        summary: "Revoke an API key at once",
        tags: ["api keys"],
        params: z.object({ id: z.string() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.apiKeys.revoke(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
