import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import type { ConnectionsService } from "./connections.service.js";
import { connectionSettingsSchema } from "./connectors/index.js";
import { sourceOut, sourceSchema } from "./sources.routes.js";

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const params = z.object({ id: z.string() });
const testedSchema = z
  .object({ ok: z.literal(true), serverVersion: z.string().describe("e.g. `PostgreSQL 16.4`.") })
  .meta({ id: "ConnectionTest" });
const cronField = z
  .string()
  .min(1)
  .max(100)
  .describe("Import sources: when to import again, as cron (5 fields, UTC) or hourly/daily/weekly/monthly.");

const remoteTableSchema = z
  .object({
    remoteName: z.string().describe("The table's name in its database: `schema.table` or `database.table`."),
    schema: z.string().nullable(),
    table: z.string(),
    kind: z.enum(["table", "view"]),
    rows: z
      .number()
      .int()
      .nullable()
      .describe("An estimate from the database's statistics (SQLite: a count)."),
    columns: z.array(
      z.object({ name: z.string(), type: z.string(), sourceType: z.string(), nullable: z.boolean() }),
    ),
    primaryKey: z.array(z.string()),
    foreignKeys: z.array(
      z.object({
        columns: z.array(z.string()),
        references: z.object({ table: z.string(), columns: z.array(z.string()) }),
      }),
    ),
  })
  .meta({ id: "RemoteTable" });

/** Connecting databases as sources: test, create, describe, refresh, change. */
export function registerConnectionsRoutes(app: FastifyInstance, deps: { connections: ConnectionsService }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { connections } = deps;

  typed.post(
    "/sources/connections/test",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "testConnection",
        summary: "Try connection settings before saving them",
        description:
          "Connects and runs `select 1`. A failure answers 400 `connection_failed` with a `problem`: " +
          "`unreachable`, `timeout`, `auth_failed`, `database_missing`, `tls`, `file_missing`, `not_allowed` or `failed`.",
        tags: ["sources"],
        body: connectionSettingsSchema,
        response: { 200: testedSchema, ...errors },
      },
    },
    async (request) => ({ ok: true as const, ...(await connections.test(contextOf(request), request.body)) }),
  );

  typed.post(
    "/sources/connections",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "createConnection",
        summary: "Connect a database as a source",
        description:
          "`live`: queries run in the database, read-only; the source is ready at once (201). `import`: its tables " +
          "are copied into the workspace's warehouse by a background job (202, `processing`), again on `refreshCron`.",
        tags: ["sources"],
        body: z.object({
          name: z.string().trim().min(1).max(200),
          settings: connectionSettingsSchema,
          mode: z.enum(["live", "import"]),
          refreshCron: cronField.optional(),
        }),
        response: { 201: sourceSchema, 202: sourceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const source = await connections.create(contextOf(request), request.body);
      return reply.status(source.mode === "live" ? 201 : 202).send(sourceOut(source));
    },
  );

  typed.post(
    "/sources/:id/test",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "testSourceConnection",
        summary: "Check that a database source still connects",
        tags: ["sources"],
        params,
        response: { 200: testedSchema, ...errors },
      },
    },
    async (request) => ({
      ok: true as const,
      ...(await connections.testSource(contextOf(request), request.params.id)),
    }),
  );

  typed.get(
    "/sources/:id/schema",
    {
      schema: {
        operationId: "getSourceSchema",
        summary: "A database source's tables as the database describes them now",
        description: "Columns with their types, primary and foreign keys, and row estimates.",
        tags: ["sources"],
        params,
        response: { 200: z.object({ tables: z.array(remoteTableSchema) }), ...errors },
      },
    },
    async (request) => ({ tables: await connections.schema(contextOf(request), request.params.id) }),
  );

  typed.post(
    "/sources/:id/refresh",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "refreshSource",
        summary: "Import a database source again, or describe a live one's tables again",
        tags: ["sources"],
        params,
        response: { 202: sourceSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(202).send(sourceOut(await connections.refresh(contextOf(request), request.params.id))),
  );

  typed.patch(
    "/sources/:id",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "updateSource",
        summary: "Rename a source, change its refresh schedule or its connection settings",
        description:
          "`settings` changes only the fields given (e.g. just `password`); the engine stays. New settings are " +
          "tested before they are saved. `refreshCron: null` stops scheduled refreshes.",
        tags: ["sources"],
        params,
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          refreshCron: cronField.nullable().optional(),
          settings: z
            .object({
              host: z.string().optional(),
              port: z.number().int().optional(),
              database: z.string().optional(),
              user: z.string().optional(),
              password: z.string().max(1024).optional(),
              ssl: z.enum(["disable", "require", "verify-full"]).optional(),
              schema: z.string().optional(),
              path: z.string().optional(),
            })
            .optional(),
        }),
        response: { 200: sourceSchema, ...errors },
      },
    },
    async (request) =>
      sourceOut(await connections.update(contextOf(request), request.params.id, request.body)),
  );
}
