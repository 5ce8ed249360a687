import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import type { SourcesModule } from "../sources/index.js";
import { registerInsightsRoutes } from "./insights.routes.js";
import { createInsightsService } from "./insights.service.js";

export { analyse, type Insight } from "./analyse.js";
export { forecast } from "./forecast.js";
export { mannKendall, robustAnomalies, seasonality } from "./stats.js";

/** Insights: statistics of a result or a table, each a structured object and one plain sentence. */
export function createInsightsModule(_platform: Platform, deps: { sources: SourcesModule }): Module {
  const insights = createInsightsService({ sql: (ctx, input) => deps.sources.sources.sql(ctx, input) });
  return {
    name: "insights",
    routes(api) {
      registerInsightsRoutes(api, { insights });
    },
  };
}
