import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import { registerJobsRoutes } from "./jobs.routes.js";
import { registerOutboxRoutes } from "./outbox.routes.js";

/**
 * Operator-facing views of the platform: jobs, schedules and the mail outbox. They span every
 * workspace (the outbox holds sign-in codes), so only instance admins reach them; to anyone else
 * they answer 404.
 */
export function createOperationsModule(platform: Platform): Module {
  return {
    name: "operations",
    async routes(app) {
      await app.register(async (operator) => {
        operator.addHook("onRoute", (route) => {
          route.config = { ...route.config, auth: "user", operator: true };
        });
        registerJobsRoutes(operator, { jobs: platform.jobs });
        registerOutboxRoutes(operator, { mail: platform.mail });
      });
    },
  };
}
