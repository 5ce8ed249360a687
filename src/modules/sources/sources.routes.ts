import { randomUUID } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { Invalid, PayloadTooLarge } from "../../platform/errors.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import { formatOf } from "../warehouse/duckdb-engine.js";
import { checkContent, UnsupportedFile } from "./sniff.js";
import type { SourceRecord, SourcesService } from "./sources.service.js";
import type { Warehouses } from "./warehouses.js";

const columnSchema = z.object({
  name: z.string(),
  type: z.string().describe("integer, decimal, boolean, date, timestamp, text or other."),
  sourceType: z.string().describe("The engine's own type, e.g. DECIMAL(10,2)."),
});
const sourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string().describe("The uploaded file's name, or the connection's name."),
    kind: z.enum(["file", "database"]),
    format: z.string().describe("A file's format (csv, xlsx, sqlite…) or a database's engine (postgres, mysql, sqlite)."),
    sizeBytes: z.number().int(),
    mode: z
      .enum(["live", "import"])
      .nullable()
      .describe("Databases only: `live` queries run in the database, `import` copies tables into the warehouse."),
    connection: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .nullable()
      .describe("Databases only: host, port, database and user; never the password."),
    refreshCron: z.string().nullable().describe("Import sources: the cron schedule of refreshes."),
    lastRefreshedAt: z.iso.datetime().nullable(),
    rowPolicy: z.enum(["reject", "skip"]).describe("Malformed rows: `reject` fails the load, `skip` quarantines them."),
    rejectedRows: z.number().int().describe("Malformed rows the last load skipped."),
    hasQuarantine: z.boolean().describe("Skipped rows can be downloaded from /sources/{id}/quarantine."),
    status: z.enum(["processing", "ready", "failed"]),
    error: z.string().nullable().describe("Why loading failed."),
    tables: z.array(
      z.object({
        name: z.string(),
        rows: z.number().int(),
        columns: z.array(columnSchema),
        remoteName: z.string().optional().describe("Live tables: the table's name in its database."),
      }),
    ),
    version: z.number().int().describe("Grows whenever the source's data changes."),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Source" });
export const resultSchema = z
  .object({
    columns: z.array(columnSchema),
    rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
    truncated: z.boolean().describe("More rows exist than the row cap let through."),
    durationMs: z.number(),
  })
  .meta({ id: "QueryResult" });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

export const sourceOut = (row: SourceRecord) => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  format: row.format,
  sizeBytes: row.sizeBytes,
  mode: row.mode,
  connection: row.connectionSummary,
  refreshCron: row.refreshCron,
  lastRefreshedAt: row.lastRefreshedAt?.toISOString() ?? null,
  rowPolicy: row.rowPolicy,
  rejectedRows: row.rejectedRows,
  hasQuarantine: row.quarantineFile !== null,
  status: row.status,
  error: row.error,
  tables: row.tables,
  version: row.version,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export async function registerSourcesRoutes(
  app: FastifyInstance,
  deps: { sources: SourcesService; warehouses: Warehouses; maxUploadBytes: number },
) {
  await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 5 } });
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    "/sources",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "uploadSource",
        summary: "Upload a data file (multipart field `file`); it loads in the background",
        description:
          "CSV, TSV, JSON, NDJSON or Parquet, streamed to disk. Answers 202 with the source in `processing`; " +
          "`data_processed` events report the load, and the source turns `ready` or `failed`.",
        tags: ["sources"],
        consumes: ["multipart/form-data"],
        response: { 202: sourceSchema, 413: problemSchema, 415: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      if (!request.isMultipart())
        throw new Invalid("Send the file as multipart/form-data in a field named file");
      const part = await request.file();
      if (!part) throw new Invalid("No file in the upload: send it in a field named file");
      const format = formatOf(part.filename);
      if (!format) {
        part.file.resume();
        throw new UnsupportedFile(
          `${part.filename} is not a supported file type (.csv, .tsv, .json, .ndjson, .jsonl, .parquet)`,
        );
      }
      const storedAs = `${randomUUID()}${path.extname(part.filename).toLowerCase()}`;
      const target = path.join(deps.warehouses.uploadDir(ctx.workspaceId), storedAs);
      let head = Buffer.alloc(0);
      let size = 0;
      part.file.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (head.length < 4096) head = Buffer.concat([head, chunk]).subarray(0, 4096);
      });
      try {
        await pipeline(part.file, createWriteStream(target));
        if (part.file.truncated) {
          throw new PayloadTooLarge(
            `The file is larger than the upload limit of ${deps.maxUploadBytes} bytes`,
          );
        }
        checkContent(head, format, part.filename);
      } catch (error) {
        rmSync(target, { force: true });
        throw error;
      }
      const source = await deps.sources.createFromUpload(ctx, {
        fileName: part.filename,
        storedAs,
        format,
        sizeBytes: size,
      });
      return reply.status(202).send(sourceOut(source));
    },
  );

  typed.get(
    "/sources",
    {
      schema: {
        operationId: "listSources",
        summary: "Data sources of the current workspace, newest first",
        tags: ["sources"],
        querystring: pageQuery,
        response: { 200: pageOf(sourceSchema), ...errors },
      },
    },
    async (request) => {
      const page = await deps.sources.list(contextOf(request), request.query);
      return { items: page.items.map(sourceOut), nextCursor: page.nextCursor };
    },
  );

  typed.get(
    "/sources/:id",
    {
      schema: {
        operationId: "getSource",
        summary: "One source with its tables and columns",
        tags: ["sources"],
        params: z.object({ id: z.string() }),
        response: { 200: sourceSchema, ...errors },
      },
    },
    async (request) => sourceOut(await deps.sources.owned(contextOf(request), request.params.id)),
  );

  typed.delete(
    "/sources/:id",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "deleteSource",
        summary: "Delete a source, its tables and its file",
        tags: ["sources"],
        params: z.object({ id: z.string() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.sources.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    "/sources/:id/preview",
    {
      schema: {
        operationId: "previewSource",
        summary: "The first rows of one of the source's tables",
        tags: ["sources"],
        params: z.object({ id: z.string() }),
        querystring: z.object({
          table: z.string().min(1).optional().describe("Default: the source's first table."),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: resultSchema, ...errors },
      },
    },
    async (request) =>
      deps.sources.preview(contextOf(request), request.params.id, {
        limit: request.query.limit,
        ...(request.query.table ? { table: request.query.table } : {}),
      }),
  );

  typed.post(
    "/sql",
    {
      config: { permission: "workspace.read" },
      schema: {
        operationId: "runSql",
        summary: "Run one read-only SELECT over the workspace's tables",
        description:
          "The statement passes the SQL guard (one SELECT, the workspace's tables only, no file or side-effect functions) " +
          "and runs with a row cap and a timeout. Refusals answer 400 `sql_refused` with a `reason`.",
        tags: ["sources"],
        body: z.object({
          sql: z.string().min(1).max(100_000),
          maxRows: z.number().int().min(1).optional().describe("At most SQL_MAX_ROWS."),
        }),
        response: { 200: resultSchema.extend({ sql: z.string() }), 408: problemSchema, ...errors },
      },
    },
    async (request) => ({
      sql: request.body.sql,
      ...(await deps.sources.sql(contextOf(request), request.body)),
    }),
  );
}
