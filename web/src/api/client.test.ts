import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, onSignedOut, withQuery } from "./client.ts";

const realFetch = globalThis.fetch;
let calls: { url: string; init: RequestInit | undefined }[] = [];

function answer(respond: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  calls = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return respond(String(input), init);
  }) as typeof fetch;
}

afterEach(() => {
  globalThis.fetch = realFetch;
  vi.unstubAllGlobals();
});

describe("api client", () => {
  it("turns a problem+json answer into an ApiError with its fields", async () => {
    answer(
      () =>
        new Response(
          JSON.stringify({
            type: "urn:sightline:problem:validation_failed",
            title: "Bad Request",
            status: 400,
            detail: "body.to: Invalid email address",
            code: "validation_failed",
            requestId: "req-123",
            errors: [{ path: "body.to", message: "Invalid email address" }],
          }),
          { status: 400, headers: { "content-type": "application/problem+json" } },
        ),
    );

    const error = await api.post("/api/v1/outbox/test", { to: "nope" }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      type: "urn:sightline:problem:validation_failed",
      title: "Bad Request",
      status: 400,
      detail: "body.to: Invalid email address",
      code: "validation_failed",
      requestId: "req-123",
      errors: [{ path: "body.to", message: "Invalid email address" }],
      message: "body.to: Invalid email address",
    });
  });

  it("sends JSON with same-origin credentials", async () => {
    answer(() => Response.json({ id: "m1" }, { status: 201 }));

    const created = await api.post<{ id: string }>("/api/v1/outbox/test", { to: "a@example.com" });

    expect(created).toEqual({ id: "m1" });
    expect(calls[0]?.init?.method).toBe("POST");
    expect(calls[0]?.init?.credentials).toBe("same-origin");
    expect(calls[0]?.init?.body).toBe(JSON.stringify({ to: "a@example.com" }));
    expect(new Headers(calls[0]?.init?.headers).get("content-type")).toBe("application/json");
  });

  it("returns undefined for 204 No Content", async () => {
    answer(() => new Response(null, { status: 204 }));

    await expect(api.delete("/api/v1/things/1")).resolves.toBeUndefined();
  });

  it("reports a network failure as an ApiError with status 0 and a readable message", async () => {
    answer(() => {
      throw new TypeError("fetch failed");
    });

    const error = await api.get("/api/v1/jobs").catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: "network_error" });
    expect((error as ApiError).message).toMatch(/could not reach/i);
  });

  it("falls back to the status line and x-request-id when the error body is not a problem", async () => {
    answer(
      () =>
        new Response("<html>Bad gateway</html>", {
          status: 502,
          statusText: "Bad Gateway",
          headers: { "x-request-id": "req-9" },
        }),
    );

    const error = await api.get("/api/v1/jobs").catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ status: 502, title: "Bad Gateway", code: "http_502", requestId: "req-9" });
  });

  it("accepts listed non-2xx statuses as answers (503 from /readyz)", async () => {
    const body = { status: "not_ready", checks: { database: { ok: false, ms: 2000, error: "timeout" } } };
    answer(() => Response.json(body, { status: 503 }));

    await expect(api.get("/readyz", { acceptStatus: [503] })).resolves.toEqual(body);
    await expect(api.get("/readyz")).rejects.toMatchObject({ status: 503 });
  });

  it("builds query strings without empty values", () => {
    expect(withQuery("/api/v1/jobs", { limit: 50, cursor: undefined, status: "failed", name: "" })).toBe(
      "/api/v1/jobs?limit=50&status=failed",
    );
    expect(withQuery("/api/v1/jobs", {})).toBe("/api/v1/jobs");
  });
});

/** A browser's cookie jar and localStorage, as far as the client reads them. */
function browserState(cookie: string, stored: Record<string, string> = {}) {
  const items = new Map(Object.entries(stored));
  vi.stubGlobal("document", { cookie });
  vi.stubGlobal("localStorage", {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  });
}

const header = (index: number, name: string) => new Headers(calls[index]?.init?.headers).get(name);
const unauthorized = () =>
  Response.json(
    { title: "Unauthorized", status: 401, code: "token_expired" },
    { status: 401, headers: { "content-type": "application/problem+json" } },
  );

