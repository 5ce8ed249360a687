import { rmSync } from "node:fs";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { Invalid, NotFound } from "../../platform/errors.js";
import type { EventBus } from "../../platform/events/index.js";
import type { Jobs } from "../../platform/jobs/types.js";
import type { AuditLog } from "../audit/index.js";
import type { RequestContext } from "../auth/context.js";
import { type FileFormat, QueryFailed, type QueryResult, tableNameOf } from "../warehouse/duckdb-engine.js";
import { runGuardedSql } from "../warehouse/execute.js";
import { assertCan } from "../workspaces/index.js";
import { type SourceTable, sources } from "./sources.tables.js";
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
  limits: { maxRows: number; timeoutMs: number };
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

  async function publish(workspaceId: string, data: Record<string, unknown>) {
    await events.publish({ type: "data_processed", workspaceId, data });
  }

  return {
    owned,
    workspaceTables,

    /** Records an uploaded file and queues its load; the file is already in the upload directory. */
    async createFromUpload(
      ctx: RequestContext,
      input: { fileName: string; storedAs: string; format: FileFormat; sizeBytes: number },
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

    /** The ingest job: loads the file into a table of its own, then describes it. */
    async ingest(sourceId: string): Promise<void> {
      const [source] = await db.select().from(sources).where(eq(sources.id, sourceId));
      if (!source) return;
      const workspaceId = source.workspaceId;
      const engine = await warehouses.get(workspaceId);
      const taken = new Set(await workspaceTables(workspaceId, source.id));
      const base = tableNameOf(source.name);
      let table = base;
      for (let n = 2; taken.has(table); n++) table = `${base}_${n}`;
      await publish(workspaceId, { sourceId, status: "loading", table });
      if (!source.fileName) return;
      const file = `${warehouses.uploadDir(workspaceId)}/${source.fileName}`;
      try {
        const loaded = await engine.ingest({
          file,
          table,
          format: source.format as FileFormat,
          label: source.name,
        });
        const described = await engine.query(`select * from ${quoteIdent(table)} limit 0`, {
          maxRows: 0,
          timeoutMs: deps.limits.timeoutMs,
        });
        const tables: SourceTable[] = [
          {
            name: table,
            rows: loaded.rows,
            columns: described.columns.map(({ name, type, sourceType }) => ({ name, type, sourceType })),
          },
        ];
        await db
          .update(sources)
          .set({ status: "ready", tables, error: null, version: source.version + 1, updatedAt: clock.now() })
          .where(eq(sources.id, sourceId));
        await publish(workspaceId, { sourceId, status: "ready", table, rows: loaded.rows });
      } catch (error) {
        if (!(error instanceof QueryFailed)) throw error;
        // Bad data will not load on a retry: the source says why instead.
        await db
          .update(sources)
          .set({ status: "failed", error: error.message, updatedAt: clock.now() })
          .where(eq(sources.id, sourceId));
        await publish(workspaceId, { sourceId, status: "failed", error: error.message });
      }
    },

    /** Everything of a deleted workspace: its sources, warehouse file and uploads. */
    async removeWorkspace(workspaceId: string): Promise<void> {
      await db.delete(sources).where(eq(sources.workspaceId, workspaceId));
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
      const engine = await warehouses.get(ctx.workspaceId);
      for (const table of source.tables) {
        await engine.query(`drop table if exists ${quoteIdent(table.name)}`, {
          maxRows: 0,
          timeoutMs: 30_000,
        });
      }
      await db.delete(sources).where(eq(sources.id, id));
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
      const engine = await warehouses.get(ctx.workspaceId);
      return engine.query(`select * from ${quoteIdent(table)} limit ${options.limit}`, {
        maxRows: options.limit,
        timeoutMs: deps.limits.timeoutMs,
      });
    },

    /** The one path by which SQL runs against the workspace's warehouse. */
    async sql(
      ctx: RequestContext,
      input: { sql: string; maxRows?: number | undefined },
    ): Promise<QueryResult> {
      const maxRows = Math.min(input.maxRows ?? deps.limits.maxRows, deps.limits.maxRows);
      const engine = await warehouses.get(ctx.workspaceId);
      return runGuardedSql(engine, input.sql, {
        tables: await workspaceTables(ctx.workspaceId),
        maxRows,
        timeoutMs: deps.limits.timeoutMs,
      });
    },
  };
}

export type SourcesService = ReturnType<typeof createSourcesService>;
