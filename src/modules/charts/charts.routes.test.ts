import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { customersCsv, loadCsv, ordersCsv } from "../../../test/helpers/ask.js";
import { addMember, inWorkspace, signUp, type TestSession } from "../../../test/helpers/auth.js";

/** Chart types, suggestions, previews, saved charts and their server-drawn images, through the API. */
describe("charts API", () => {
  let app: TestApp;
  let ann: TestSession; // owner of workspace A
  let vic: TestSession; // viewer in A
  let ben: TestSession; // owner of workspace B
  const byStatus = "select status, sum(amount) as total from orders group by status order by status";

  beforeAll(async () => {
    app = await createTestApp();
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
    vic = inWorkspace(await signUp(app, "vic@example.com"), ann.workspaceId);
    await addMember(app, ann, ann.workspaceId, vic, "viewer");
    await loadCsv(app, ann, "customers.csv", customersCsv);
    await loadCsv(app, ann, "orders.csv", ordersCsv);
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

  it("lists at least 20 chart types with the data shape each needs", async () => {
    const response = await call(vic, "GET", "/charts/types");
    expect(response.statusCode).toBe(200);
    const types = response.json().items as { type: string; needs: { measures: number[] } }[];
    expect(types.length).toBeGreaterThanOrEqual(20);
    expect(types.find((entry) => entry.type === "scatter")?.needs.measures).toEqual([2, 2]);
  });

  it("suggests a chart for a result's shape, with the reason", async () => {
    const response = await call(vic, "POST", "/charts/suggest", {
      columns: [
        { name: "month", type: "date" },
        { name: "total", type: "decimal" },
      ],
      rows: [
        ["2024-01-01", 1],
        ["2024-02-01", 2],
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().items[0]).toEqual({
      spec: { type: "line", x: "month", y: ["total"] },
      reason: "A measure over time: a line.",
    });
  });

  it("previews a query drawn as its best suggestion, and refuses a write like POST /sql does", async () => {
    const preview = await call(vic, "POST", "/charts/preview", { sql: byStatus });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json();
    expect(body.rows).toEqual([
      ["closed", 550.25],
      ["open", 175.5],
    ]);
    expect(body.spec.type).toBe("donut");
    expect(body.option.series[0].data).toEqual([
      { name: "closed", value: 550.25 },
      { name: "open", value: 175.5 },
    ]);
    const write = await call(vic, "POST", "/charts/preview", { sql: "delete from orders" });
    expect(write.statusCode).toBe(400);
    expect(write.headers["content-type"]).toContain("application/problem+json");
  });

  it("saves, reads, redraws, renders and deletes a chart; viewers read, other workspaces see nothing", async () => {
    const created = await call(ann, "POST", "/charts", {
      title: "Revenue by status",
      spec: { type: "bar", x: "status", y: ["total"], sort: "desc" },
      sql: byStatus,
    });
    expect(created.statusCode, created.body).toBe(201);
    const chart = created.json();
    expect(chart).toMatchObject({ title: "Revenue by status", createdBy: ann.user.id, sourceId: null });

    const list = await call(vic, "GET", "/charts?limit=10");
    expect(list.json().items.map((item: { id: string }) => item.id)).toEqual([chart.id]);

    const data = await call(vic, "GET", `/charts/${chart.id}/data`);
    expect(data.statusCode).toBe(200);
    expect(data.json().option.series[0].data).toEqual([550.25, 175.5]);
    expect(data.json().option.title.text).toBe("Revenue by status");

    const svg = await call(vic, "GET", `/charts/${chart.id}.svg?width=400&height=300`);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers["content-type"]).toContain("image/svg+xml");
    expect(svg.body).toContain('width="400"');
    expect(svg.body).toContain("Revenue by status");
    const png = await call(vic, "GET", `/charts/${chart.id}.png`);
    expect(png.statusCode).toBe(200);
    expect(png.headers["content-type"]).toBe("image/png");
    expect(png.rawPayload.subarray(1, 4).toString()).toBe("PNG");

    expect((await call(vic, "PATCH", `/charts/${chart.id}`, { title: "Mine now" })).statusCode).toBe(403);
    expect((await call(vic, "DELETE", `/charts/${chart.id}`)).statusCode).toBe(403);
    for (const url of [`/charts/${chart.id}`, `/charts/${chart.id}/data`, `/charts/${chart.id}.png`])
      expect((await call(ben, "GET", url)).statusCode, url).toBe(404);
    expect((await call(ben, "DELETE", `/charts/${chart.id}`)).statusCode).toBe(404);
    expect((await call(ben, "GET", "/charts")).json().items).toEqual([]);

    const renamed = await call(ann, "PATCH", `/charts/${chart.id}`, {
      title: "Revenue",
      spec: { type: "pie", x: "status", y: ["total"] },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ title: "Revenue", spec: { type: "pie" } });

    expect((await call(ann, "DELETE", `/charts/${chart.id}`)).statusCode).toBe(204);
    expect((await call(ann, "GET", `/charts/${chart.id}`)).statusCode).toBe(404);
  });

  it("refuses a spec that does not fit the query's result, and an unknown type, saving nothing", async () => {
    const wrongColumn = await call(ann, "POST", "/charts", {
      title: "Broken",
      spec: { type: "bar", x: "country", y: ["total"] },
      sql: byStatus,
    });
    expect(wrongColumn.statusCode).toBe(400);
    expect(wrongColumn.json().detail).toMatch(/no column "country"/);
    const unknown = await call(ann, "POST", "/charts", {
      title: "x",
      spec: { type: "pyramid" },
      sql: byStatus,
    });
    expect(unknown.statusCode).toBe(400);
    expect((await call(ann, "GET", "/charts")).json().items).toEqual([]);
  });
});
