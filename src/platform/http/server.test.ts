import { Validator } from "@seriousme/openapi-schema-validator";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { hasRedis, redisTestUrl } from "../../../test/helpers/services.js";
import { Conflict, NotFound } from "../errors.js";
import { createLogger } from "../log.js";
import { createMetrics } from "../metrics.js";
import { registerHealthRoutes } from "./health.routes.js";
import { createHttpServer, type HttpOptions } from "./server.js";

const redisAvailable = await hasRedis();
const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(
  overrides: Partial<HttpOptions> = {},
  checks: Record<string, () => Promise<void>> = {},
) {
  const metrics = createMetrics();
  const app = await createHttpServer({
    log: createLogger({ level: "silent" }),
    metrics,
    version: "9.9.9",
    corsOrigins: [],
    rateLimit: { max: 1000, windowMs: 60_000 },
    cookieSecret: "test-cookie-secret-of-enough-length",
    ...overrides,
  });
  registerHealthRoutes(app, { metrics, version: "9.9.9", checks });
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    "/api/v1/widgets",
    {
      schema: {
        operationId: "createWidget",
        summary: "Create a widget",
        body: z.object({ name: z.string().min(1), size: z.object({ width: z.number().int().positive() }) }),
        response: { 201: z.object({ id: z.string(), name: z.string() }) },
      },
    },
    async (request, reply) => reply.status(201).send({ id: "w1", name: request.body.name }),
  );
  typed.get("/api/v1/widgets/:id", { schema: { params: z.object({ id: z.string() }) } }, async (request) => {
    if (request.params.id === "taken") throw new Conflict("Widget is locked", { lockedBy: "someone" });
    throw new NotFound("Widget");
  });
  typed.get("/api/v1/boom", async () => {
    throw new Error("database password is hunter2");
  });
  await app.ready();
  servers.push(app);
  return { app, metrics };
}

describe("problem+json errors", () => {
  it("answers an unknown route with 404 problem+json carrying the request id", async () => {
    const { app } = await server();
    const response = await app.inject({ method: "GET", url: "/api/v1/nothing-here" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({
      status: 404,
      code: "route_not_found",
      title: "Not Found",
      instance: "/api/v1/nothing-here",
    });
    expect(body.requestId).toBe(response.headers["x-request-id"]);
  });

  it("keeps a caller's x-request-id", async () => {
    const { app } = await server();
    const response = await app.inject({
      method: "GET",
      url: "/nope",
      headers: { "x-request-id": "abc-123" },
    });
    expect(response.json().requestId).toBe("abc-123");
  });

  it("answers malformed JSON with 400", async () => {
    const { app } = await server();
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/widgets",
      headers: { "content-type": "application/json" },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/problem\+json/);
    expect(response.json().code).toBe("malformed_json");
  });

  it("answers a schema violation with 400 and the paths of the bad fields", async () => {
    const { app } = await server();
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/widgets",
      payload: { name: "", size: { width: -1 } },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe("validation_failed");
    const paths = body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["body.name", "body.size.width"]));
  });

  it("maps typed errors to their status and code, with extra fields", async () => {
    const { app } = await server();
    const missing = await app.inject({ method: "GET", url: "/api/v1/widgets/x" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "not_found", detail: "Widget not found" });
    const conflict = await app.inject({ method: "GET", url: "/api/v1/widgets/taken" });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: "conflict", lockedBy: "someone" });
  });

  it("turns an unexpected error into a 500 that leaks nothing", async () => {
    const { app } = await server();
    const response = await app.inject({ method: "GET", url: "/api/v1/boom" });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("hunter2");
    expect(response.json().code).toBe("internal");
  });
});

describe("OpenAPI", () => {
  it("serves a valid OpenAPI 3.1 document with the routes' operation ids", async () => {
    const { app } = await server();
    const response = await app.inject({ method: "GET", url: "/openapi.json" });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.paths["/api/v1/widgets"].post.operationId).toBe("createWidget");
    const ui = await app.inject({ method: "GET", url: "/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers["content-type"]).toMatch(/text\/html/);
  });
});

describe("operations endpoints", () => {
  it("reports liveness, and readiness from each check", async () => {
    const { app } = await server(
      {},
      {
        database: async () => undefined,
        redis: async () => {
          throw new Error("connection refused");
        },
      },
    );
    expect((await app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok", version: "9.9.9" });
    const ready = await app.inject({ url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database.ok).toBe(true);
    expect(ready.json().checks.redis).toMatchObject({ ok: false, error: "connection refused" });
  });

  it("counts request latency by route template in /metrics", async () => {
    const { app } = await server();
    await app.inject({ method: "GET", url: "/api/v1/widgets/abc" });
    const metrics = await app.inject({ url: "/metrics" });
    expect(metrics.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/v1/widgets/:id",status="404"} 1',
    );
  });

  it("allows cross-origin calls only from CORS_ORIGINS", async () => {
    const closed = await server();
    const origin = { origin: "https://bi.example.com" };
    const denied = await closed.app.inject({ url: "/healthz", headers: origin });
    expect(denied.headers["access-control-allow-origin"]).toBeUndefined();
    const open = await server({ corsOrigins: ["https://bi.example.com"] });
    const allowed = await open.app.inject({ url: "/healthz", headers: origin });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://bi.example.com");
  });

  it("sets security headers", async () => {
    const { app } = await server();
    const response = await app.inject({ url: "/healthz" });
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["content-security-policy"]).toContain("default-src 'self'");
  });
});

describe("rate limiting", () => {
  it("answers 429 problem+json with Retry-After past the limit, and spares health checks", async () => {
    const { app } = await server({ rateLimit: { max: 2, windowMs: 60_000 } });
    for (let i = 0; i < 2; i++) expect((await app.inject({ url: "/api/v1/widgets/x" })).statusCode).toBe(404);
    const limited = await app.inject({ url: "/api/v1/widgets/x" });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["content-type"]).toMatch(/problem\+json/);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.json().code).toBe("rate_limited");
    expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
  });

  describe.skipIf(!redisAvailable)("with Redis", () => {
    it("shares the count between processes", async () => {
      const redis = new Redis(redisTestUrl, { maxRetriesPerRequest: null });
      try {
        const first = await server({ rateLimit: { max: 3, windowMs: 60_000 }, redis });
        const second = await server({ rateLimit: { max: 3, windowMs: 60_000 }, redis });
        const ip = `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join(".")}`;
        const statuses: number[] = [];
        for (const app of [first.app, second.app, first.app, second.app]) {
          statuses.push((await app.inject({ url: "/api/v1/widgets/x", remoteAddress: ip })).statusCode);
        }
        expect(statuses).toEqual([404, 404, 404, 429]);
      } finally {
        redis.disconnect();
      }
    });
  });
});
