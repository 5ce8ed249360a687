import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import { registerJobsRoutes } from "./jobs.routes.js";
import { registerOutboxRoutes } from "./outbox.routes.js";

/** Operator-facing views of the platform: jobs, schedules and the mail outbox. */
export function createOperationsModule(platform: Platform): Module {
  return {
    name: "operations",
    async routes(app) {
      registerJobsRoutes(app, { jobs: platform.jobs });
      registerOutboxRoutes(app, { mail: platform.mail });
    },
  };
}
