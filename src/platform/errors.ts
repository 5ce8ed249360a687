/**
 * Typed errors. Each carries an HTTP status and a stable machine-readable code; the HTTP
 * error handler turns them into application/problem+json (RFC 9457).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(400, "invalid", message, extra);
  }
}

export class Unauthorized extends AppError {
  constructor(
    message = "Authentication required",
    code = "unauthorized",
    extra: Record<string, unknown> = {},
  ) {
    super(401, code, message, extra);
  }
}

export class Forbidden extends AppError {
  constructor(
    message = "You do not have permission to do this",
    code = "forbidden",
    extra: Record<string, unknown> = {},
  ) {
    super(403, code, message, extra);
  }
}

/** The account or resource is locked for a while; `retryAfter` says how long. */
export class Locked extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = "locked",
  ) {
    super(423, code, message, { retryAfter: retryAfterSeconds });
  }
}

export class NotFound extends AppError {
  constructor(what = "Resource", extra: Record<string, unknown> = {}) {
    super(404, "not_found", `${what} not found`, extra);
  }
}

export class Conflict extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(409, "conflict", message, extra);
  }
}

export class PayloadTooLarge extends AppError {
  constructor(message: string) {
    super(413, "payload_too_large", message);
  }
}

export class RateLimited extends AppError {
  constructor(
    message = "Too many requests",
    readonly retryAfterSeconds?: number,
    code = "rate_limited",
  ) {
    super(429, code, message, retryAfterSeconds ? { retryAfter: retryAfterSeconds } : {});
  }
}

export class Upstream extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(502, "upstream_error", message, extra);
  }
}

export class Unavailable extends AppError {
  constructor(message: string) {
    super(503, "unavailable", message);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
