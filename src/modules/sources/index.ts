import { z } from "zod";
import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import { createAuditLog } from "../audit/index.js";
import { createResultCache } from "../warehouse/result-cache.js";
import { workspaceDeletedEvent } from "../workspaces/index.js";
import { registerConnectionsRoutes } from "./connections.routes.js";
import { createConnectionsService, IMPORT_JOB } from "./connections.service.js";
import { seedDemoData } from "./demo-data.js";
import { registerProfileRoutes } from "./profile.routes.js";
import { registerRelationshipsRoutes } from "./relationships.routes.js";
import { createRelationshipsService } from "./relationships.service.js";
import { createRunningQueries } from "./running-queries.js";
import { registerSourcesRoutes } from "./sources.routes.js";
import { createSourcesService, type SourcesService } from "./sources.service.js";
import { createSqlExports } from "./sql-export.js";
import { type PendingUpload, pendingUpload } from "./upload.js";
import { createWarehouses, type Warehouses } from "./warehouses.js";

export { analyseTables } from "./profile.js";
export {
  createRelationshipsService,
  type Join,
  joinsFor,
  type RelationshipsService,
} from "./relationships.service.js";
export { createSourcesService, type SourcesService } from "./sources.service.js";

const INGEST_RETRIES = 2;

/** The module, and what other modules use of it: its service (the one guarded `sql()` path) and the warehouses. */
export type SourcesModule = Module & {
  sources: SourcesService;
  warehouses: Pick<Warehouses, "get">;
  /** Whole results as CSV, XLSX or Parquet files, through the guard of `POST /sql` (no row cap). */
  exports: Pick<ReturnType<typeof createSqlExports>, "export">;
};

/** Data sources (uploaded files) in each workspace's DuckDB warehouse, and `POST /sql` over them. */
export function createSourcesModule(platform: Platform): SourcesModule {
  const { config } = platform;
  const warehouses = createWarehouses(config.DATA_DIR);
  const audit = createAuditLog({ db: platform.database.db, clock: platform.clock });
  const connections = createConnectionsService({
    db: platform.database.db,
    clock: platform.clock,
    jobs: platform.jobs,
    events: platform.events,
    audit,
    warehouses,
    log: platform.log,
    secretKey: platform.secretKey,
    connectors: {
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      sqliteAllowedDirs: config.SQLITE_ALLOWED_DIRS.split(",")
        .map((dir) => dir.trim())
        .filter(Boolean),
    },
    limits: { maxRows: config.SQL_MAX_ROWS, timeoutMs: config.SQL_TIMEOUT_MS },
    onDataChanged: (source) => sources.dataChanged(source),
  });
  const relationships = createRelationshipsService({
    db: platform.database.db,
    clock: platform.clock,
    audit,
    warehouses,
    log: platform.log,
  });
  const sources = createSourcesService({
    db: platform.database.db,
    clock: platform.clock,
    jobs: platform.jobs,
    events: platform.events,
    audit,
    warehouses,
    live: connections,
    analysis: relationships,
    cache: createResultCache({
      maxEntries: config.SQL_CACHE_MAX_ENTRIES,
      maxBytes: config.SQL_CACHE_MAX_BYTES,
    }),
    limits: {
      maxRows: config.SQL_MAX_ROWS,
      timeoutMs: config.SQL_TIMEOUT_MS,
      maxUncompressedBytes: config.UPLOAD_MAX_UNCOMPRESSED_BYTES,
    },
  });
  const sqlExports = createSqlExports({
    warehouses,
    tables: (workspaceId) => sources.workspaceTables(workspaceId),
    live: connections,
    clock: platform.clock,
    timeoutMs: config.SQL_EXPORT_TIMEOUT_MS,
  });
  const queries = createRunningQueries();
  let unsubscribe: (() => void) | undefined;
  return {
    name: "sources",
    sources,
    warehouses,
    exports: sqlExports,
    async routes(api) {
      await registerSourcesRoutes(api, {
        sources,
        warehouses,
        exports: sqlExports,
        queries,
        maxUploadBytes: config.UPLOAD_MAX_BYTES,
        maxUncompressedBytes: config.UPLOAD_MAX_UNCOMPRESSED_BYTES,
      });
      registerConnectionsRoutes(api, { connections });
      registerProfileRoutes(api, { sources });
      registerRelationshipsRoutes(api, { relationships });
    },
    jobs: [
      {
        name: "sources.ingest",
        serveOnly: true,
        payload: z.object({ sourceId: z.uuid(), upload: pendingUpload.optional() }),
        retries: INGEST_RETRIES,
        timeoutMs: 60 * 60_000,
        handler: async ({ sourceId, upload }: { sourceId: string; upload?: PendingUpload }, { attempt }) => {
          await sources.ingest(sourceId, upload, { lastAttempt: attempt > INGEST_RETRIES });
        },
      },
      {
        name: "sources.analyse",
        serveOnly: true,
        payload: z.object({ sourceId: z.uuid(), version: z.number().int() }),
        retries: 2,
        timeoutMs: 60 * 60_000,
        handler: async ({ sourceId, version }: { sourceId: string; version: number }) => {
          await sources.analyse(sourceId, version);
        },
      },
      {
        name: IMPORT_JOB,
        serveOnly: true,
        payload: z.object({ sourceId: z.uuid() }),
        retries: 2,
        backoffMs: 30_000,
        timeoutMs: 60 * 60_000,
        handler: async ({ sourceId }: { sourceId: string }, { signal }) => {
          await connections.importSource(sourceId, signal);
        },
      },
    ],
    async start() {
      // Identity starts first and creates the demo workspace; its sample data loads like any upload.
      if (config.DEMO) {
        const seeded = await seedDemoData({ db: platform.database.db, sources, warehouses });
        if (seeded > 0) platform.log.info({ files: seeded }, "demo sample data queued for loading");
      }
      unsubscribe = platform.events.subscribe((event) => {
        if (event.type !== workspaceDeletedEvent || !event.workspaceId) return;
        const workspaceId = event.workspaceId;
        connections
          .forgetWorkspace(workspaceId)
          .then(() => sources.removeWorkspace(workspaceId))
          .then(() => relationships.removeWorkspace(workspaceId))
          .catch((error: unknown) =>
            platform.log.error(
              { err: error, workspaceId: event.workspaceId },
              "could not remove a deleted workspace's data",
            ),
          );
      });
    },
    async stop() {
      unsubscribe?.();
      await connections.close();
      await warehouses.close();
    },
  };
}
