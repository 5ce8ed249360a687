import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import type { AlertRecord, AlertsService } from "./alerts.service.js";
import type { alertFirings, deliveries } from "./alerts.tables.js";
import { alertConditionSchema } from "./conditions.js";
import type { SubscriptionRecord, SubscriptionsService } from "./subscriptions.service.js";

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const idParams = z.object({ id: z.string() });
const cron = z
  .string()
  .min(1)
  .max(120)
  .describe("A cron expression (5 or 6 fields) or hourly, daily, weekly, monthly.");
const timezone = z
  .string()
  .min(1)
  .max(64)
  .describe("The IANA time zone the schedule is read in; UTC by default.");
const recipients = z.array(z.uuid()).max(100).describe("Member user ids; by default its author.");
const iso = (value: Date | null) => value?.toISOString() ?? null;

const alertSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    question: z.string(),
    sql: z.string(),
    sourceId: z.uuid().nullable(),
    condition: alertConditionSchema,
    cron: z.string(),
    timezone: z.string(),
    recipients: z.array(z.uuid()),
    enabled: z.boolean(),
    snoozedUntil: z.iso.datetime().nullable(),
    lastValue: z.number().nullable(),
    lastCheckedAt: z.iso.datetime().nullable(),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Alert" });

const alertOut = (row: AlertRecord) => ({
  ...row,
  snoozedUntil: iso(row.snoozedUntil),
  lastValue: row.lastValue ?? null,
  lastCheckedAt: iso(row.lastCheckedAt),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const historySchema = z.object({
  id: z.uuid(),
  jobId: z.string(),
  status: z.enum(["sent", "failed"]),
  message: z.string(),
  value: z.number().nullable().optional(),
  mailIds: z.array(z.string()),
  createdAt: z.iso.datetime(),
});
const historyOut = (row: typeof alertFirings.$inferSelect | typeof deliveries.$inferSelect) => ({
  id: row.id,
  jobId: row.jobId,
  status: row.status,
  message: row.message,
  ...("value" in row ? { value: row.value ?? null } : {}),
  mailIds: row.mailIds,
  createdAt: row.createdAt.toISOString(),
});

const targetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("dashboard"), dashboardId: z.uuid() }),
  z.object({
    kind: z.literal("query"),
    title: z.string().min(1).max(200),
    sql: z.string().min(1).max(100_000),
    sourceId: z.uuid().optional(),
  }),
]);

const subscriptionSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    target: targetSchema,
    format: z.enum(["pdf", "png", "csv"]),
    cron: z.string(),
    timezone: z.string(),
    recipients: z.array(z.uuid()),
    enabled: z.boolean(),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Subscription" });
const subscriptionOut = (row: SubscriptionRecord) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const alertBody = z.object({
  name: z.string().min(1).max(200),
  question: z.string().min(1).max(2_000),
  sql: z.string().min(1).max(100_000),
  sourceId: z.uuid().optional(),
  condition: alertConditionSchema,
  cron,
  timezone: timezone.optional(),
  recipients: recipients.optional(),
  enabled: z.boolean().optional(),
});
const subscriptionBody = z.object({
  name: z.string().min(1).max(200),
  target: targetSchema,
  format: z.enum(["pdf", "png", "csv"]).describe("A dashboard: pdf or png; a question: csv or png."),
  cron,
  timezone: timezone.optional(),
  recipients: recipients.optional(),
  enabled: z.boolean().optional(),
});
const jobOut = z.object({ jobId: z.string() });

