import { randomUUID } from "node:crypto";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import { SealBroken, seal, unseal } from "../../platform/crypto.js";
import type { Db } from "../../platform/db/index.js";
import { Invalid, NotFound } from "../../platform/errors.js";
import type { EventBus } from "../../platform/events/index.js";
import { checkCron } from "../../platform/jobs/cron.js";
import type { Jobs } from "../../platform/jobs/types.js";
import type { Logger } from "../../platform/log.js";
import type { AuditLog } from "../audit/index.js";
import type { RequestContext } from "../auth/context.js";
import type { QueryResult, StreamedResult } from "../warehouse/duckdb-engine.js";
import { UNCAPPED } from "../warehouse/execute.js";
import { guardSql } from "../warehouse/sql-guard.js";
import { assertCan } from "../workspaces/index.js";
import { importTables } from "./connections.import.js";
import {
  ConnectionFailed,
  type ConnectionSettings,
  type Connector,
  type ConnectorOptions,
  connectionSettingsSchema,
  openConnector,
  type RemoteTable,
  summaryOf,
} from "./connectors/index.js";
import { type SourceMode, type SourceTable, sources } from "./sources.tables.js";
import type { Warehouses } from "./warehouses.js";

type SourceRecord = typeof sources.$inferSelect;

const SEAL_PURPOSE = "source-connections";
export const IMPORT_JOB = "sources.import";
const IMPORT_TIMEOUT_MS = 60 * 60_000;
const scheduleName = (sourceId: string) => `sources.import:${sourceId}`;

/** Settings a PATCH may change: everything but the engine, each optional. */
export type SettingsChange = Partial<Record<string, string | number | boolean | undefined>>;

/**
 * Database sources: connection settings sealed with SECRET_KEY, a pooled connector per source,
 * live queries through the SQL guard and the database's own read-only transaction, and imports
 * into the workspace's warehouse (on demand or on the source's cron schedule).
 */
