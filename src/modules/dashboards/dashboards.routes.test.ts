import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { loadCsv } from "../../../test/helpers/ask.js";
import { addMember, inWorkspace, signUp, type TestSession } from "../../../test/helpers/auth.js";
import type { AppEvent } from "../../platform/events/index.js";

const salesCsv = [
  "id,region,ordered_on,amount",
  "1,Europe,2024-01-05,100",
  "2,Europe,2024-02-11,200",
  "3,Americas,2024-02-20,50",
  "4,Asia,2024-03-01,75",
  "5,Americas,2024-03-15,300",
].join("\n");

/** Dashboards, widgets, layout, filters, sharing inside the workspace and by public link, through the API. */
describe("dashboards API", () => {
  let app: TestApp;
  let ann: TestSession; // owner of workspace A
  let ana: TestSession; // analyst in A
  let vic: TestSession; // viewer in A
  let ben: TestSession; // owner of workspace B

  beforeAll(async () => {
    app = await createTestApp();
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
    ana = inWorkspace(await signUp(app, "ana@example.com"), ann.workspaceId);
    vic = inWorkspace(await signUp(app, "vic@example.com"), ann.workspaceId);
    await addMember(app, ann, ann.workspaceId, ana, "analyst");
    await addMember(app, ann, ann.workspaceId, vic, "viewer");
    await loadCsv(app, ann, "sales.csv", salesCsv);
  });
  afterAll(async () => {
    await app?.dispose();
  });

  const call = (
    as: TestSession | undefined,
    method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
    url: string,
    payload?: object,
  ) =>
    app.http.inject({
      method,
      url: `/api/v1${url}`,
      headers: as?.headers ?? {},
      ...(payload ? { payload } : {}),
    });

  async function dashboardWithWidgets(title = "Sales") {
    const dashboard = (await call(ann, "POST", "/dashboards", { title })).json();
    const byRegion = await call(ann, "POST", `/dashboards/${dashboard.id}/widgets`, {
      kind: "chart",
      title: "Revenue by region",
      sql: "select region, sum(amount) as revenue from sales group by region order by region",
      spec: { type: "bar", x: "region", y: ["revenue"] },
    });
    expect(byRegion.statusCode, byRegion.body).toBe(201);
    const byDay = await call(ann, "POST", `/dashboards/${dashboard.id}/widgets`, {
      kind: "table",
      title: "Orders",
      sql: "select ordered_on, region, amount from sales order by ordered_on",
    });
    const note = await call(ann, "POST", `/dashboards/${dashboard.id}/widgets`, {
      kind: "markdown",
      markdown: "**Figures in EUR**",
    });
    return { dashboard, byRegion: byRegion.json(), byDay: byDay.json(), note: note.json() };
  }

  it("creates a dashboard with chart, table and markdown widgets laid out on the grid", async () => {
    const { dashboard, byRegion, byDay, note } = await dashboardWithWidgets();
    expect(byRegion.layout).toEqual({ x: 0, y: 0, w: 6, h: 6 });
    expect(byDay).toMatchObject({
      kind: "table",
      spec: { type: "table" },
      layout: { x: 0, y: 6, w: 12, h: 6 },
    });
    expect(note.layout.y).toBe(12);
    const read = await call(vic, "GET", `/dashboards/${dashboard.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().widgets.map((widget: { id: string }) => widget.id)).toEqual([
      byRegion.id,
      byDay.id,
      note.id,
    ]);

    const data = await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byRegion.id}/data`);
    expect(data.statusCode, data.body).toBe(200);
    expect(data.json()).toMatchObject({
      rows: [
        ["Americas", 350],
        ["Asia", 75],
        ["Europe", 300],
      ],
      applied: [],
    });
    expect(data.json().option.series[0].data).toEqual([350, 75, 300]);
    expect(
      (await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${note.id}/data`)).json().markdown,
    ).toBe("**Figures in EUR**");
  });

  it("saves a layout after a drag and keeps it", async () => {
    const { dashboard, byRegion, byDay } = await dashboardWithWidgets("Layout");
    const saved = await call(ann, "PUT", `/dashboards/${dashboard.id}/layout`, {
      items: [
        { id: byRegion.id, x: 6, y: 0, w: 6, h: 4 },
        { id: byDay.id, x: 0, y: 0, w: 6, h: 8 },
      ],
    });
    expect(saved.statusCode).toBe(200);
    const widgets = (await call(ann, "GET", `/dashboards/${dashboard.id}`)).json().widgets;
    expect(widgets.find((widget: { id: string }) => widget.id === byRegion.id).layout).toEqual({
      x: 6,
      y: 0,
      w: 6,
      h: 4,
    });
    expect(
      (
        await call(ann, "PUT", `/dashboards/${dashboard.id}/layout`, {
          items: [{ id: crypto.randomUUID(), x: 0, y: 0, w: 1, h: 1 }],
        })
      ).statusCode,
    ).toBe(404);
    expect((await call(vic, "PUT", `/dashboards/${dashboard.id}/layout`, { items: [] })).statusCode).toBe(
      403,
    );
  });

  it("filters every widget whose result has the field, and lets a request override the saved value", async () => {
    const { dashboard, byRegion, byDay } = await dashboardWithWidgets("Filtered");
    const patched = await call(ann, "PATCH", `/dashboards/${dashboard.id}`, {
      filters: [
        {
          id: "period",
          field: "ordered_on",
          kind: "date_range",
          label: "Period",
          value: { from: "2024-02-01", to: "2024-02-29" },
        },
        { id: "region", field: "region", kind: "category", value: null },
      ],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const table = (await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byDay.id}/data`)).json();
    expect(table.rows.map((row: unknown[]) => row[2])).toEqual([200, 50]);
    expect(table.applied).toEqual(["period"]);
    // The chart's result has no ordered_on column: it is drawn unfiltered.
    const chart = (await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byRegion.id}/data`)).json();
    expect(chart.applied).toEqual([]);
    const crossFiltered = await call(
      vic,
      "GET",
      `/dashboards/${dashboard.id}/widgets/${byRegion.id}/data?filters=${encodeURIComponent(JSON.stringify([{ id: "region", value: ["Europe"] }]))}`,
    );
    expect(crossFiltered.json()).toMatchObject({ rows: [["Europe", 300]], applied: ["region"] });
    expect(
      (await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byRegion.id}/data?filters=oops`))
        .statusCode,
    ).toBe(400);
    const bad = await call(ann, "PATCH", `/dashboards/${dashboard.id}`, {
      filters: [{ id: "x", field: "region", kind: "category", value: { from: "2024-01-01" } }],
    });
    expect(bad.statusCode).toBe(400);
  });

  it("refuses a widget whose spec does not fit its result, or a write, saving nothing", async () => {
    const dashboard = (await call(ann, "POST", "/dashboards", { title: "Refusals" })).json();
    const misfit = await call(ann, "POST", `/dashboards/${dashboard.id}/widgets`, {
      kind: "chart",
      sql: "select region from sales",
      spec: { type: "pie", x: "region" },
    });
    expect(misfit.statusCode).toBe(400);
    const write = await call(ann, "POST", `/dashboards/${dashboard.id}/widgets`, {
      kind: "table",
      sql: "drop table sales",
    });
    expect(write.statusCode).toBe(400);
    expect((await call(ann, "GET", `/dashboards/${dashboard.id}`)).json().widgets).toEqual([]);
  });

  it("exports a widget's filtered rows as CSV and XLSX, and the dashboard as PDF pages and a PNG", async () => {
    const { dashboard, byRegion, byDay } = await dashboardWithWidgets("Export");
    await call(ann, "PATCH", `/dashboards/${dashboard.id}`, {
      filters: [
        { id: "region", field: "region", kind: "category", label: "Region", value: ["Europe", "Asia"] },
      ],
    });
    const csv = await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byDay.id}/export.csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="Orders.csv"');
    expect(csv.body.trim().split("\n")).toEqual([
      "ordered_on,region,amount",
      "2024-01-05,Europe,100",
      "2024-02-11,Europe,200",
      "2024-03-01,Asia,75",
    ]);
    const xlsx = await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byRegion.id}/export.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");

    // Enough rows for the table to run over several pages.
    const many = await call(ann, "POST", `/dashboards/${dashboard.id}/widgets`, {
      kind: "table",
      title: "Many rows",
      sql: "select i, 'row ' || i as label from range(0, 150) t(i)",
    });
    expect(many.statusCode, many.body).toBe(201);
    const pdf = await call(vic, "GET", `/dashboards/${dashboard.id}/export.pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 300)).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = pdf.rawPayload.toString("latin1").match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const png = await call(vic, "GET", `/dashboards/${dashboard.id}/export.png`);
    expect(png.statusCode).toBe(200);
    expect(png.rawPayload.subarray(1, 4).toString()).toBe("PNG");
    expect(png.rawPayload.readUInt32BE(16)).toBe(1800);
    expect((await call(ben, "GET", `/dashboards/${dashboard.id}/export.pdf`)).statusCode).toBe(404);
    const note = (await call(ann, "GET", `/dashboards/${dashboard.id}`))
      .json()
      .widgets.find((widget: { kind: string }) => widget.kind === "markdown");
    expect(
      (await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${note.id}/export.csv`)).statusCode,
    ).toBe(400);
  });

  it("drills from a bar to the rows behind it, with the dashboard's filters", async () => {
    const { dashboard, byRegion, byDay } = await dashboardWithWidgets("Drill");
    const rows = await call(
      vic,
      "GET",
      `/dashboards/${dashboard.id}/widgets/${byRegion.id}/drill?column=region&value=Europe`,
    );
    expect(rows.statusCode, rows.body).toBe(200);
    expect(rows.json().rows.map((row: unknown[]) => row[0])).toEqual([1, 2]);
    await call(ann, "PATCH", `/dashboards/${dashboard.id}`, {
      filters: [{ id: "p", field: "ordered_on", kind: "date_range", value: { from: "2024-02-01" } }],
    });
    const filtered = await call(
      vic,
      "GET",
      `/dashboards/${dashboard.id}/widgets/${byRegion.id}/drill?column=region&value=Europe`,
    );
    expect(filtered.json().rows.map((row: unknown[]) => row[0])).toEqual([2]);
    // A widget that does not group its rows has nothing to drill into.
    expect(
      (
        await call(
          vic,
          "GET",
          `/dashboards/${dashboard.id}/widgets/${byDay.id}/drill?column=region&value=Europe`,
        )
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call(
          ben,
          "GET",
          `/dashboards/${dashboard.id}/widgets/${byRegion.id}/drill?column=region&value=Europe`,
        )
      ).statusCode,
    ).toBe(404);
  });

  it("makes a dashboard from a template for one of the workspace's tables", async () => {
    const templates = (await call(vic, "GET", "/dashboards/templates")).json().items;
    expect(templates.map((template: { id: string }) => template.id)).toEqual(["table-overview", "trend"]);
    const made = await call(ana, "POST", "/dashboards/from-template", {
      template: "table-overview",
      table: "sales",
    });
    expect(made.statusCode, made.body).toBe(201);
    const detail = (await call(ana, "GET", `/dashboards/${made.json().id}`)).json();
    expect(detail.title).toBe("sales: Table overview");
    expect(detail.widgets.map((widget: { title: string }) => widget.title)).toEqual([
      "Rows",
      "Total amount",
      "Total amount by month",
      "Total amount by region",
      "Latest rows",
    ]);
    const total = detail.widgets[1];
    expect(
      (await call(vic, "GET", `/dashboards/${made.json().id}/widgets/${total.id}/data`)).json().rows,
    ).toEqual([[725]]);
    expect(
      (await call(ana, "POST", "/dashboards/from-template", { template: "table-overview", table: "nope" }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(ana, "POST", "/dashboards/from-template", { template: "nope", table: "sales" })).statusCode,
    ).toBe(404);
    expect(
      (await call(vic, "POST", "/dashboards/from-template", { template: "trend", table: "sales" }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call(ben, "POST", "/dashboards/from-template", { template: "trend", table: "sales" }))
        .statusCode,
    ).toBe(404);
  });

  it("duplicates a dashboard with its widgets", async () => {
    const { dashboard } = await dashboardWithWidgets("Original");
    const copy = await call(ana, "POST", `/dashboards/${dashboard.id}/duplicate`, {});
    expect(copy.statusCode).toBe(201);
    expect(copy.json()).toMatchObject({ title: "Original (copy)", createdBy: ana.user.id });
    expect((await call(ana, "GET", `/dashboards/${copy.json().id}`)).json().widgets).toHaveLength(3);
  });

  it("shows a dashboard by access: private to its author, editors-only to analysts and up; another workspace sees nothing", async () => {
    const mine = (await call(ana, "POST", "/dashboards", { title: "Ana's draft", access: "private" })).json();
    const editors = (
      await call(ana, "POST", "/dashboards", { title: "For editors", access: "editors" })
    ).json();
    expect((await call(ana, "GET", `/dashboards/${mine.id}`)).statusCode).toBe(200);
    expect((await call(ann, "GET", `/dashboards/${mine.id}`)).statusCode).toBe(404);
    expect((await call(vic, "GET", `/dashboards/${editors.id}`)).statusCode).toBe(404);
    expect((await call(ann, "GET", `/dashboards/${editors.id}`)).statusCode).toBe(200);
    const listed = (await call(vic, "GET", "/dashboards?limit=200"))
      .json()
      .items.map((item: { id: string }) => item.id);
    expect(listed).not.toContain(mine.id);
    expect(listed).not.toContain(editors.id);
    for (const [method, url] of [
      ["GET", `/dashboards/${editors.id}`],
      ["PATCH", `/dashboards/${editors.id}`],
      ["DELETE", `/dashboards/${editors.id}`],
      ["POST", `/dashboards/${editors.id}/share`],
    ] as const)
      expect(
        (await call(ben, method, url, method === "PATCH" ? { title: "x" } : undefined)).statusCode,
        url,
      ).toBe(404);
    expect((await call(ben, "GET", "/dashboards")).json().items).toEqual([]);
    expect((await call(vic, "POST", "/dashboards", { title: "Nope" })).statusCode).toBe(403);
  });

  it("opens a public read-only link without sign-in, hides the SQL, and stops it when revoked", async () => {
    const { dashboard, byRegion } = await dashboardWithWidgets("Public");
    const shared = await call(ann, "POST", `/dashboards/${dashboard.id}/share`);
    expect(shared.statusCode).toBe(200);
    const { token, url } = shared.json();
    expect(url).toContain(`/shared/${token}`);
    const view = await call(undefined, "GET", `/public/dashboards/${token}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().title).toBe("Public");
    expect(JSON.stringify(view.json())).not.toContain("select");
    const data = await call(undefined, "GET", `/public/dashboards/${token}/widgets/${byRegion.id}/data`);
    expect(data.statusCode).toBe(200);
    expect(data.json().rows).toHaveLength(3);
    expect((await call(ann, "GET", `/dashboards/${dashboard.id}`)).json().shared).toBe(true);

    const tampered = `${token.slice(0, -3)}${token.endsWith("A") ? "B" : "A"}xx`;
    expect((await call(undefined, "GET", `/public/dashboards/${tampered}`)).statusCode).toBe(404);
    expect((await call(ann, "DELETE", `/dashboards/${dashboard.id}/share`)).statusCode).toBe(204);
    expect((await call(undefined, "GET", `/public/dashboards/${token}`)).statusCode).toBe(404);
    expect(
      (await call(undefined, "GET", `/public/dashboards/${token}/widgets/${byRegion.id}/data`)).statusCode,
    ).toBe(404);
  });

  it("announces dashboard_updated when a source's data changes, and serves unaffected widgets from the cache", async () => {
    const { dashboard, byRegion } = await dashboardWithWidgets("Live");
    await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byRegion.id}/data`);
    expect(
      (await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byRegion.id}/data`)).json().cached,
    ).toBe(true);
    const events: AppEvent[] = [];
    const stop = app.platform.events.subscribe((event) => {
      if (event.type === "dashboard_updated") events.push(event);
    });
    await loadCsv(app, ann, "targets.csv", "region,target\nEurope,250\n");
    for (let i = 0; i < 100 && !events.some((event) => event.data.dashboardId === dashboard.id); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    const mine = events.find((event) => event.data.dashboardId === dashboard.id);
    expect(mine?.workspaceId).toBe(ann.workspaceId);
    expect(mine?.data.widgetIds).toEqual([byRegion.id, expect.any(String)]);
    // A new table elsewhere leaves this widget's sources unchanged: still cached.
    expect(
      (await call(vic, "GET", `/dashboards/${dashboard.id}/widgets/${byRegion.id}/data`)).json().cached,
    ).toBe(true);
  });
});
