import { publicUrl } from "../../config.js";
import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import type { SourcesModule } from "../sources/index.js";
import { workspaceDeletedEvent } from "../workspaces/index.js";
import { registerDashboardsRoutes } from "./dashboards.routes.js";
import { createDashboardsService, type DashboardsService } from "./dashboards.service.js";
import { createShareTokens } from "./share.js";
import type { TemplateTable } from "./templates.js";

export { createDashboardsService, type DashboardsService } from "./dashboards.service.js";
export { dashboardPdf, dashboardPng } from "./export.js";

/**
 * Dashboards: widgets on a grid, filters, public links. When a source's data changes, a
 * `dashboard_updated` event names the dashboards whose widgets read data, so open pages reload
 * them; widgets whose queries read other sources come back from the query cache unchanged.
 */
export function createDashboardsModule(
  platform: Platform,
  deps: { sources: SourcesModule },
): Module & { dashboards: DashboardsService } {
  const dashboards = createDashboardsService({
    db: platform.database.db,
    clock: platform.clock,
    sql: (ctx, input) => deps.sources.sources.sql(ctx, input),
    dialectOf: async (ctx, sourceId) => {
      if (!sourceId) return "duckdb";
      // A live database runs its widgets' SQL itself; imported data is in the warehouse.
      const source = await deps.sources.sources.owned(ctx, sourceId);
      if (source.mode !== "live") return "duckdb";
      return source.format === "mysql" ? "mysql" : "postgresql";
    },
    tokens: createShareTokens(platform.secretKey),
  });
  let unsubscribe: (() => void) | undefined;
  return {
    name: "dashboards",
    dashboards,
    routes(api) {
      registerDashboardsRoutes(api, {
        dashboards,
        publicUrl: (token) => `${publicUrl(platform.config)}/shared/${token}`,
        exports: deps.sources.exports,
        tables: async (ctx) => {
          const found: TemplateTable[] = [];
          let cursor: string | undefined;
          do {
            const page = await deps.sources.sources.list(ctx, { limit: 200, ...(cursor ? { cursor } : {}) });
            for (const source of page.items)
              if (source.status === "ready" && source.mode !== "live") found.push(...source.tables);
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          return found;
        },
      });
    },
    async start() {
      unsubscribe = platform.events.subscribe((event) => {
        const workspaceId = event.workspaceId;
        if (!workspaceId) return;
        if (event.type === workspaceDeletedEvent) {
          dashboards
            .removeWorkspace(workspaceId)
            .catch((error: unknown) =>
              platform.log.error(
                { err: error, workspaceId },
                "could not remove a deleted workspace's dashboards",
              ),
            );
          return;
        }
        // New data is in (profiling afterwards changes no rows).
        if (
          event.type !== "data_processed" ||
          event.data.status !== "ready" ||
          event.data.phase === "profiled"
        )
          return;
        dashboards.forgetDrawn(workspaceId);
        dashboards
          .withData(workspaceId)
          .then((found) =>
            Promise.all(
              found.map((dashboard) =>
                platform.events.publish({
                  type: "dashboard_updated",
                  workspaceId,
                  data: {
                    dashboardId: dashboard.id,
                    widgetIds: dashboard.widgetIds,
                    sourceId: event.data.sourceId ?? null,
                  },
                }),
              ),
            ),
          )
          .catch((error: unknown) =>
            platform.log.error({ err: error, workspaceId }, "could not announce updated dashboards"),
          );
      });
    },
    async stop() {
      unsubscribe?.();
    },
  };
}
