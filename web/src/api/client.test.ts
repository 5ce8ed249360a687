import { afterEach, describe, expect, it } from "vitest";
import { ApiError, api, withQuery } from "./client.ts";

const realFetch = globalThis.fetch;
let calls: { url: string; init: RequestInit | undefined }[] = [];

function answer(respond: () => Response | Promise<Response>) {
  calls = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return respond();
  }) as typeof fetch;
}

afterEach(() => {
  globalThis.fetch = realFetch;
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