describe("api client sessions", () => {
  it("identifies the web app, sends the CSRF token on unsafe methods and the current workspace", async () => {
    browserState("theme=dark; sl_csrf=abc%3D123", { "sightline.workspace": "ws-1" });
    answer(() => Response.json({}));

    await api.get("/api/v1/members");
    await api.post("/api/v1/invitations", { email: "a@example.com", role: "viewer" });

    expect(header(0, "x-sightline-client")).toBe("web");
    expect(header(0, "x-csrf-token")).toBeNull();
    expect(header(0, "x-workspace-id")).toBe("ws-1");
    expect(header(1, "x-sightline-client")).toBe("web");
    expect(header(1, "x-csrf-token")).toBe("abc=123");
    expect(header(1, "x-workspace-id")).toBe("ws-1");
  });

  it("leaves out the workspace header when none is chosen", async () => {
    browserState("sl_csrf=t");
    answer(() => Response.json({}));

    await api.get("/api/v1/auth/me");

    expect(header(0, "x-workspace-id")).toBeNull();
  });

  it("refreshes an expired session once for concurrent requests, then retries each once", async () => {
    browserState("sl_csrf=t");
    let refreshed = false;
    answer((url) => {
      if (url === "/api/v1/auth/refresh") {
        refreshed = true;
        return Response.json({ accessToken: "new" });
      }
      return refreshed ? Response.json({ url }) : unauthorized();
    });

    const [members, keys] = await Promise.all([
      api.get<{ url: string }>("/api/v1/members"),
      api.delete<{ url: string }>("/api/v1/api-keys/k1"),
    ]);

    expect(members).toEqual({ url: "/api/v1/members" });
    expect(keys).toEqual({ url: "/api/v1/api-keys/k1" });
    const refreshes = calls.filter((call) => call.url === "/api/v1/auth/refresh");
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.init?.method).toBe("POST");
    expect(new Headers(refreshes[0]?.init?.headers).get("x-csrf-token")).toBe("t");
    expect(calls.filter((call) => call.url === "/api/v1/members")).toHaveLength(2);
    expect(calls.filter((call) => call.url === "/api/v1/api-keys/k1")).toHaveLength(2);
  });

  it("signals signed out when the refresh is refused, and rejects with the 401", async () => {
    browserState("sl_csrf=t");
    answer(() => unauthorized());
    const listener = vi.fn();
    const stop = onSignedOut(listener);

    const error = await api.get("/api/v1/auth/me").catch((thrown: unknown) => thrown);
    stop();

    expect(error).toMatchObject({ status: 401, code: "token_expired" });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(calls.map((call) => call.url)).toEqual(["/api/v1/auth/me", "/api/v1/auth/refresh"]);
  });

  it("does not try a refresh without a CSRF cookie: there is no session to refresh", async () => {
    browserState("");
    answer(() => unauthorized());
    const listener = vi.fn();
    const stop = onSignedOut(listener);

    await expect(api.get("/api/v1/members")).rejects.toMatchObject({ status: 401 });
    stop();

    expect(calls.map((call) => call.url)).toEqual(["/api/v1/members"]);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("takes a 401 from sign-in endpoints as their answer, without refreshing", async () => {
    browserState("sl_csrf=t");
    answer(() =>
      Response.json(
        {
          title: "Unauthorized",
          status: 401,
          code: "invalid_credentials",
          detail: "Wrong e-mail or password",
        },
        { status: 401 },
      ),
    );
    const listener = vi.fn();
    const stop = onSignedOut(listener);

    await expect(api.post("/api/v1/auth/login", { email: "a@b.c", password: "x" })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    await expect(api.post("/api/v1/auth/verify-login", { email: "a@b.c", code: "1" })).rejects.toMatchObject({
      status: 401,
    });
    stop();

    expect(calls.map((call) => call.url)).toEqual(["/api/v1/auth/login", "/api/v1/auth/verify-login"]);
    expect(listener).not.toHaveBeenCalled();
  });

  it("keeps the session when the refresh cannot reach the server", async () => {
    browserState("sl_csrf=t");
    answer((url) => {
      if (url === "/api/v1/auth/refresh") throw new TypeError("fetch failed");
      return unauthorized();
    });
    const listener = vi.fn();
    const stop = onSignedOut(listener);

    await expect(api.get("/api/v1/members")).rejects.toMatchObject({ status: 0, code: "network_error" });
    stop();

    expect(listener).not.toHaveBeenCalled();
  });

  it("exposes problem extensions such as attemptsLeft, and Retry-After as retryAfter", async () => {
    answer((url) =>
      url.endsWith("verify-registration")
        ? Response.json(
            {
              title: "Bad Request",
              status: 400,
              code: "invalid_code",
              detail: "Wrong code",
              attemptsLeft: 2,
            },
            { status: 400 },
          )
        : Response.json(
            { title: "Too Many Requests", status: 429, code: "verification_locked" },
            { status: 429, headers: { "retry-after": "120" } },
          ),
    );

    const wrong = (await api
      .post("/api/v1/auth/verify-registration", { email: "a@b.c", code: "000000" })
      .catch((thrown: unknown) => thrown)) as ApiError;
    const locked = (await api
      .post("/api/v1/auth/resend-otp", { email: "a@b.c", purpose: "registration" })
      .catch((thrown: unknown) => thrown)) as ApiError;

    expect(wrong.number("attemptsLeft")).toBe(2);
    expect(wrong.extensions).toEqual({ attemptsLeft: 2 });
    expect(locked.number("retryAfter")).toBe(120);
  });
});

/** Just enough of XMLHttpRequest for `api.upload`: answers each send with the next of `answers`. */
function fakeXhr(answers: { status: number; body: string; headers?: string }[]) {
  const sent: { path: string; headers: Record<string, string>; body: unknown }[] = [];
  class FakeXhr {
    status = 0;
    statusText = "";
    responseText = "";
    upload: {
      onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;
    } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private path = "";
    private headers: Record<string, string> = {};
    private raw = "";
    open(_method: string, path: string) {
      this.path = path;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    getAllResponseHeaders() {
      return this.raw;
    }
    abort() {
      this.onabort?.();
    }
    send(body: unknown) {
      sent.push({ path: this.path, headers: this.headers, body });
      const answer = answers.shift();
      queueMicrotask(() => {
        if (!answer) return this.onerror?.();
        this.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 });
        this.upload.onprogress?.({ lengthComputable: true, loaded: 10, total: 10 });
        this.status = answer.status;
        this.responseText = answer.body;
        this.raw = answer.headers ?? "";
        this.onload?.();
      });
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return sent;
}

describe("api client uploads", () => {
  it("sends the same headers as other calls and reports progress", async () => {
    browserState("sl_csrf=tok", { "sightline.workspace": "ws-9" });
    const sent = fakeXhr([{ status: 202, body: JSON.stringify({ id: "s1", status: "processing" }) }]);
    const progress: number[] = [];
    const body = new FormData();

    const source = await api.upload<{ id: string }>("/api/v1/sources", body, {
      onProgress: (loaded, total) => progress.push(loaded / total),
    });

    expect(source).toEqual({ id: "s1", status: "processing" });
    expect(progress).toEqual([0.5, 1]);
    expect(sent[0]?.body).toBe(body);
    expect(sent[0]?.headers).toMatchObject({
      "x-sightline-client": "web",
      "x-csrf-token": "tok",
      "x-workspace-id": "ws-9",
    });
  });

  it("turns a problem answer into the same ApiError, request id from the header included", async () => {
    browserState("sl_csrf=tok");
    fakeXhr([
      {
        status: 415,
        body: JSON.stringify({
          title: "Unsupported Media Type",
          status: 415,
          code: "unsupported_file",
          detail: "orders.zip is not a supported file type",
        }),
        headers: "content-type: application/problem+json\r\nx-request-id: req-7\r\n",
      },
    ]);

    const error = await api.upload("/api/v1/sources", new FormData()).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 415,
      code: "unsupported_file",
      detail: "orders.zip is not a supported file type",
      requestId: "req-7",
    });
  });

  it("refreshes an expired session and sends the file again", async () => {
    browserState("sl_csrf=tok");
    answer(() => Response.json({ ok: true })); // the refresh
    const sent = fakeXhr([
      { status: 401, body: JSON.stringify({ title: "Unauthorized", status: 401, code: "token_expired" }) },
      { status: 202, body: JSON.stringify({ id: "s2" }) },
    ]);

    const source = await api.upload<{ id: string }>("/api/v1/sources", new FormData());

    expect(source).toEqual({ id: "s2" });
    expect(calls.map((call) => call.url)).toEqual(["/api/v1/auth/refresh"]);
    expect(sent).toHaveLength(2);
  });

  it("reports a dropped connection as a network error", async () => {
    browserState("");
    fakeXhr([]);
    const error = await api.upload("/api/v1/sources", new FormData()).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 0, code: "network_error" });
  });
});

