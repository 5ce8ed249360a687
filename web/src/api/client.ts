/** One field-level problem, as listed in a problem's `errors`. */
export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem turned into an Error. `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly errors: FieldError[] | undefined;

  constructor(problem: {
    type?: string;
    title: string;
    status: number;
    detail?: string;
    code: string;
    requestId?: string;
    errors?: FieldError[];
  }) {
    super(problem.detail ?? problem.title);
    this.type = problem.type ?? "about:blank";
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.code = problem.code;
    this.requestId = problem.requestId;
    this.errors = problem.errors;
  }
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Non-2xx statuses whose body is a valid answer rather than a problem (e.g. 503 from /readyz). */
  acceptStatus?: number[];
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    // Cancellation is TanStack Query's business, not a failure to report.
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError({
      title: "Network error",
      status: 0,
      code: "network_error",
      detail: "Could not reach the Sightline server. Check that it is running and try again.",
    });
  }
  if (response.ok || options.acceptStatus?.includes(response.status)) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  throw await toApiError(response);
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  const requestId = response.headers.get("x-request-id") ?? undefined;
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line below.
  }
  const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);
  const detail = str(body.detail);
  const reqId = str(body.requestId) ?? requestId;
  const type = str(body.type);
  return new ApiError({
    title: str(body.title) ?? (response.statusText || `HTTP ${response.status}`),
    status: typeof body.status === "number" ? body.status : response.status,
    code: str(body.code) ?? `http_${response.status}`,
    ...(type ? { type } : {}),
    ...(detail ? { detail } : {}),
    ...(reqId ? { requestId: reqId } : {}),
    ...(Array.isArray(body.errors) ? { errors: body.errors as FieldError[] } : {}),
  });
}

/** A path with its query string; undefined and empty values are left out. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export const api = {
  request,
  get: <T>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PUT", path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("DELETE", path, options),
};
