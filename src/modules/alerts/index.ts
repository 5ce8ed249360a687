import { z } from "zod";
import { publicUrl } from "../../config.js";
import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import type { MemberDirectory } from "../auth/index.js";
import type { DashboardsService } from "../dashboards/index.js";
import type { SourcesModule } from "../sources/index.js";
import { workspaceDeletedEvent } from "../workspaces/index.js";
import { registerAlertsRoutes } from "./alerts.routes.js";
import { ALERT_CHECK_JOB, type AlertsService, createAlertsService } from "./alerts.service.js";
import {
  createSubscriptionsService,
  SUBSCRIPTION_JOB,
  type SubscriptionsService,
} from "./subscriptions.service.js";

/** Retries after a failed check or delivery, the first after a minute, then doubling. */
const RETRIES = 3;

/** Alerts on questions and scheduled e-mail subscriptions of dashboards and questions. */
export function createAlertsModule(
  platform: Platform,
  deps: { sources: SourcesModule; dashboards: DashboardsService; directory: MemberDirectory },
): Module & { alerts: AlertsService; subscriptions: SubscriptionsService } {
  const appUrl = publicUrl(platform.config);
  const sql = deps.sources.sources.sql;
  const common = {
    db: platform.database.db,
    clock: platform.clock,
    jobs: platform.jobs,
    mail: platform.mail,
    directory: deps.directory,
    appUrl,
  };
  const alerts = createAlertsService({ ...common, sql: (ctx, input) => sql(ctx, input) });
  const subscriptions = createSubscriptionsService({
    ...common,
    dashboards: deps.dashboards,
    sql: (ctx, input) => sql(ctx, input),
  });
  const backoffMs = platform.config.ALERT_RETRY_BACKOFF_MS;
  let unsubscribe: (() => void) | undefined;
  return {
    name: "alerts",
    alerts,
    subscriptions,
    routes(api) {
      registerAlertsRoutes(api, { alerts, subscriptions });
    },
    jobs: [
      {
        name: ALERT_CHECK_JOB,
        payload: z.object({ alertId: z.uuid() }),
        retries: RETRIES,
        backoffMs,
        // Reads the warehouse: the process that holds it runs the check.
        serveOnly: true,
        handler: (payload, context) =>
          alerts.check(payload.alertId, { jobId: context.jobId, lastAttempt: context.attempt > RETRIES }),
      },
      {
        name: SUBSCRIPTION_JOB,
        payload: z.object({ subscriptionId: z.uuid() }),
        retries: RETRIES,
        backoffMs,
        serveOnly: true,
        handler: (payload, context) =>
          subscriptions.deliver(payload.subscriptionId, {
            jobId: context.jobId,
            lastAttempt: context.attempt > RETRIES,
          }),
      },
    ],
    async start() {
      unsubscribe = platform.events.subscribe((event) => {
        if (event.type !== workspaceDeletedEvent || !event.workspaceId) return;
        const workspaceId = event.workspaceId;
        Promise.all([alerts.removeWorkspace(workspaceId), subscriptions.removeWorkspace(workspaceId)]).catch(
          (error: unknown) =>
            platform.log.error({ err: error, workspaceId }, "could not remove a deleted workspace's alerts"),
        );
      });
    },
    async stop() {
      unsubscribe?.();
    },
  };
}
