import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { loadCsv } from "../../../test/helpers/ask.js";
import { addMember, inWorkspace, signUp, type TestSession } from "../../../test/helpers/auth.js";
import type { AlertsService } from "./alerts.service.js";

const salesCsv = ["id,region,amount", "1,Europe,100", "2,Europe,200", "3,Asia,50"].join("\n");

/** Alerts and subscriptions through the API, checked and delivered by the real job runner into the outbox. */
describe("alerts and subscriptions API", () => {
  let app: TestApp;
  let ann: TestSession; // owner of A
  let vic: TestSession; // viewer in A
  let ben: TestSession; // owner of B

  beforeAll(async () => {
    app = await createTestApp({ env: { ALERT_RETRY_BACKOFF_MS: "0" } });
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
    vic = inWorkspace(await signUp(app, "vic@example.com"), ann.workspaceId);
    await addMember(app, ann, ann.workspaceId, vic, "viewer");
    await loadCsv(app, ann, "sales.csv", salesCsv);
  });
  afterAll(async () => {
    await app?.dispose();
  });

  const call = (
    as: TestSession,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: object,
  ) =>
    app.http.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) });
  const mailTo = async (email: string) => (await app.platform.mail.list({ limit: 200, to: email })).items;
  const run = async (as: TestSession, url: string) => {
    const started = await call(as, "POST", url);
    expect(started.statusCode, started.body).toBe(202);
    return app.platform.jobs.waitFor(started.json().jobId, 30_000);
  };
  const alert = (overrides: object = {}) => ({
    name: "Big sales",
    question: "Total sales",
    sql: "select sum(amount) as total from sales",
    condition: { kind: "threshold", op: ">", value: 300 },
    cron: "daily",
    ...overrides,
  });

  it("fires an alert once per check, with the chart inline, to its members", async () => {
    const created = await call(ann, "POST", "/alerts", alert({ recipients: [ann.user.id, vic.user.id] }));
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(await app.platform.jobs.schedules.get(`alert:${id}`)).toMatchObject({
      jobName: "alerts.check",
      paused: false,
    });

    const job = await run(ann, `/alerts/${id}/check`);
    expect(job.status).toBe("completed");
    expect(job.result).toEqual({ fired: true });
    const [mail] = await mailTo("vic@example.com");
    expect(mail).toMatchObject({ subject: "Alert: Big sales", template: "alerts.fired" });
    expect(mail?.text).toContain("total is 350, > 300.");
    expect(mail?.attachments).toEqual([
      { filename: "chart.png", contentType: "image/png", size: expect.any(Number) },
    ]);
    const firings = (await call(vic, "GET", `/alerts/${id}/firings`)).json().items;
    expect(firings).toMatchObject([{ status: "sent", value: 350, jobId: job.id }]);

    // The same check again (a retry after a crash): no second e-mail, no second firing.
    expect((await call(ann, "GET", `/alerts/${id}`)).json().lastValue).toBe(350);

    // The same check again, as after a crash between sending and recording: nothing is sent twice.
    const module = app.modules.find((entry) => entry.name === "alerts") as unknown as {
      alerts: AlertsService;
    };
    expect(await module.alerts.check(id, { jobId: job.id, lastAttempt: false })).toEqual({ fired: true });
    expect(
      (await mailTo("vic@example.com")).filter((item) => item.subject === "Alert: Big sales"),
    ).toHaveLength(1);
    expect((await call(vic, "GET", `/alerts/${id}/firings`)).json().items).toHaveLength(1);
  });

  it("stays silent while snoozed or below its threshold", async () => {
    const id = (await call(ann, "POST", "/alerts", alert({ name: "Snoozed" }))).json().id;
    const snoozed = await call(ann, "POST", `/alerts/${id}/snooze`, {
      until: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(snoozed.statusCode).toBe(200);
    expect((await run(ann, `/alerts/${id}/check`)).result).toEqual({ fired: false, skipped: "snoozed" });
    const quiet = (
      await call(
        ann,
        "POST",
        "/alerts",
        alert({ name: "Quiet", condition: { kind: "threshold", op: ">", value: 10_000 } }),
      )
    ).json().id;
    expect((await run(ann, `/alerts/${quiet}/check`)).result).toEqual({ fired: false });
    expect((await mailTo("ann@example.com")).filter((mail) => /Snoozed|Quiet/.test(mail.subject))).toEqual(
      [],
    );
  });

  it("fails closed: a question that no longer runs sends no alert, is retried, and its author is told", async () => {
    const id = (
      await call(
        ann,
        "POST",
        "/alerts",
        alert({ name: "Broken", sql: "select count(*) as n from targets", condition: { kind: "has_rows" } }),
      )
    ).json()?.id;
    // targets does not exist: the alert cannot be saved.
    expect(id).toBeUndefined();
    const targets = await loadCsv(app, ann, "targets.csv", "region,target\nEurope,1\n");
    const broken = (
      await call(
        ann,
        "POST",
        "/alerts",
        alert({ name: "Broken", sql: "select count(*) as n from targets", condition: { kind: "has_rows" } }),
      )
    ).json().id;
    expect((await call(ann, "DELETE", `/sources/${targets.id}`)).statusCode).toBe(204);
    const job = await run(ann, `/alerts/${broken}/check`);
    expect(job.status).toBe("failed");
    expect(job.attempts).toBe(4);
    const mails = (await mailTo("ann@example.com")).filter((mail) => mail.subject.includes("Broken"));
    expect(mails.map((mail) => mail.subject)).toEqual(["Alert not checked: Broken"]);
    const firings = (await call(ann, "GET", `/alerts/${broken}/firings`)).json().items;
    expect(firings).toMatchObject([{ status: "failed", jobId: job.id }]);
    expect(firings[0].message).toMatch(/^The alert could not be checked: /);
  });

  it("refuses a bad schedule, outsiders as recipients and viewers; another workspace sees nothing", async () => {
    const badCron = await call(ann, "POST", "/alerts", alert({ cron: "every now and then" }));
    expect(badCron.statusCode).toBe(400);
    const outsider = await call(ann, "POST", "/alerts", alert({ recipients: [ben.user.id] }));
    expect(outsider.statusCode).toBe(400);
    expect((await call(vic, "POST", "/alerts", alert())).statusCode).toBe(403);
    const id = (await call(ann, "GET", "/alerts")).json().items[0].id;
    for (const url of [`/alerts/${id}`, `/alerts/${id}/firings`])
      expect((await call(ben, "GET", url)).statusCode).toBe(404);
    expect((await call(ben, "POST", `/alerts/${id}/check`)).statusCode).toBe(404);
    expect((await call(ben, "GET", "/alerts")).json().items).toEqual([]);
    expect(
      (await call(ann, "GET", "/alerts")).json().items.map((item: { name: string }) => item.name),
    ).not.toContain("every now and then");
  });

  it("e-mails a dashboard as PDF and a question as CSV on request, and records each delivery", async () => {
    const dashboard = (await call(ann, "POST", "/dashboards", { title: "Weekly" })).json();
    await call(ann, "POST", `/dashboards/${dashboard.id}/widgets`, {
      kind: "table",
      title: "Sales",
      sql: "select region, amount from sales",
    });
    const pdf = await call(ann, "POST", "/subscriptions", {
      name: "Weekly report",
      target: { kind: "dashboard", dashboardId: dashboard.id },
      format: "pdf",
      cron: "0 8 * * 1",
      recipients: [vic.user.id],
    });
    expect(pdf.statusCode, pdf.body).toBe(201);
    const job = await run(ann, `/subscriptions/${pdf.json().id}/send`);
    expect(job.result).toEqual({ sent: true });
    const [mail] = (await mailTo("vic@example.com")).filter(
      (item) => item.template === "subscriptions.delivery",
    );
    expect(mail?.subject).toBe("Weekly report: Weekly");
    expect(mail?.attachments[0]).toMatchObject({
      contentType: "application/pdf",
      filename: expect.stringMatching(/^Weekly-\d{4}-\d\d-\d\d\.pdf$/),
    });
    expect((await call(vic, "GET", `/subscriptions/${pdf.json().id}/deliveries`)).json().items).toMatchObject(
      [{ status: "sent", jobId: job.id }],
    );

    const csv = await call(ann, "POST", "/subscriptions", {
      name: "Sales rows",
      target: { kind: "query", title: "Sales", sql: "select * from sales order by id" },
      format: "csv",
      cron: "daily",
    });
    expect(csv.statusCode).toBe(201);
    expect((await run(ann, `/subscriptions/${csv.json().id}/send`)).result).toEqual({ sent: true });
    const wrongFormat = await call(ann, "POST", "/subscriptions", {
      name: "x",
      target: { kind: "dashboard", dashboardId: dashboard.id },
      format: "csv",
      cron: "daily",
    });
    expect(wrongFormat.statusCode).toBe(400);
    expect((await call(ben, "POST", `/subscriptions/${csv.json().id}/send`)).statusCode).toBe(404);
  });
});
