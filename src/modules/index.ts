import type { Platform } from "../platform/index.js";
import type { Module } from "../platform/module.js";
import { createAlertsModule } from "./alerts/index.js";
import { createAskModule } from "./ask/index.js";
import { createIdentityModules } from "./auth/index.js";
import { createChartsModule } from "./charts/index.js";
import { createDashboardsModule } from "./dashboards/index.js";
import { createDraftsModule } from "./drafts/index.js";
import { createInsightsModule } from "./insights/index.js";
import { createOperationsModule } from "./operations/index.js";
import { createSourcesModule } from "./sources/index.js";

/** Every capability, in the order its routes and jobs are registered. Identity comes first: it authenticates the rest. */
export function createModules(platform: Platform): Module[] {
  const identity = createIdentityModules(platform);
  const sources = createSourcesModule(platform);
  const dashboards = createDashboardsModule(platform, { sources });
  return [
    ...identity,
    sources,
    createAskModule(platform, { sources }),
    createChartsModule(platform, { sources }),
    dashboards,
    createAlertsModule(platform, {
      sources,
      dashboards: dashboards.dashboards,
      directory: identity.directory,
    }),
    createInsightsModule(platform, { sources }),
    createDraftsModule(platform),
    createOperationsModule(platform),
  ];
}
