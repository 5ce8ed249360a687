import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../errors.js";

/** RFC 9457 problem details, as every error leaves the API. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem" });

export type Problem = z.infer<typeof problemSchema>;

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  423: "Locked",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function problem(
  status: number,
  code: string,
  detail: string | undefined,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:sightline:problem:${code}`,
    title: titles[status] ?? "Error",
    status,
    code,
    ...(detail ? { detail } : {}),
    ...extra,
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem) {
  return reply
    .status(body.status)
    .type("application/problem+json")
    .serializer(JSON.stringify)
    .send({ ...body, instance: request.url, requestId: String(request.id) });
}

/** Maps any thrown value to a problem; unknown errors become a 500 that leaks nothing. */
export function toProblem(error: unknown, log: Pick<FastifyBaseLogger, "error">): Problem {
  if (error instanceof AppError) {
    return problem(error.status, error.code, error.message, error.extra);
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const where = fastifyError.validationContext ?? "request";
    const errors = fastifyError.validation.map((issue) => ({
      path: [
        where,
        ...String(issue.instancePath ?? "")
          .split("/")
          .filter(Boolean),
      ].join("."),
      message: issue.message ?? "invalid",
    }));
    const first = errors[0];
    return problem(400, "validation_failed", first ? `${first.path}: ${first.message}` : "Invalid request", {
      errors,
    });
  }
  if (isResponseSerializationError(fastifyError)) {
    log.error({ err: error }, "response did not match its schema");
    return problem(500, "internal", "The server could not produce a valid response");
  }
  const status = typeof fastifyError.statusCode === "number" ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code =
      fastifyError.code === "FST_ERR_CTP_INVALID_JSON_BODY" || /JSON/.test(fastifyError.message)
        ? "malformed_json"
        : (fastifyError.code ?? "bad_request").toLowerCase();
    return problem(status, code, fastifyError.message);
  }
  log.error({ err: error }, "unhandled error");
  return problem(500, "internal", "Something went wrong on our side; the error has been logged");
}
