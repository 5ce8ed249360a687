import { createReadStream, rmSync } from "node:fs";
import path from "node:path";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import { supportedExtensions } from "./readers/index.js";
import type { RunningQueries } from "./running-queries.js";
import type { SourceRecord, SourcesService } from "./sources.service.js";
import type { SqlExports } from "./sql-export.js";
import { rawUploadQuery, rawUploadTypes, receiveUpload } from "./upload.js";
import type { Warehouses } from "./warehouses.js";

const columnSchema = z.object({
  name: z.string(),
  type: z.string().describe("integer, decimal, boolean, date, timestamp, text or other."),
  sourceType: z.string().describe("The engine's own type, e.g. DECIMAL(10,2)."),
});
export const sourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string().describe("The uploaded file's name, or the connection's name."),
    kind: z.enum(["file", "database"]),
    format: z
      .string()
      .describe("A file's format (csv, xlsx, sqlite…) or a database's engine (postgres, mysql, sqlite)."),
    sizeBytes: z.number().int(),
    mode: z
      .enum(["live", "import"])
      .nullable()
      .describe(
        "Databases only: `live` queries run in the database, `import` copies tables into the warehouse.",
      ),
    connection: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .nullable()
      .describe("Databases only: host, port, database and user; never the password."),
    refreshCron: z.string().nullable().describe("Import sources: the cron schedule of refreshes."),
    lastRefreshedAt: z.iso.datetime().nullable(),
    rowPolicy: z
      .enum(["reject", "skip"])
      .describe("Malformed rows: `reject` fails the load, `skip` quarantines them."),
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

/** Aborts when the client goes away before its answer is complete. */
function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

const queryIdField = z
  .uuid()
  .optional()
  .describe("An id of the client's choosing: `DELETE /sql/{queryId}` cancels the query while it runs.");

