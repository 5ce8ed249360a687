import { existsSync } from "node:fs";
import cookie from "@fastify/cookie";
import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import { Locked, RateLimited } from "../errors.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { problem, sendProblem, toProblem } from "./problem.js";

export type HttpServer = FastifyInstance;
/** A Fastify instance whose routes are typed by their Zod schemas. */
export type ZodApp = ReturnType<FastifyInstance["withTypeProvider"]> & FastifyInstance;

export interface HttpOptions {
  log: Logger;
  metrics: Metrics;
  version: string;
  corsOrigins: string[];
  rateLimit: { max: number; windowMs: number };
  redis?: Redis;
  /** Signs cookies (`reply.setCookie(..., { signed: true })`). */
  cookieSecret: string;
  /** Built web app to serve at `/`, when present. */
  webRoot?: string;
}

const unlimited = new Set(["/healthz", "/readyz", "/metrics"]);

export async function createHttpServer(options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: "x-request-id",
    bodyLimit: 10 * 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: "idle",
    ajv: { customOptions: { coerceTypes: "array" } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Responses finished while closing end their keep-alive connection, so close() is not held open.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (closing) reply.header("connection", "close");
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    options.metrics.httpDuration
      .labels(request.method, route, String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error, request.log);
    if ((error instanceof RateLimited || error instanceof Locked) && error.retryAfterSeconds) {
      reply.header("retry-after", String(error.retryAfterSeconds));
    }
    return sendProblem(request, reply, body);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        connectSrc: ["'self'", "ws:", "wss:"],
      },
    },
  });
  // Without allowed origins the browser's same-origin policy is the rule; the plugin would only add cost.
  if (options.corsOrigins.length > 0) {
    await app.register(cors, { origin: options.corsOrigins, credentials: true });
  }
  await app.register(cookie, { secret: options.cookieSecret });
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowMs,
    ...(options.redis ? { redis: options.redis, nameSpace: "sightline:ratelimit:" } : {}),
    allowList: (request) => unlimited.has(request.url),
    errorResponseBuilder: (_request, context) =>
      new RateLimited(
        `Rate limit exceeded: retry in ${Math.ceil(context.ttl / 1000)} s`,
        Math.ceil(context.ttl / 1000),
      ),
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Sightline API",
        version: options.version,
        description: "The Sightline HTTP API. Errors are application/problem+json (RFC 9457).",
      },
      servers: [],
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    transformStaticCSP: (header) => header,
  });
  // Routes are fixed once the server is ready, so the document is serialised once.
  let openapiDocument: string | undefined;
  app.get("/openapi.json", { schema: { hide: true } }, async (_request, reply) => {
    openapiDocument ??= JSON.stringify(app.swagger());
    return reply.type("application/json").send(openapiDocument);
  });

  const webRoot = options.webRoot;
  const hasWeb = webRoot !== undefined && existsSync(`${webRoot}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ["index.html"] });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === "GET" && !request.url.startsWith("/api/") && request.url !== "/api";
    if (hasWeb && wantsPage && (request.headers.accept ?? "").includes("text/html")) {
      return reply.type("text/html").sendFile("index.html");
    }
    return sendProblem(
      request,
      reply,
      problem(404, "route_not_found", `No route ${request.method} ${request.url.split("?")[0]}`),
    );
  });

  return app as unknown as FastifyInstance;
}
