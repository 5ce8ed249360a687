import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { AppError, Conflict, Invalid, NotFound } from "../../platform/errors.js";
import type { EventBus } from "../../platform/events/index.js";
import type { Jobs } from "../../platform/jobs/types.js";
import type { AuditLog } from "../audit/index.js";
import type { RequestContext } from "../auth/context.js";
import { type QueryResult, type RowPolicy, tableNameOf } from "../warehouse/duckdb-engine.js";
import { guardForDuckDb } from "../warehouse/execute.js";
import type { ResultCache } from "../warehouse/result-cache.js";
import { assertCan } from "../workspaces/index.js";
import type { ConnectionsService } from "./connections.service.js";
import { checkAppendColumns, loadUpload } from "./ingest.js";
import { qualityReport } from "./quality.js";
import type { UploadFormat } from "./readers/index.js";
import type { RelationshipsService } from "./relationships.service.js";
import { sources } from "./sources.tables.js";
import type { PendingUpload, ReceivedUpload } from "./upload.js";
import type { Warehouses } from "./warehouses.js";

export type SourceRecord = typeof sources.$inferSelect;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function createSourcesService(deps: {
  db: Db;
  clock: Clock;
  jobs: Pick<Jobs, "enqueue">;
  events: Pick<EventBus, "publish">;
  audit: AuditLog;
  warehouses: Warehouses;
  /** Results of warehouse queries, keyed by the versions of the sources they read. */
  cache: ResultCache;
  limits: { maxRows: number; timeoutMs: number; maxUncompressedBytes: number };
  /** Live database sources: their queries and previews run in their own database. */
  live?: Pick<ConnectionsService, "liveSql" | "previewLive" | "forget">;
  /** Profiles loaded tables and keeps the workspace's relationships in step with its tables. */
  analysis: Pick<RelationshipsService, "analyse" | "refresh" | "prune">;
}) {
  const { db, clock, jobs, events, audit, warehouses } = deps;

  async function owned(ctx: Pick<RequestContext, "workspaceId">, id: string): Promise<SourceRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Source", { id });
    const [row] = await db
      .select()
      .from(sources)
      .where(and(eq(sources.id, id), eq(sources.workspaceId, ctx.workspaceId)));
    if (!row) throw new NotFound("Source", { id });
    return row;
  }

  /** Names of every table the workspace's ready sources hold. */
  async function workspaceTables(workspaceId: string, except?: string): Promise<string[]> {
    const rows = await db
      .select({ tables: sources.tables })
      .from(sources)
      .where(and(eq(sources.workspaceId, workspaceId), except ? ne(sources.id, except) : undefined));
    return rows.flatMap((row) => row.tables.map((table) => table.name));
  }

  /** The workspace's tables, each with the source (and its version) it belongs to. */
  async function tablesWithVersions(workspaceId: string) {
    const rows = await db
      .select({ id: sources.id, version: sources.version, tables: sources.tables })
      .from(sources)
      .where(eq(sources.workspaceId, workspaceId));
    const owners = new Map<string, { id: string; version: number }>();
    for (const row of rows) {
      for (const table of row.tables) owners.set(table.name, { id: row.id, version: row.version });
    }
    return owners;
  }

  async function publish(workspaceId: string, data: Record<string, unknown>) {
    await events.publish({ type: "data_processed", workspaceId, data });
  }

  /** New data is in a source's tables: results cached for older data go, and profiling is queued. */
  async function dataChanged(source: { workspaceId: string; id: string; version: number }): Promise<void> {
    deps.cache.invalidate(source.workspaceId, source.id);
    await jobs.enqueue(
      "sources.analyse",
      { sourceId: source.id, version: source.version },
      { idempotencyKey: `sources.analyse:${source.id}:${source.version}` },
    );
  }

  return {
    owned,
    workspaceTables,

    /** Records an uploaded file and queues its load; the file is already in the upload directory. */
    async createFromUpload(
      ctx: RequestContext,
      input: {
        fileName: string;
        storedAs: string;
        format: UploadFormat;
        sizeBytes: number;
        rowPolicy?: RowPolicy;
      },
    ): Promise<SourceRecord> {
      assertCan(ctx.role, "data.write");
      const now = clock.now();
      const [row] = await db
        .insert(sources)
        .values({
          workspaceId: ctx.workspaceId,
          name: input.fileName,
          kind: "file",
          format: input.format,
          fileName: input.storedAs,
          sizeBytes: input.sizeBytes,
          rowPolicy: input.rowPolicy ?? "reject",
          status: "processing",
          createdBy: ctx.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("source insert returned no row");
      await audit.record({
        workspaceId: ctx.workspaceId,
        action: "source.created",
        actor: ctx.actor,
        target: { type: "source", id: row.id, label: row.name },
        meta: ctx.meta,
        metadata: { format: input.format, sizeBytes: input.sizeBytes },
      });
      await jobs.enqueue(
        "sources.ingest",
        { sourceId: row.id },
        { idempotencyKey: `sources.ingest:${row.id}` },
      );
      return row;
    },

    /**
     * A new file for an existing file source, loaded by the ingest job into its tables:
     * `replace` swaps their contents, `append` adds rows (the columns must match). Until the
     * load succeeds, the source's data stays as it was.
     */
    async uploadInto(
      ctx: RequestContext,
      id: string,
      input: ReceivedUpload & { mode: "replace" | "append" },
    ): Promise<SourceRecord> {
      assertCan(ctx.role, "data.write");
      const source = await owned(ctx, id);
      if (source.kind !== "file") throw new Invalid("Only file sources take uploads");
      if (source.status === "processing") {
        throw new Conflict("This source is still loading: upload again once it is ready or failed");
      }
      if (input.mode === "append") {
        await checkAppendColumns(await warehouses.get(ctx.workspaceId), {
          file: path.join(warehouses.uploadDir(ctx.workspaceId), input.storedAs),
          format: input.format,
          label: input.fileName,
          tables: source.tables,
          timeoutMs: deps.limits.timeoutMs,
        });
      }
      const [row] = await db
        .update(sources)
        .set({
          status: "processing",
          rowPolicy: input.fields.rowPolicy ?? source.rowPolicy,
          updatedAt: clock.now(),
        })
        .where(eq(sources.id, id))
        .returning();
      if (!row) throw new NotFound("Source", { id });
      await audit.record({
        workspaceId: ctx.workspaceId,
        action: "source.uploaded",
        actor: ctx.actor,
        target: { type: "source", id, label: source.name },
        meta: ctx.meta,
        metadata: {
          mode: input.mode,
          fileName: input.fileName,
          format: input.format,
          sizeBytes: input.sizeBytes,
        },
      });
      const upload: PendingUpload = {
        fileName: input.fileName,
        storedAs: input.storedAs,
        format: input.format,
        sizeBytes: input.sizeBytes,
        mode: input.mode,
      };
      await jobs.enqueue(
        "sources.ingest",
        { sourceId: id, upload },
        { idempotencyKey: `sources.ingest:${id}:${input.storedAs}` },
      );
      return row;
    },

    dataChanged,

    /**
     * The profiling job: the column profile and quality report of one data version, then
     * relationship detection over the workspace's tables. A newer load makes it moot.
     */
    async analyse(sourceId: string, version: number): Promise<void> {
      const [source] = await db.select().from(sources).where(eq(sources.id, sourceId));
      if (!source || source.version !== version || source.status !== "ready" || source.mode === "live")
        return;
      const engine = await warehouses.get(source.workspaceId);
      const malformed = source.quality?.find((issue) => issue.kind === "malformed_rows");
      const analysis = await deps.analysis.analyse(
        engine,
        source.tables.map((table) => table.name),
        malformed
          ? {
              rejectedRows: malformed.count,
              ...(malformed.examples ? { examples: malformed.examples } : {}),
              table: malformed.table,
            }
          : undefined,
      );
      const updated = await db
        .update(sources)
        .set({ ...analysis, profiledVersion: version })
        .where(and(eq(sources.id, sourceId), eq(sources.version, version)))
        .returning({ id: sources.id });
      await deps.analysis.refresh(source.workspaceId);
      if (updated.length > 0) {
        await publish(source.workspaceId, { sourceId, status: "ready", phase: "profiled", version });
      }
    },

    /** The quarantine CSV of the rows the last load skipped. */
    async quarantine(ctx: RequestContext, id: string): Promise<{ file: string; downloadName: string }> {
      const source = await owned(ctx, id);
      const file =
        source.quarantineFile && path.join(warehouses.uploadDir(ctx.workspaceId), source.quarantineFile);
      if (!file || !existsSync(file)) throw new NotFound("Quarantine file", { id });
      return { file, downloadName: `${tableNameOf(source.name)}-rejected-rows.csv` };
    },

    /**
     * The ingest job: loads the source's file, or a file uploaded onto it, into its tables in
     * one transaction, then describes them. A failed first load marks the source failed; a
     * failed re-upload leaves the previous data (status `ready`) and says why in `error`.
     */
    async ingest(
      sourceId: string,
      upload?: PendingUpload,
      options: { lastAttempt?: boolean } = {},
    ): Promise<void> {
      const [source] = await db.select().from(sources).where(eq(sources.id, sourceId));
      if (!source) return;
      const workspaceId = source.workspaceId;
      const storedAs = upload?.storedAs ?? source.fileName;
      await publish(workspaceId, { sourceId, status: "loading", phase: "reading" });
      if (!storedAs) return;
      const uploadDir = warehouses.uploadDir(workspaceId);
      try {
        const loaded = await loadUpload({
          engine: await warehouses.get(workspaceId),
          uploadDir,
          source,
          storedAs,
          format: (upload?.format ?? source.format) as UploadFormat,
          mode: upload?.mode ?? "replace",
          taken: new Set(await workspaceTables(workspaceId, source.id)),
          maxUncompressedBytes: deps.limits.maxUncompressedBytes,
          timeoutMs: deps.limits.timeoutMs,
          onProgress: (progress) => publish(workspaceId, { sourceId, status: "loading", ...progress }),
        });
        const tables = loaded.tables;
        const version = source.version + 1;
        await db
          .update(sources)
          .set({
            status: "ready",
            tables,
            // Profiling runs next, in its own job: the data is queryable from here on.
            quality: qualityReport([], {
              rejectedRows: loaded.rejected,
              examples: loaded.examples,
              ...(tables[0] ? { table: tables[0].name } : {}),
            }),
            error: null,
            version,
            rejectedRows: loaded.rejected,
            quarantineFile: loaded.quarantineFile,
            ...(upload
              ? { fileName: upload.storedAs, format: upload.format, sizeBytes: upload.sizeBytes }
              : {}),
            updatedAt: clock.now(),
          })
          .where(eq(sources.id, sourceId));
        for (const old of [source.quarantineFile, upload ? source.fileName : null]) {
          if (old && old !== storedAs && old !== loaded.quarantineFile)
            rmSync(path.join(uploadDir, old), { force: true });
        }
        await dataChanged({ workspaceId, id: sourceId, version });
        await publish(workspaceId, {
          sourceId,
          status: "ready",
          table: tables[0]?.name,
          rows: tables.reduce((sum, table) => sum + table.rows, 0),
          tables: tables.map(({ name, rows }) => ({ name, rows })),
          rejectedRows: loaded.rejected,
        });
      } catch (error) {
        const final = error instanceof AppError && error.status < 500;
        // An unexpected failure (a crash, a locked file) may pass on a retry; after the last one, or
        // for bad data that never will, the source says why instead of staying `processing`.
        if (!final && !options.lastAttempt) throw error;
        const message = final
          ? error.message
          : `Loading failed unexpectedly: ${(error as Error).message ?? String(error)}`;
        if (upload) rmSync(path.join(uploadDir, upload.storedAs), { force: true });
        const kept = upload !== undefined && source.tables.length > 0;
        await db
          .update(sources)
          .set({ status: kept ? "ready" : "failed", error: message, updatedAt: clock.now() })
          .where(eq(sources.id, sourceId));
        await publish(workspaceId, { sourceId, status: "failed", error: message });
        if (!final) throw error;
      }
    },

    /** Everything of a deleted workspace: its sources, warehouse file and uploads. */
    async removeWorkspace(workspaceId: string): Promise<void> {
      await db.delete(sources).where(eq(sources.workspaceId, workspaceId));
      deps.cache.invalidate(workspaceId);
      await warehouses.drop(workspaceId);
    },

    async list(ctx: RequestContext, page: { limit: number; cursor?: string }) {
      const order = newestFirst(sources, page.cursor);
      const rows = await db
        .select()
        .from(sources)
        .where(and(eq(sources.workspaceId, ctx.workspaceId), order.where))
        .orderBy(...order.orderBy)
        .limit(page.limit + 1);
      return order.page(rows, page.limit);
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "data.write");
      const source = await owned(ctx, id);
      if (source.kind === "database") await deps.live?.forget(id);
      const engine = await warehouses.get(ctx.workspaceId);
      // A live source's tables live in its own database, not in the warehouse.
      for (const table of source.mode === "live" ? [] : source.tables) {
        await engine.query(`drop table if exists ${quoteIdent(table.name)}`, {
          maxRows: 0,
          timeoutMs: 30_000,
        });
      }
      await db.delete(sources).where(eq(sources.id, id));
      deps.cache.invalidate(ctx.workspaceId, id);
      await deps.analysis.prune(ctx.workspaceId);
      for (const stored of [source.fileName, source.quarantineFile]) {
        if (stored) rmSync(`${warehouses.uploadDir(ctx.workspaceId)}/${stored}`, { force: true });
      }
      await audit.record({
        workspaceId: ctx.workspaceId,
        action: "source.deleted",
        actor: ctx.actor,
        target: { type: "source", id, label: source.name },
        meta: ctx.meta,
      });
      await publish(ctx.workspaceId, { sourceId: id, status: "deleted" });
    },

    async preview(
      ctx: RequestContext,
      id: string,
      options: { table?: string; limit: number },
    ): Promise<QueryResult> {
      const source = await owned(ctx, id);
      const table = options.table ?? source.tables[0]?.name;
      if (!table || !source.tables.some((entry) => entry.name === table)) {
        throw new Invalid(
          source.status === "ready" ? `This source has no table ${table}` : `This source is ${source.status}`,
        );
      }
      const liveTable = source.tables.find((entry) => entry.name === table);
      if (source.mode === "live" && deps.live && liveTable)
        return deps.live.previewLive(source, liveTable, options.limit);
      const engine = await warehouses.get(ctx.workspaceId);
      return engine.query(`select * from ${quoteIdent(table)} limit ${options.limit}`, {
        maxRows: options.limit,
        timeoutMs: deps.limits.timeoutMs,
      });
    },

    /** The one path by which SQL runs against the workspace's warehouse. */
    async sql(
      ctx: RequestContext,
      input: {
        sql: string;
        maxRows?: number | undefined;
        signal?: AbortSignal | undefined;
        sourceId?: string | undefined;
      },
    ): Promise<QueryResult & { cached?: boolean }> {
      const maxRows = Math.min(input.maxRows ?? deps.limits.maxRows, deps.limits.maxRows);
      if (input.sourceId && deps.live) {
        const live = await deps.live.liveSql(ctx, input.sourceId, {
          sql: input.sql,
          maxRows,
          signal: input.signal,
        });
        if (live) return live;
      }
      const started = performance.now();
      const engine = await warehouses.get(ctx.workspaceId);
      const owners = await tablesWithVersions(ctx.workspaceId);
      const guarded = await guardForDuckDb(engine, input.sql, { tables: [...owners.keys()], maxRows });
      const read = new Map(
        guarded.tables.flatMap((table) => {
          const owner = owners.get(table);
          return owner ? [[owner.id, owner]] : [];
        }),
      );
      const key = {
        workspaceId: ctx.workspaceId,
        sources: [...read.values()],
        normalized: guarded.normalized,
        maxRows,
      };
      const hit = deps.cache.get(key);
      if (hit) return { ...hit, durationMs: performance.now() - started, cached: true };
      const result = await engine.query(guarded.sql, {
        maxRows,
        timeoutMs: deps.limits.timeoutMs,
        signal: input.signal,
      });
      deps.cache.set(key, result);
      return { ...result, cached: false };
    },
  };
}

export type SourcesService = ReturnType<typeof createSourcesService>;
