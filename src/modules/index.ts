import type { Platform } from "../platform/index.js";
import type { Module } from "../platform/module.js";
import { createAskModule } from "./ask/index.js";
import { createIdentityModules } from "./auth/index.js";
import { createChartsModule } from "./charts/index.js";
import { createDashboardsModule } from "./dashboards/index.js";
import { createInsightsModule } from "./insights/index.js";
import { createOperationsModule } from "./operations/index.js";
import { createSourcesModule } from "./sources/index.js";

/** Every capability, in the order its routes and jobs are registered. Identity comes first: it authenticates the rest. */
export function createModules(platform: Platform): Module[] {
  const sources = createSourcesModule(platform);
  return [
    ...createIdentityModules(platform),
    sources,
    createAskModule(platform, { sources }),
    createChartsModule(platform, { sources }),
    createDashboardsModule(platform, { sources }),
    createInsightsModule(platform, { sources }),
    createOperationsModule(platform),
  ];
}