export async function registerSourcesRoutes(
  app: FastifyInstance,
  deps: {
    sources: SourcesService;
    warehouses: Warehouses;
    exports: SqlExports;
    queries: RunningQueries;
    maxUploadBytes: number;
    maxUncompressedBytes: number;
  },
) {
  await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 5 } });
  // A raw upload's body is the file: left unread here, receiveUpload streams it to disk.
  app.addContentTypeParser(rawUploadTypes, (_request, _payload, done) => done(null));
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const limitsFor = (workspaceId: string) => ({
    uploadDir: deps.warehouses.uploadDir(workspaceId),
    maxBytes: deps.maxUploadBytes,
    maxUncompressedBytes: deps.maxUncompressedBytes,
  });

  typed.post(
    "/sources",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "uploadSource",
        summary:
          "Upload a data file (multipart field `file`, or the body itself); it loads in the background",
        description:
          `Streamed to disk: ${supportedExtensions}. Every sheet of a workbook and every base table of a ` +
          "SQLite or DuckDB file becomes a table. The file comes as multipart (field `file`) or as the whole " +
          "body (e.g. `application/octet-stream`, named by `?fileName=`; fields in the query string). Optional field `rowPolicy` (`reject`, the default, or " +
          "`skip`) says what malformed CSV rows do; it must come before the file part. Answers 202 with the " +
          "source in `processing`; `data_processed` events report the load, and the source turns `ready` or `failed`.",
        tags: ["sources"],
        consumes: ["multipart/form-data", ...rawUploadTypes],
        querystring: rawUploadQuery,
        response: { 202: sourceSchema, 413: problemSchema, 415: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const upload = await receiveUpload(request, limitsFor(ctx.workspaceId));
      try {
        const source = await deps.sources.createFromUpload(ctx, {
          ...upload,
          ...(upload.fields.rowPolicy ? { rowPolicy: upload.fields.rowPolicy } : {}),
        });
        return reply.status(202).send(sourceOut(source));
      } catch (error) {
        rmSync(path.join(deps.warehouses.uploadDir(ctx.workspaceId), upload.storedAs), { force: true });
        throw error;
      }
    },
  );

  typed.post(
    "/sources/:id/upload",
    {
      config: { permission: "data.write" },
      schema: {
        operationId: "uploadIntoSource",
        summary: "Load a new file into an existing source: replace its data or append to it",
        description:
          "Multipart, with fields `mode` (`replace`, the default, or `append`) and optional `rowPolicy` " +
          "before the file part `file`. Answers 202 and loads in the background; the source's `version` grows " +
          "when the load succeeds. A failed load leaves the previous data as it was (the reason is in `error`). " +
          "Append needs the same columns: 400 `columns_mismatch` otherwise. 409 while the source is loading.",
        tags: ["sources"],
        consumes: ["multipart/form-data", ...rawUploadTypes],
        querystring: rawUploadQuery,
        params: z.object({ id: z.string() }),
        response: {
          202: sourceSchema,
          409: problemSchema,
          413: problemSchema,
          415: problemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      // 404 before reading a byte of a file meant for another workspace's source.
      await deps.sources.owned(ctx, request.params.id);
      const upload = await receiveUpload(request, limitsFor(ctx.workspaceId));
      try {
        const source = await deps.sources.uploadInto(ctx, request.params.id, {
          ...upload,
          mode: upload.fields.mode ?? "replace",
        });
        return reply.status(202).send(sourceOut(source));
      } catch (error) {
        rmSync(path.join(deps.warehouses.uploadDir(ctx.workspaceId), upload.storedAs), { force: true });
        throw error;
      }
    },
  );

  typed.get(
    "/sources/:id/quarantine",
    {
      schema: {
        operationId: "downloadQuarantine",
        summary: "The malformed rows the last load skipped, as CSV (line, error, original_line)",
        description: "404 when the last load skipped no rows.",
        tags: ["sources"],
        params: z.object({ id: z.string() }),
        produces: ["text/csv"],
        response: { 200: z.unknown().describe("The CSV file, named in Content-Disposition."), ...errors },
      },
    },
    async (request, reply) => {
      const quarantine = await deps.sources.quarantine(contextOf(request), request.params.id);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${quarantine.downloadName}"`)
        .header("cache-control", "no-store")
        .send(createReadStream(quarantine.file));
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
          "and runs with a row cap and a timeout. Refusals answer 400 `sql_refused` with a `reason`. " +
          "A repeated query over unchanged data is answered from the result cache (`cached: true`). " +
          "A query cancelled with `DELETE /sql/{queryId}` answers 499 `query_cancelled`.",
        tags: ["sources"],
        body: z.object({
          sql: z.string().min(1).max(100_000),
          maxRows: z.number().int().min(1).optional().describe("At most SQL_MAX_ROWS."),
          queryId: queryIdField,
          sourceId: z
            .uuid()
            .optional()
            .describe("A live database source: the query runs in that database, over its tables only."),
        }),
        response: {
          200: resultSchema.extend({
            sql: z.string(),
            cached: z
              .boolean()
              .describe("Answered from the result cache: the same query over the same data ran before."),
          }),
          408: problemSchema,
          409: problemSchema,
          499: problemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const run = deps.queries.track(ctx, request.body.queryId, clientGone(reply));
      try {
        const result = await deps.sources.sql(ctx, { ...request.body, signal: run.signal });
        return { sql: request.body.sql, ...result, cached: result.cached === true };
      } finally {
        run.done();
      }
    },
  );

  typed.delete(
    "/sql/:queryId",
    {
      config: { permission: "workspace.read" },
      schema: {
        operationId: "cancelSql",
        summary: "Cancel a running query or export of yours by the queryId it was started with",
        description:
          "The query answers 499 `query_cancelled` (an export stops). 404 when no query of yours in this " +
          "workspace runs under that id, including one that has already finished.",
        tags: ["sources"],
        params: z.object({ queryId: z.string() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      deps.queries.cancel(contextOf(request), request.params.queryId);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    "/sql/export",
    {
      config: { permission: "workspace.read" },
      schema: {
        operationId: "exportSql",
        summary: "Download a query's whole result as CSV, XLSX or Parquet",
        description:
          "The same guard as `POST /sql`, with no row cap; with a live source's `sourceId` the query runs in " +
          "that database, in its read-only transaction. CSV and XLSX stream as the rows are produced; " +
          "XLSX continues on a new sheet after 1,048,575 rows. Refusals and failures before the download " +
          "starts answer with a problem; a failure during it cuts the download short.",
        tags: ["sources"],
        body: z.object({
          sql: z.string().min(1).max(100_000),
          format: z.enum(["csv", "xlsx", "parquet"]),
          queryId: queryIdField,
          sourceId: z
            .uuid()
            .optional()
            .describe("A live database source: the query runs in that database, over its tables only."),
        }),
        produces: [
          "text/csv",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "application/vnd.apache.parquet",
        ],
        response: {
          200: z.unknown().describe("The file, named in Content-Disposition."),
          408: problemSchema,
          409: problemSchema,
          499: problemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const run = deps.queries.track(ctx, request.body.queryId, clientGone(reply));
      try {
        const file = await deps.exports.export(ctx, { ...request.body, signal: run.signal });
        file.body.once("close", run.done);
        return reply
          .header("content-type", file.contentType)
          .header("content-disposition", `attachment; filename="${file.fileName}"`)
          .header("cache-control", "no-store")
          .send(file.body);
      } catch (error) {
        run.done();
        throw error;
      }
    },
  );
}