describe("api client downloads", () => {
  it("posts with the CSRF token and workspace, and names the file from Content-Disposition", async () => {
    browserState("sl_csrf=t", { "sightline.workspace": "ws-1" });
    answer(
      () =>
        new Response("a,b\n1,2\n", {
          headers: { "content-disposition": 'attachment; filename="query-2024-05-01T10-00-00.csv"' },
        }),
    );
    const file = await api.download("POST", "/api/v1/sql/export", {
      body: { sql: "select 1", format: "csv" },
      fallbackName: "query.csv",
    });
    expect(file.fileName).toBe("query-2024-05-01T10-00-00.csv");
    expect(await file.blob.text()).toBe("a,b\n1,2\n");
    expect(header(0, "x-csrf-token")).toBe("t");
    expect(header(0, "x-workspace-id")).toBe("ws-1");
    expect(calls[0]?.init?.body).toBe(JSON.stringify({ sql: "select 1", format: "csv" }));
  });

  it("falls back to a name of its own, and turns a refusal into an ApiError", async () => {
    browserState("sl_csrf=t");
    answer(() => new Response("x"));
    const unnamed = await api.download("GET", "/api/v1/sources/s1/quarantine", { fallbackName: "rows.csv" });
    expect(unnamed.fileName).toBe("rows.csv");

    answer(() =>
      Response.json(
        {
          title: "Bad Request",
          status: 400,
          code: "sql_refused",
          detail: "Only SELECT",
          reason: "not_select",
        },
        { status: 400, headers: { "content-type": "application/problem+json" } },
      ),
    );
    const error = await api
      .download("POST", "/api/v1/sql/export", {
        body: { sql: "delete from t", format: "csv" },
        fallbackName: "q",
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "sql_refused", extensions: { reason: "not_select" } });
  });
});
