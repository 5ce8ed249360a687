import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import type { AuditLog } from "./audit.service.js";

const auditEventSchema = z
  .object({
    id: z.uuid(),
    action: z.string().describe("`auth.login`, `member.role_changed`, `api_key.created`…"),
    actor: z.object({
      type: z.enum(["user", "api_key", "system"]),
      id: z.string().nullable(),
      label: z.string().nullable(),
    }),
    target: z.object({ type: z.string(), id: z.string(), label: z.string().nullable() }).nullable(),
    workspaceId: z.uuid().nullable().describe("Null for account events such as sign-in."),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AuditEvent" });

export function registerAuditRoutes(
  app: FastifyInstance,
  deps: { audit: AuditLog; memberIds: (workspaceId: string) => Promise<string[]> },
) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/audit-events",
    {
      config: { permission: "audit.read" },
      schema: {
        operationId: "listAuditEvents",
        summary: "The audit log of the current workspace, newest first (admins)",
        description:
          "Privileged changes in the workspace, and the account events (sign-in, lockout, password reset) of its members.",
        tags: ["audit"],
        querystring: pageQuery.extend({
          action: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .optional()
            .describe("Action prefix, e.g. `auth.` or `member.`."),
          actorId: z.uuid().optional(),
          targetId: z.string().min(1).max(100).optional(),
          from: z.iso.datetime({ offset: true }).optional().describe("Events at or after this time."),
          to: z.iso.datetime({ offset: true }).optional().describe("Events at or before this time."),
        }),
        response: {
          200: pageOf(auditEventSchema),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const { limit, cursor, action, actorId, targetId, from, to } = request.query;
      const page = await deps.audit.list({
        workspaceId: ctx.workspaceId,
        memberIds: await deps.memberIds(ctx.workspaceId),
        limit,
        ...(cursor ? { cursor } : {}),
        ...(action ? { action } : {}),
        ...(actorId ? { actorId } : {}),
        ...(targetId ? { targetId } : {}),
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
      });
      return {
        items: page.items.map((row) => ({
          id: row.id,
          action: row.action,
          actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
          target:
            row.targetType && row.targetId
              ? { type: row.targetType, id: row.targetId, label: row.targetLabel }
              : null,
          workspaceId: row.workspaceId,
          ip: row.ip,
          userAgent: row.userAgent,
          metadata: row.metadata,
          createdAt: row.createdAt.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
}
