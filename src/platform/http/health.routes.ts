import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Metrics } from "../metrics.js";

/** A readiness check: resolves when the dependency answers, throws when it does not. */
export type ReadinessCheck = () => Promise<void>;

const checkTimeoutMs = 2_000;

export function registerHealthRoutes(
  app: FastifyInstance,
  options: { metrics: Metrics; version: string; checks: Record<string, ReadinessCheck> },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/healthz",
    {
      schema: {
        operationId: "health",
        summary: "Liveness: the process is up",
        tags: ["operations"],
        response: { 200: z.object({ status: z.literal("ok"), version: z.string() }) },
      },
    },
    async () => ({ status: "ok" as const, version: options.version }),
  );

  const readiness = z.object({
    status: z.enum(["ready", "not_ready"]),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional(), ms: z.number() })),
  });
  typed.get(
    "/readyz",
    {
      schema: {
        operationId: "ready",
        summary: "Readiness: the database, Redis and the job system answer",
        tags: ["operations"],
        response: { 200: readiness, 503: readiness },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(
        Object.entries(options.checks).map(async ([name, check]) => {
          const started = performance.now();
          try {
            await withTimeout(check(), checkTimeoutMs);
            return [name, { ok: true, ms: Math.round(performance.now() - started) }] as const;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            return [
              name,
              { ok: false, error: message, ms: Math.round(performance.now() - started) },
            ] as const;
          }
        }),
      );
      const ok = results.every(([, result]) => result.ok);
      return reply
        .status(ok ? 200 : 503)
        .send({ status: ok ? "ready" : "not_ready", checks: Object.fromEntries(results) });
    },
  );

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    reply.type(options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
