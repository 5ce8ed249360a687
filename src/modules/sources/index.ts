import { z } from "zod";
import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import { createAuditLog } from "../audit/index.js";
import { workspaceDeletedEvent } from "../workspaces/index.js";
import { registerSourcesRoutes } from "./sources.routes.js";
import { createSourcesService } from "./sources.service.js";
import { createWarehouses } from "./warehouses.js";

export { createSourcesService, type SourcesService } from "./sources.service.js";

/** Data sources (uploaded files) in each workspace's DuckDB warehouse, and `POST /sql` over them. */
export function createSourcesModule(platform: Platform): Module {
  const { config } = platform;
  const warehouses = createWarehouses(config.DATA_DIR);
  const sources = createSourcesService({
    db: platform.database.db,
    clock: platform.clock,
    jobs: platform.jobs,
    events: platform.events,
    audit: createAuditLog({ db: platform.database.db, clock: platform.clock }),
    warehouses,
    limits: { maxRows: config.SQL_MAX_ROWS, timeoutMs: config.SQL_TIMEOUT_MS },
  });
  let unsubscribe: (() => void) | undefined;
  return {
    name: "sources",
    async routes(api) {
      await registerSourcesRoutes(api, { sources, warehouses, maxUploadBytes: config.UPLOAD_MAX_BYTES });
    },
    jobs: [
      {
        name: "sources.ingest",
        payload: z.object({ sourceId: z.uuid() }),
        retries: 2,
        timeoutMs: 60 * 60_000,
        handler: async ({ sourceId }: { sourceId: string }) => {
          await sources.ingest(sourceId);
        },
      },
    ],
    async start() {
      unsubscribe = platform.events.subscribe((event) => {
        if (event.type !== workspaceDeletedEvent || !event.workspaceId) return;
        sources
          .removeWorkspace(event.workspaceId)
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
      await warehouses.close();
    },
  };
}
