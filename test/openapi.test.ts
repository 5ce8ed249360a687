import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app.js";

let app: TestApp;
let document: { paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>> };

beforeAll(async () => {
  app = await createTestApp();
  document = (await app.http.inject({ method: "GET", url: "/openapi.json" })).json();
});
afterAll(async () => app?.dispose());

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );

it("is a valid OpenAPI 3.1 document with an operationId on every operation", async () => {
  const result = await new Validator().validate(document as never);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  const missing = operations().filter(({ operation }) => !operation.operationId);
  expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  const ids = operations().map(({ operation }) => operation.operationId);
  expect(new Set(ids).size).toBe(ids.length);
});

it("marks exactly the public routes as needing no credentials", () => {
  const open = operations()
    .filter(({ path, operation }) => path.startsWith("/api/v1/") && !operation.security)
    .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
    .sort();
  expect(open).toEqual([
    "GET /api/v1/invitations/lookup",
    "GET /api/v1/public/dashboards/{token}",
    "GET /api/v1/public/dashboards/{token}/widgets/{widgetId}/data",
    "GET /api/v1/setup",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/logout",
    "POST /api/v1/auth/password-reset/confirm",
    "POST /api/v1/auth/password-reset/request",
    "POST /api/v1/auth/refresh",
    "POST /api/v1/auth/register",
    "POST /api/v1/auth/resend-otp",
    "POST /api/v1/auth/verify-login",
    "POST /api/v1/auth/verify-registration",
    "POST /api/v1/setup",
  ]);
});

it("answers 401 to every other route without credentials", async () => {
  const guarded = operations().filter(
    ({ path, operation }) => path.startsWith("/api/v1/") && operation.security,
  );
  expect(guarded.length).toBeGreaterThan(20);
  const answers: string[] = [];
  for (const { path, method } of guarded) {
    const url = path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
    const response = await app.http.inject({ method: method.toUpperCase() as "GET", url, payload: {} });
    answers.push(`${method} ${path} → ${response.statusCode}`);
  }
  expect(answers.filter((line) => !line.endsWith("→ 401"))).toEqual([]);
});
