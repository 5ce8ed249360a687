import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { setUpOwner, signUp } from "../../../test/helpers/auth.js";
import { createModules } from "../index.js";

/** The operations API over the real app (PGlite) with one extra job to look at. */
describe("jobs and schedules API", () => {
  let app: TestApp;
  let operator: Record<string, string>;

  beforeAll(async () => {
    app = await createTestApp({
      modules: (platform) => [
        ...createModules(platform),
        {
          name: "routes-fixture",
          jobs: [
            {
              name: "fixture.echo",
              payload: z.object({ word: z.string() }),
              handler: async ({ word }: { word: string }) => ({ echoed: word }),
            },
          ],
        },
      ],
    });
    operator = (await setUpOwner(app)).headers;
  });
  afterAll(async () => {
    await app?.dispose();
  });

  const inject = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, payload?: object) =>
    app.http.inject({
      method,
      url: `/api/v1${url}`,
      headers: operator,
      ...(payload !== undefined ? { payload } : {}),
    });

  it("lists jobs newest first, page by page, filtered by name and status", async () => {
    const ids: string[] = [];
    for (const word of ["a", "b", "c"])
      ids.push((await app.platform.jobs.enqueue("fixture.echo", { word })).id);

    const first = await inject("GET", "/jobs?name=fixture.echo&limit=2");
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((job: { id: string }) => job.id)).toEqual([ids[2], ids[1]]);
    expect(page1.items[0]).toMatchObject({
      name: "fixture.echo",
      status: "queued",
      payload: { word: "c" },
      attempts: 0,
    });
    expect(page1.items[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const page2 = (await inject("GET", `/jobs?name=fixture.echo&limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    await inject("POST", `/jobs/${ids[1]}/cancel`);
    const cancelled = (await inject("GET", "/jobs?status=cancelled")).json();
    expect(cancelled.items.map((job: { id: string }) => job.id)).toEqual([ids[1]]);

    const badStatus = await inject("GET", "/jobs?status=lost");
    expect(badStatus.statusCode).toBe(400);
    const badCursor = await inject("GET", "/jobs?cursor=garbage");
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().code).toBe("invalid");
  });

  it("shows a job with its runs, and answers 404 for an unknown id", async () => {
    await app.startWorkers();
    const queued = await app.platform.jobs.enqueue("fixture.echo", { word: "hi" });
    await app.platform.jobs.waitFor(queued.id, 10_000);

    const response = await inject("GET", `/jobs/${queued.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id: queued.id, status: "completed", result: { echoed: "hi" }, attempts: 1 });
    expect(body.runs).toEqual([
      expect.objectContaining({
        attempt: 1,
        status: "completed",
        error: null,
        durationMs: expect.any(Number),
      }),
    ]);
    expect(Date.parse(body.finishedAt)).not.toBeNaN();

    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const missing = await inject("GET", `/jobs/${id}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(missing.json()).toMatchObject({ status: 404, code: "not_found", detail: "Job not found" });
      expect((await inject("POST", `/jobs/${id}/cancel`)).statusCode).toBe(404);
    }
  });

  it("creates, changes, pauses, resumes and removes schedules", async () => {
    const put = (name: string, body: object) => inject("PUT", `/schedules/${name}`, body);

    const badCron = await put("nightly", {
      jobName: "fixture.echo",
      cron: "every night",
      payload: { word: "x" },
    });
    expect(badCron.statusCode).toBe(400);
    expect(badCron.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(badCron.json().detail).toMatch(/Invalid cron "every night"/);
    const badZone = await put("nightly", { jobName: "fixture.echo", cron: "daily", timezone: "Moon/Base" });
    expect(badZone.json()).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/Unknown time zone "Moon\/Base"/),
    });
    const unknownJob = await put("nightly", { jobName: "no.such.job", cron: "daily" });
    expect(unknownJob.json()).toMatchObject({ status: 400, detail: 'Unknown job "no.such.job"' });
    const badPayload = await put("nightly", { jobName: "fixture.echo", cron: "daily", payload: { word: 1 } });
    expect(badPayload.statusCode).toBe(400);

    const created = await put("nightly", {
      jobName: "fixture.echo",
      cron: "daily",
      timezone: "Europe/Berlin",
      payload: { word: "night" },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({
      name: "nightly",
      cron: "daily",
      timezone: "Europe/Berlin",
      paused: false,
    });
    expect(Date.parse(created.json().nextRunAt)).toBeGreaterThan(Date.now());
    await put("hourly-check", { jobName: "fixture.echo", cron: "0 * * * *", payload: { word: "hour" } });

    const changed = await put("nightly", {
      jobName: "fixture.echo",
      cron: "30 6 * * 1-5",
      payload: { word: "morning" },
    });
    expect(changed.json()).toMatchObject({
      cron: "30 6 * * 1-5",
      timezone: "UTC",
      payload: { word: "morning" },
    });

    const paused = await inject("POST", "/schedules/nightly/pause");
    expect(paused.json()).toMatchObject({ paused: true, nextRunAt: null });
    const status = (await inject("GET", "/scheduler/status")).json();
    expect(status).toMatchObject({ kind: "embedded", schedules: 2, activeSchedules: 1, running: 0 });
    expect(Date.parse(status.nextRunAt)).toBeGreaterThan(Date.now());
    const resumed = await inject("POST", "/schedules/nightly/resume");
    expect(resumed.json().paused).toBe(false);

    const page1 = (await inject("GET", "/schedules?limit=1")).json();
    expect(page1.items.map((s: { name: string }) => s.name)).toEqual(["hourly-check"]);
    const page2 = (await inject("GET", `/schedules?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(page2).toEqual({ items: [expect.objectContaining({ name: "nightly" })], nextCursor: null });

    expect((await inject("DELETE", "/schedules/nightly")).statusCode).toBe(204);
    const gone = await inject("DELETE", "/schedules/nightly");
    expect(gone.statusCode).toBe(404);
    expect(gone.json().detail).toBe("Schedule not found");
    expect((await inject("POST", "/schedules/nightly/pause")).statusCode).toBe(404);
  });

  it("documents every route with an operationId", async () => {
    const spec = (await app.http.inject({ method: "GET", url: "/openapi.json" })).json();
    const operations = Object.values(spec.paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((path) => Object.values(path))
      .map((operation) => operation.operationId);
    for (const id of [
      "listJobs",
      "getJob",
      "cancelJob",
      "listSchedules",
      "putSchedule",
      "pauseSchedule",
      "resumeSchedule",
      "deleteSchedule",
      "getSchedulerStatus",
    ]) {
      expect(operations).toContain(id);
    }
  });
  it("is for instance admins only: 401 signed out, 404 for everyone else", async () => {
    const job = await app.platform.jobs.enqueue("fixture.echo", { word: "secret" });
    expect((await app.http.inject({ method: "GET", url: "/api/v1/jobs" })).statusCode).toBe(401);
    const member = await signUp(app, "member@example.com");
    for (const url of [
      "/api/v1/jobs",
      `/api/v1/jobs/${job.id}`,
      "/api/v1/schedules",
      "/api/v1/scheduler/status",
    ]) {
      const response = await app.http.inject({ method: "GET", url, headers: member.headers });
      expect(response.statusCode, url).toBe(404);
    }
    await app.platform.jobs.cancel(job.id);
  });
});
