import { getWorkspaceId } from "./current-workspace.ts";

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
  /** The problem's other members, e.g. `attemptsLeft` or `retryAfter` (seconds). */
  readonly extensions: Record<string, unknown>;

  constructor(problem: {
    type?: string;
    title: string;
    status: number;
    detail?: string;
    code: string;
    requestId?: string;
    errors?: FieldError[];
    extensions?: Record<string, unknown>;
  }) {
    super(problem.detail ?? problem.title);
    this.type = problem.type ?? "about:blank";
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.code = problem.code;
    this.requestId = problem.requestId;
    this.errors = problem.errors;
    this.extensions = problem.extensions ?? {};
  }

  /** A numeric extension member, such as `attemptsLeft` or `retryAfter`. */
  number(name: string): number | undefined {
    const value = this.extensions[name];
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  }
}

const problemMembers = new Set([
  "type",
  "title",
  "status",
  "detail",
  "code",
  "requestId",
  "errors",
  "instance",
]);

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Non-2xx statuses whose body is a valid answer rather than a problem (e.g. 503 from /readyz). */
  acceptStatus?: number[];
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Answers that sign in or out themselves: their 401 means "wrong credentials", not "session expired". */
const noRefresh = [
  "/api/v1/auth/login",
  "/api/v1/auth/verify-",
  "/api/v1/auth/register",
  "/api/v1/auth/refresh",
  "/api/v1/auth/logout",
  "/api/v1/auth/resend-otp",
  "/api/v1/auth/password-reset",
  "/api/v1/setup",
];

const signedOutListeners = new Set<() => void>();

/** Called when the session is gone for good (refresh refused); returns the unsubscribe function. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

function signalSignedOut(): void {
  for (const listener of signedOutListeners) listener();
}

/** A cookie readable by scripts (the CSRF token is; the session cookies are HttpOnly). */
export function readCookie(name: string): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

function baseHeaders(method: Method): Record<string, string> {
  const headers: Record<string, string> = {
    accept: "application/json, application/problem+json",
    "x-sightline-client": "web",
  };
  const csrf = readCookie("sl_csrf");
  if (method !== "GET" && csrf) headers["x-csrf-token"] = csrf;
  const workspaceId = getWorkspaceId();
  if (workspaceId) headers["x-workspace-id"] = workspaceId;
  return headers;
}

const networkError = () =>
  new ApiError({
    title: "Network error",
    status: 0,
    code: "network_error",
    detail: "Could not reach the Sightline server. Check that it is running and try again.",
  });

async function send(method: Method, path: string, options: RequestOptions): Promise<Response> {
  const headers = baseHeaders(method);
  if (options.body !== undefined) headers["content-type"] = "application/json";
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    // Cancellation is TanStack Query's business, not a failure to report.
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw networkError();
  }
}

type RefreshOutcome = "refreshed" | "signed_out" | "unreachable";
let refreshing: Promise<RefreshOutcome> | undefined;

/** One refresh for every request that found its access token expired at the same time. */
function refreshSession(): Promise<RefreshOutcome> {
  refreshing ??= (async (): Promise<RefreshOutcome> => {
    // The refresh needs the CSRF token; without the cookie there is no session left to refresh.
    if (!readCookie("sl_csrf")) return "signed_out";
    try {
      const response = await fetch("/api/v1/auth/refresh", {
        method: "POST",
        headers: baseHeaders("POST"),
        credentials: "same-origin",
      });
      return response.ok ? "refreshed" : "signed_out";
    } catch {
      return "unreachable";
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/** Sends once, and again after a refresh when the access token had expired. */
async function sendWithRefresh(path: string, attempt: () => Promise<Response>): Promise<Response> {
  let response = await attempt();
  if (response.status === 401 && !noRefresh.some((prefix) => path.startsWith(prefix))) {
    const outcome = await refreshSession();
    if (outcome === "unreachable") throw networkError();
    if (outcome === "refreshed") response = await attempt();
    if (response.status === 401) signalSignedOut();
  }
  return response;
}

async function answerOf<T>(response: Response, acceptStatus?: number[]): Promise<T> {
  if (response.ok || acceptStatus?.includes(response.status)) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  throw await toApiError(response);
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await sendWithRefresh(path, () => send(method, path, options));
  return answerOf<T>(response, options.acceptStatus);
}

export interface UploadOptions {
  /** Bytes sent so far and in all; called as the request body goes out. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

function responseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const at = line.indexOf(":");
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return headers;
}

/** A POST of form data through XMLHttpRequest, since fetch cannot report upload progress. */
function sendForm(path: string, body: FormData, options: UploadOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException("The upload was cancelled", "AbortError"));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    for (const [name, value] of Object.entries(baseHeaders("POST"))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
    };
    xhr.onload = () => {
      const nullBody = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
      resolve(
        new Response(nullBody ? null : xhr.responseText, {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: responseHeaders(xhr.getAllResponseHeaders()),
        }),
      );
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException("The upload was cancelled", "AbortError"));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** Uploads form data (a file, say) with progress; failures become the same ApiError as other calls. */
async function upload<T>(path: string, body: FormData, options: UploadOptions = {}): Promise<T> {
  const response = await sendWithRefresh(path, () => sendForm(path, body, options));
  return answerOf<T>(response);
}

/** A file the server sent, with the name it gave in Content-Disposition. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** `attachment; filename="query-2024.csv"` → `query-2024.csv`. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1];
}

/**
 * Fetches a file with the same headers, CSRF token and session refresh as every other call, so
 * that downloads work where a plain link cannot send them; failures become an ApiError.
 */
async function download(
  method: "GET" | "POST",
  path: string,
  options: RequestOptions & { fallbackName: string },
): Promise<DownloadedFile> {
  const response = await sendWithRefresh(path, () => send(method, path, options));
  if (!response.ok) throw await toApiError(response);
  const blob = await response.blob();
  return { blob, fileName: fileNameOf(response.headers.get("content-disposition")) ?? options.fallbackName };
}

/** Hands a fetched file to the browser's downloads. */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = file.fileName;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
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
  const extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !problemMembers.has(key)));
  const retryAfter = Number(response.headers.get("retry-after"));
  if (extensions.retryAfter === undefined && retryAfter > 0) extensions.retryAfter = retryAfter;
  return new ApiError({
    title: str(body.title) ?? (response.statusText || `HTTP ${response.status}`),
    status: typeof body.status === "number" ? body.status : response.status,
    code: str(body.code) ?? `http_${response.status}`,
    ...(type ? { type } : {}),
    ...(detail ? { detail } : {}),
    ...(reqId ? { requestId: reqId } : {}),
    ...(Array.isArray(body.errors) ? { errors: body.errors as FieldError[] } : {}),
    extensions,
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
  upload,
  download,
  get: <T>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PUT", path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PATCH", path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("DELETE", path, options),
};
