import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import type { SourcesModule } from "../sources/index.js";
import { workspaceDeletedEvent } from "../workspaces/index.js";
import { registerChartsRoutes } from "./charts.routes.js";
import { createChartsService } from "./charts.service.js";

export {
  type ChartData,
  type ChartSpec,
  type ChartType,
  chartCatalogue,
  chartSpecSchema,
  chartTypes,
} from "./chart.types.js";
export { type ChartsService, createChartsService } from "./charts.service.js";
export { buildOption, type EChartsOption } from "./option.js";
export { renderSvg, svgToPng } from "./render.js";
export { suggestCharts } from "./suggest.js";

/** Charts: the types Sightline draws, suggestions from a result's shape, saved charts and server-side images. */
export function createChartsModule(
  platform: Platform,
  deps: { sources: SourcesModule },
): Module & { charts: ReturnType<typeof createChartsService> } {
  const charts = createChartsService({
    db: platform.database.db,
    clock: platform.clock,
    sql: (ctx, input) => deps.sources.sources.sql(ctx, input),
  });
  let unsubscribe: (() => void) | undefined;
  return {
    name: "charts",
    charts,
    routes(api) {
      registerChartsRoutes(api, { charts });
    },
    async start() {
      unsubscribe = platform.events.subscribe((event) => {
        if (event.type !== workspaceDeletedEvent || !event.workspaceId) return;
        const workspaceId = event.workspaceId;
        charts
          .removeWorkspace(workspaceId)
          .catch((error: unknown) =>
            platform.log.error({ err: error, workspaceId }, "could not remove a deleted workspace's charts"),
          );
      });
    },
    async stop() {
      unsubscribe?.();
    },
  };
}