export function createConnectionsService(deps: {
  db: Db;
  clock: Clock;
  jobs: Pick<Jobs, "enqueue" | "schedules">;
  events: Pick<EventBus, "publish">;
  audit: AuditLog;
  warehouses: Warehouses;
  log: Logger;
  secretKey: string;
  connectors: ConnectorOptions;
  limits: { maxRows: number; timeoutMs: number };
  /** Called once an import's new data is in the warehouse: stale results go, profiling starts. */
  onDataChanged?: (source: { workspaceId: string; id: string; version: number }) => Promise<void>;
}) {
  const { db, clock, jobs, audit, warehouses } = deps;
  /** One connector (with its pool) per source, replaced when the settings change. */
  const open = new Map<string, { sealed: string; connector: Connector }>();

  async function publish(workspaceId: string, data: Record<string, unknown>) {
    await deps.events.publish({ type: "data_processed", workspaceId, data });
  }

  async function owned(ctx: Pick<RequestContext, "workspaceId">, id: string): Promise<SourceRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Source", { id });
    const [row] = await db
      .select()
      .from(sources)
      .where(and(eq(sources.id, id), eq(sources.workspaceId, ctx.workspaceId)));
    if (!row) throw new NotFound("Source", { id });
    return row;
  }

  async function ownedDatabase(ctx: Pick<RequestContext, "workspaceId">, id: string) {
    const source = await owned(ctx, id);
    if (source.kind !== "database")
      throw new Invalid("This source is an uploaded file, not a database connection");
    return source;
  }

  function settingsOf(source: SourceRecord): ConnectionSettings {
    if (!source.connection) throw new Invalid("This source has no connection settings");
    try {
      return connectionSettingsSchema.parse(
        JSON.parse(unseal(deps.secretKey, SEAL_PURPOSE, source.connection, source.id)),
      );
    } catch (error) {
      if (error instanceof SealBroken) {
        throw new ConnectionFailed(
          "failed",
          "The saved connection settings cannot be read: SECRET_KEY changed since they were saved. Enter the password again.",
        );
      }
      throw error;
    }
  }

  function connectorOf(source: SourceRecord): Connector {
    const current = open.get(source.id);
    if (current && current.sealed === source.connection) return current.connector;
    if (current) void current.connector.close();
    const connector = openConnector(settingsOf(source), deps.connectors);
    open.set(source.id, { sealed: source.connection ?? "", connector });
    return connector;
  }

  /** Opens a throwaway connector for settings not saved yet. */
  async function withSettings<T>(
    settings: ConnectionSettings,
    work: (connector: Connector) => Promise<T>,
  ): Promise<T> {
    const connector = openConnector(settings, deps.connectors);
    try {
      return await work(connector);
    } finally {
      await connector.close();
    }
  }

  /** Names of the tables other sources of the workspace hold in the warehouse. */
  async function otherTables(workspaceId: string, except: string): Promise<Set<string>> {
    const rows = await db
      .select({ tables: sources.tables })
      .from(sources)
      .where(and(eq(sources.workspaceId, workspaceId), ne(sources.id, except)));
    return new Set(rows.flatMap((row) => row.tables.map((table) => table.name)));
  }

  /** Live tables: named as in their database, qualified only where two schemas share a name. */
  function liveTables(remote: RemoteTable[]): SourceTable[] {
    const counts = new Map<string, number>();
    for (const table of remote) counts.set(table.table, (counts.get(table.table) ?? 0) + 1);
    return remote.map((table) => ({
      name: (counts.get(table.table) ?? 0) > 1 ? table.remoteName : table.table,
      remoteName: table.remoteName,
      rows: table.rows ?? 0,
      columns: table.columns.map(({ name, type, sourceType }) => ({ name, type, sourceType })),
    }));
  }

  function checkSchedule(mode: SourceMode, refreshCron: string | null | undefined) {
    if (!refreshCron) return;
    if (mode === "live") {
      throw new Invalid(
        "Live sources read the database on every query: a refresh schedule applies to imports only",
        {
          field: "refreshCron",
        },
      );
    }
    checkCron(refreshCron, "UTC");
  }

  async function schedule(source: Pick<SourceRecord, "id" | "refreshCron" | "mode">) {
    if (source.mode === "import" && source.refreshCron) {
      await jobs.schedules.upsert({
        name: scheduleName(source.id),
        jobName: IMPORT_JOB,
        cron: source.refreshCron,
        payload: { sourceId: source.id },
      });
    } else {
      await jobs.schedules.remove(scheduleName(source.id)).catch(() => undefined);
    }
  }

  async function enqueueImport(source: SourceRecord, reason: string) {
    await db
      .update(sources)
      .set({ status: source.tables.length ? source.status : "processing", updatedAt: clock.now() })
      .where(eq(sources.id, source.id));
    await jobs.enqueue(
      IMPORT_JOB,
      { sourceId: source.id },
      { idempotencyKey: `${IMPORT_JOB}:${source.id}:${reason}` },
    );
  }

  /** Closes a source's pool and drops its schedule: the source is going away. */
  async function forget(sourceId: string): Promise<void> {
    const current = open.get(sourceId);
    open.delete(sourceId);
    await current?.connector.close();
    await jobs.schedules.remove(scheduleName(sourceId)).catch(() => undefined);
  }

  /**
   * A live source's connector and the SQL as the guard passes it, with the source's dialect and
   * tables. Undefined when the source is not live: the caller runs the SQL on the warehouse.
   */
  async function guardLive(
    ctx: Pick<RequestContext, "workspaceId">,
    id: string,
    sql: string,
    maxRows: number,
  ) {
    const source = await owned(ctx, id);
    if (source.mode !== "live") return undefined;
    const connector = connectorOf(source);
    const remoteNames = source.tables.map((table) => table.remoteName ?? table.name);
    const guarded = guardSql(sql, { dialect: connector.dialect, tables: remoteNames, maxRows });
    const searchPath = [...new Set(remoteNames.map((name) => name.split(".")[0] ?? ""))];
    return { connector, sql: guarded.sql, searchPath: source.format === "postgres" ? searchPath : undefined };
  }

  return {
    /** Tries settings before they are saved. */
    async test(ctx: RequestContext, settings: ConnectionSettings) {
      assertCan(ctx.role, "data.write");
      return withSettings(settings, (connector) => connector.test());
    },

    async create(
      ctx: RequestContext,
      input: {
        name: string;
        settings: ConnectionSettings;
        mode: SourceMode;
        refreshCron?: string | null | undefined;
      },
    ): Promise<SourceRecord> {
      assertCan(ctx.role, "data.write");
      checkSchedule(input.mode, input.refreshCron);
      const id = randomUUID();
      const live = input.mode === "live";
      const tables = await withSettings(input.settings, async (connector) => {
        await connector.test();
        return live ? liveTables(await connector.introspect()) : [];
      });
      const now = clock.now();
      const [row] = await db
        .insert(sources)
        .values({
          id,
          workspaceId: ctx.workspaceId,
          name: input.name,
          kind: "database",
          format: input.settings.engine,
          mode: input.mode,
          connection: seal(deps.secretKey, SEAL_PURPOSE, JSON.stringify(input.settings), id),
          connectionSummary: summaryOf(input.settings),
          refreshCron: input.refreshCron ?? null,
          status: live ? "ready" : "processing",
          tables,
          version: live ? 1 : 0,
          lastRefreshedAt: live ? now : null,
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
        target: { type: "source", id, label: row.name },
        meta: ctx.meta,
        metadata: { engine: input.settings.engine, mode: input.mode },
      });
      if (!live) {
        await schedule(row);
        await enqueueImport(row, "created");
      }
      return row;
    },

    async testSource(ctx: RequestContext, id: string) {
      assertCan(ctx.role, "data.write");
      return connectorOf(await ownedDatabase(ctx, id)).test();
    },

    /** The database's tables as it describes them now, with keys and row estimates. */
    async schema(ctx: RequestContext, id: string): Promise<RemoteTable[]> {
      return connectorOf(await ownedDatabase(ctx, id)).introspect();
    },

    /** Import sources import again; live sources describe their tables again. */
    async refresh(ctx: RequestContext, id: string): Promise<SourceRecord> {
      assertCan(ctx.role, "data.write");
      const source = await ownedDatabase(ctx, id);
      if (source.mode === "import") {
        await enqueueImport(source, `manual:${clock.now().toISOString()}`);
      } else {
        const tables = liveTables(await connectorOf(source).introspect());
        await db
          .update(sources)
          .set({
            tables,
            status: "ready",
            error: null,
            version: source.version + 1,
            lastRefreshedAt: clock.now(),
            updatedAt: clock.now(),
          })
          .where(eq(sources.id, id));
      }
      return owned(ctx, id);
    },

    /** Renames a source, changes its schedule, or changes (and tests) its connection settings. */
    async update(
      ctx: RequestContext,
      id: string,
      input: {
        name?: string | undefined;
        refreshCron?: string | null | undefined;
        settings?: SettingsChange | undefined;
      },
    ): Promise<SourceRecord> {
      assertCan(ctx.role, "data.write");
      const source = await owned(ctx, id);
      const changes: Partial<typeof sources.$inferInsert> = { updatedAt: clock.now() };
      if (input.name !== undefined) changes.name = input.name;
      if (source.kind !== "database" && (input.refreshCron !== undefined || input.settings !== undefined)) {
        throw new Invalid("Only database sources have connection settings and refresh schedules");
      }
      if (input.refreshCron !== undefined) {
        checkSchedule(source.mode ?? "live", input.refreshCron);
        changes.refreshCron = input.refreshCron;
      }
      if (input.settings !== undefined) {
        const current = settingsOf(source);
        const parsed = connectionSettingsSchema.safeParse({
          ...current,
          ...input.settings,
          engine: current.engine,
        });
        if (!parsed.success)
          throw new Invalid(`Invalid connection settings: ${parsed.error.issues[0]?.message ?? ""}`);
        await withSettings(parsed.data, (connector) => connector.test());
        changes.connection = seal(deps.secretKey, SEAL_PURPOSE, JSON.stringify(parsed.data), id);
        changes.connectionSummary = summaryOf(parsed.data);
      }
      const [row] = await db.update(sources).set(changes).where(eq(sources.id, id)).returning();
      if (!row) throw new NotFound("Source", { id });
      if (input.settings !== undefined) {
        const previous = open.get(id);
        open.delete(id);
        await previous?.connector.close();
      }
      if (input.refreshCron !== undefined) await schedule(row);
      await audit.record({
        workspaceId: ctx.workspaceId,
        action: "source.updated",
        actor: ctx.actor,
        target: { type: "source", id, label: row.name },
        meta: ctx.meta,
        metadata: {
          fields: Object.keys(input).filter((key) => input[key as keyof typeof input] !== undefined),
        },
      });
      return row;
    },

    /**
     * Runs SQL in a live source's database, through the SQL guard with the source's tables.
     * Undefined when the source is not live: the caller runs it on the warehouse.
     */
    async liveSql(
      ctx: RequestContext,
      sourceId: string,
      input: { sql: string; maxRows: number; signal?: AbortSignal | undefined },
    ): Promise<QueryResult | undefined> {
      const live = await guardLive(ctx, sourceId, input.sql, input.maxRows);
      return live?.connector.query(live.sql, {
        maxRows: input.maxRows,
        timeoutMs: deps.limits.timeoutMs,
        signal: input.signal,
        searchPath: live.searchPath,
      });
    },

    /** A live source's whole result, streamed for an export: liveSql's guard, no row cap. */
    async liveStream(
      ctx: Pick<RequestContext, "workspaceId">,
      sourceId: string,
      input: { sql: string; timeoutMs: number; signal?: AbortSignal | undefined },
    ): Promise<StreamedResult | undefined> {
      const live = await guardLive(ctx, sourceId, input.sql, UNCAPPED);
      return live?.connector.stream(live.sql, {
        timeoutMs: input.timeoutMs,
        signal: input.signal,
        searchPath: live.searchPath,
      });
    },

    /** The first rows of a live source's table, read in its database. */
    async previewLive(source: SourceRecord, table: SourceTable, limit: number): Promise<QueryResult> {
      const remoteName = table.remoteName ?? table.name;
      const dot = source.format === "sqlite" ? -1 : remoteName.indexOf(".");
      return connectorOf(source).preview(
        {
          remoteName,
          schema: dot < 0 ? null : remoteName.slice(0, dot),
          table: dot < 0 ? remoteName : remoteName.slice(dot + 1),
          kind: "table",
          rows: table.rows,
          columns: table.columns.map((column) => ({
            ...column,
            type: column.type as RemoteTable["columns"][number]["type"],
            nullable: true,
          })),
          primaryKey: [],
          foreignKeys: [],
        },
        limit,
      );
    },

    forget,

    /** Closes the pools and drops the schedules of a deleted workspace's database sources. */
    async forgetWorkspace(workspaceId: string): Promise<void> {
      const rows = await db
        .select({ id: sources.id })
        .from(sources)
        .where(and(eq(sources.workspaceId, workspaceId), eq(sources.kind, "database")));
      for (const row of rows) await forget(row.id);
    },

    /** The import job: copies the database's tables into the warehouse, replacing the last import. */
    async importSource(sourceId: string, signal?: AbortSignal): Promise<void> {
      const [source] = await db.select().from(sources).where(eq(sources.id, sourceId));
      if (source?.kind !== "database" || source.mode !== "import") return;
      const workspaceId = source.workspaceId;
      await publish(workspaceId, { sourceId, status: "loading" });
      try {
        const tables = await importTables({
          connector: connectorOf(source),
          engine: await warehouses.get(workspaceId),
          uploadDir: warehouses.uploadDir(workspaceId),
          sourceId,
          previous: source.tables,
          taken: await otherTables(workspaceId, sourceId),
          timeoutMs: IMPORT_TIMEOUT_MS,
          ...(signal ? { signal } : {}),
        });
        const [current] = await db
          .select({ version: sources.version })
          .from(sources)
          .where(eq(sources.id, sourceId));
        const version = (current?.version ?? source.version) + 1;
        await db
          .update(sources)
          .set({
            status: "ready",
            tables,
            error: null,
            version,
            quality: [],
            lastRefreshedAt: clock.now(),
            updatedAt: clock.now(),
          })
          .where(eq(sources.id, sourceId));
        await deps.onDataChanged?.({ workspaceId, id: sourceId, version });
        await publish(workspaceId, { sourceId, status: "ready", tables: tables.length });
      } catch (error) {
        const message = (error as Error).message;
        deps.log.warn({ sourceId, err: message }, "database import failed");
        // The previous import's tables are intact and still queryable.
        await db
          .update(sources)
          .set({
            status: source.tables.length ? "ready" : "failed",
            error: source.tables.length ? `The last refresh failed: ${message}` : message,
            updatedAt: clock.now(),
          })
          .where(eq(sources.id, sourceId));
        await publish(workspaceId, { sourceId, status: "failed", error: message });
        const transient =
          error instanceof ConnectionFailed && ["unreachable", "timeout"].includes(error.problem);
        if (transient) throw error;
      }
    },

    async close(): Promise<void> {
      const all = [...open.values()];
      open.clear();
      await Promise.all(all.map((entry) => entry.connector.close()));
    },
  };
}

export type ConnectionsService = ReturnType<typeof createConnectionsService>;