export function registerAlertsRoutes(
  app: FastifyInstance,
  deps: { alerts: AlertsService; subscriptions: SubscriptionsService },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const read = { config: { permission: "workspace.read" as const } };
  const write = { config: { permission: "data.write" as const } };
  const { alerts, subscriptions } = deps;

  typed.get(
    "/alerts",
    {
      ...read,
      schema: {
        operationId: "listAlerts",
        summary: "The workspace's alerts, newest first",
        tags: ["alerts"],
        querystring: pageQuery,
        response: { 200: pageOf(alertSchema), ...errors },
      },
    },
    async (request) => {
      const page = await alerts.list(contextOf(request), request.query);
      return { items: page.items.map(alertOut), nextCursor: page.nextCursor };
    },
  );
  typed.post(
    "/alerts",
    {
      ...write,
      schema: {
        operationId: "createAlert",
        summary: "Alert on a question: a threshold, a change since the last check, an anomaly, or any row",
        description:
          "The SQL runs once first (the guard of `POST /sql`); recipients must be members. Checked on `cron` by the `alerts.check` job.",
        tags: ["alerts"],
        body: alertBody,
        response: { 201: alertSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(alertOut(await alerts.create(contextOf(request), request.body))),
  );
  typed.get(
    "/alerts/:id",
    {
      ...read,
      schema: {
        operationId: "getAlert",
        summary: "An alert",
        tags: ["alerts"],
        params: idParams,
        response: { 200: alertSchema, ...errors },
      },
    },
    async (request) => alertOut(await alerts.get(contextOf(request), request.params.id)),
  );
  typed.patch(
    "/alerts/:id",
    {
      ...write,
      schema: {
        operationId: "updateAlert",
        summary: "Change an alert, or turn it off and on",
        tags: ["alerts"],
        params: idParams,
        body: alertBody.partial(),
        response: { 200: alertSchema, ...errors },
      },
    },
    async (request) => alertOut(await alerts.update(contextOf(request), request.params.id, request.body)),
  );
  typed.delete(
    "/alerts/:id",
    {
      ...write,
      schema: {
        operationId: "deleteAlert",
        summary: "Delete an alert",
        tags: ["alerts"],
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await alerts.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  typed.post(
    "/alerts/:id/snooze",
    {
      ...write,
      schema: {
        operationId: "snoozeAlert",
        summary: "Snooze an alert until a time (it is still checked, but sends nothing); null wakes it",
        tags: ["alerts"],
        params: idParams,
        body: z.object({ until: z.iso.datetime().nullable() }),
        response: { 200: alertSchema, ...errors },
      },
    },
    async (request) =>
      alertOut(
        await alerts.snooze(
          contextOf(request),
          request.params.id,
          request.body.until ? new Date(request.body.until) : null,
        ),
      ),
  );
  typed.post(
    "/alerts/:id/check",
    {
      ...write,
      schema: {
        operationId: "checkAlert",
        summary: "Check an alert now",
        tags: ["alerts"],
        params: idParams,
        response: { 202: jobOut, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(202).send({ jobId: (await alerts.checkNow(contextOf(request), request.params.id)).id }),
  );
  typed.get(
    "/alerts/:id/firings",
    {
      ...read,
      schema: {
        operationId: "listAlertFirings",
        summary: "When an alert fired, or could not be checked",
        tags: ["alerts"],
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageOf(historySchema), ...errors },
      },
    },
    async (request) => {
      const page = await alerts.firings(contextOf(request), request.params.id, request.query);
      return { items: page.items.map(historyOut), nextCursor: page.nextCursor };
    },
  );

  typed.get(
    "/subscriptions",
    {
      ...read,
      schema: {
        operationId: "listSubscriptions",
        summary: "The workspace's subscriptions, newest first",
        tags: ["alerts"],
        querystring: pageQuery,
        response: { 200: pageOf(subscriptionSchema), ...errors },
      },
    },
    async (request) => {
      const page = await subscriptions.list(contextOf(request), request.query);
      return { items: page.items.map(subscriptionOut), nextCursor: page.nextCursor };
    },
  );
  typed.post(
    "/subscriptions",
    {
      ...write,
      schema: {
        operationId: "createSubscription",
        summary: "E-mail a dashboard (PDF, PNG) or a question (CSV, PNG) on a schedule",
        tags: ["alerts"],
        body: subscriptionBody,
        response: { 201: subscriptionSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(subscriptionOut(await subscriptions.create(contextOf(request), request.body))),
  );
  typed.get(
    "/subscriptions/:id",
    {
      ...read,
      schema: {
        operationId: "getSubscription",
        summary: "A subscription",
        tags: ["alerts"],
        params: idParams,
        response: { 200: subscriptionSchema, ...errors },
      },
    },
    async (request) => subscriptionOut(await subscriptions.get(contextOf(request), request.params.id)),
  );
  typed.patch(
    "/subscriptions/:id",
    {
      ...write,
      schema: {
        operationId: "updateSubscription",
        summary: "Change a subscription, or turn it off and on",
        tags: ["alerts"],
        params: idParams,
        body: subscriptionBody.partial(),
        response: { 200: subscriptionSchema, ...errors },
      },
    },
    async (request) =>
      subscriptionOut(await subscriptions.update(contextOf(request), request.params.id, request.body)),
  );
  typed.delete(
    "/subscriptions/:id",
    {
      ...write,
      schema: {
        operationId: "deleteSubscription",
        summary: "Delete a subscription",
        tags: ["alerts"],
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await subscriptions.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  typed.post(
    "/subscriptions/:id/send",
    {
      ...write,
      schema: {
        operationId: "sendSubscription",
        summary: "Send a subscription now",
        tags: ["alerts"],
        params: idParams,
        response: { 202: jobOut, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send({ jobId: (await subscriptions.sendNow(contextOf(request), request.params.id)).id }),
  );
  typed.get(
    "/subscriptions/:id/deliveries",
    {
      ...read,
      schema: {
        operationId: "listDeliveries",
        summary: "A subscription's deliveries, sent or failed",
        tags: ["alerts"],
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageOf(historySchema), ...errors },
      },
    },
    async (request) => {
      const page = await subscriptions.deliveries(contextOf(request), request.params.id, request.query);
      return { items: page.items.map(historyOut), nextCursor: page.nextCursor };
    },
  );
}
