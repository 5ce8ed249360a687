import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import {
  addMember,
  inWorkspace,
  multipartFile,
  signUp,
  type TestSession,
} from "../../../test/helpers/auth.js";

// 20 customers; one segment is blank and one headcount is not a number.
const customersCsv = [
  "id,name,segment,employees",
  ...Array.from({ length: 20 }, (_, i) => {
    const segment = i === 4 ? '"  "' : i % 2 ? "smb" : "enterprise";
    const employees = i === 7 ? "n/a" : String((i + 1) * 10);
    return `${i + 1},Customer ${i + 1},${segment},${employees}`;
  }),
].join("\n");
// Orders name customers 1–20 and one unknown customer, 99: 20 of 21 ids are found (0.95). The last row repeats.
const ordersCsv = [
  "order_id,customer_id,amount",
  ...Array.from({ length: 60 }, (_, i) => `${i + 1},${i === 59 ? 99 : (i % 20) + 1},${(i + 1) * 1.5}`),
  "60,99,90",
].join("\n");

describe("profile, quality and relationships routes", () => {
  let app: TestApp;
  let ann: TestSession;
  let ben: TestSession;
  let customers: string;
  let orders: string;

  beforeAll(async () => {
    app = await createTestApp();
    ann = await signUp(app, "ann@example.com");
    ben = await signUp(app, "ben@example.com");
  });
  afterAll(async () => app?.dispose());

  async function upload(as: TestSession, fileName: string, content: string) {
    const body = await multipartFile("file", fileName, content);
    const response = await app.http.inject({
      method: "POST",
      url: "/api/v1/sources",
      headers: { ...as.headers, ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode, response.body).toBe(202);
    return response.json().id as string;
  }

  async function settled(as: TestSession, id: string) {
    for (let i = 0; i < 400; i++) {
      const source = (await app.http.inject({ url: `/api/v1/sources/${id}`, headers: as.headers })).json();
      const profiled =
        source.status !== "ready" ||
        !(await app.http.inject({ url: `/api/v1/sources/${id}/profile`, headers: as.headers })).json()
          .profiling;
      if (source.status !== "processing" && profiled) return source;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("source never settled");
  }

  const call = (
    as: TestSession,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: object,
  ) =>
    app.http.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) });

  const relationships = async (as: TestSession, query = "") =>
    (await call(as, "GET", `/relationships${query}`)).json().items as {
      id: string;
      fromTable: string;
      fromColumn: string;
      toTable: string;
      toColumn: string;
      origin: string;
      status: string;
      confidence: number | null;
    }[];

  it("answers 409 for the profile while the first load runs", async () => {
    // Workers start after this test: the loads wait in the queue.
    customers = await upload(ann, "customers.csv", customersCsv);
    const early = await call(ann, "GET", `/sources/${customers}/profile`);
    expect(early.statusCode).toBe(409);
    expect(early.headers["content-type"]).toContain("application/problem+json");
    expect(early.json().detail ?? early.json().title).toMatch(/still loading/);
    orders = await upload(ann, "orders.csv", ordersCsv);
    await app.startWorkers();
  });

  it("profiles a loaded file and reports what needs a look", async () => {
    expect((await settled(ann, customers)).status).toBe("ready");
    const response = await call(ann, "GET", `/sources/${customers}/profile`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ sourceId: customers, status: "ready", version: 1 });
    const [table] = body.profile;
    expect(table).toMatchObject({ table: "customers", rows: 20, duplicateRows: 0 });
    const byName = Object.fromEntries(table.columns.map((column: { name: string }) => [column.name, column]));
    expect(byName.id).toMatchObject({ type: "integer", nulls: 0, distinct: 20, min: 1, max: 20 });
    expect(byName.id.histogram).toHaveLength(10);
    expect(byName.id.top[0]).toEqual({ value: 1, count: 1 });
    expect(byName.segment).toMatchObject({ type: "text", blanks: 1, distinct: 3 });
    expect(byName.employees).toMatchObject({
      typeMismatches: 1,
      expectedType: "number",
      mismatchExamples: ["n/a"],
    });
    expect(
      body.quality.map((issue: { kind: string; column?: string }) => `${issue.kind} ${issue.column ?? ""}`),
    ).toEqual(["blanks segment", "type_mismatch employees"]);
    expect(body.quality[1]).toMatchObject({ count: 1, examples: ["n/a"] });
  });

  it("detects that orders refer to customers after loading", async () => {
    expect((await settled(ann, orders)).status).toBe("ready");
    let found = await relationships(ann);
    // Detection runs in the profiling job that follows every load.
    for (let i = 0; i < 100 && found.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      found = await relationships(ann);
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      fromTable: "orders",
      fromColumn: "customer_id",
      toTable: "customers",
      toColumn: "id",
      origin: "detected",
      status: "active",
    });
    expect(found[0]?.confidence).toBeCloseTo(20 / 21, 5);
    const profile = (await call(ann, "GET", `/sources/${orders}/profile`)).json();
    expect(profile.profile[0]).toMatchObject({ table: "orders", rows: 61, duplicateRows: 1 });
    expect(profile.quality).toEqual([
      { table: "orders", kind: "duplicate_rows", count: 1, message: "1 row repeats an earlier row exactly" },
    ]);
    expect(await relationships(ann, "?table=products")).toEqual([]);
  });

  it("takes manual relationships between existing columns, once", async () => {
    const pair = { fromTable: "orders", fromColumn: "order_id", toTable: "customers", toColumn: "id" };
    const created = await call(ann, "POST", "/relationships", pair);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ ...pair, origin: "manual", status: "active", confidence: null });
    const again = await call(ann, "POST", "/relationships", pair);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("conflict");
    const missing = await call(ann, "POST", "/relationships", { ...pair, toColumn: "customer_code" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail ?? missing.json().title).toMatch(/customers has no column customer_code/);
    const nowhere = await call(ann, "POST", "/relationships", { ...pair, toTable: "suppliers" });
    expect(nowhere.statusCode).toBe(400);
    // A manual relationship is really deleted.
    expect((await call(ann, "DELETE", `/relationships/${created.json().id}`)).statusCode).toBe(204);
    expect(
      (await call(ann, "PATCH", `/relationships/${created.json().id}`, { status: "active" })).statusCode,
    ).toBe(404);
  });

  it("dismisses a detected relationship for good, and confirms it again on request", async () => {
    const [detected] = await relationships(ann);
    expect((await call(ann, "DELETE", `/relationships/${detected?.id}`)).statusCode).toBe(204);
    expect((await relationships(ann))[0]).toMatchObject({ id: detected?.id, status: "dismissed" });
    const rerun = await call(ann, "POST", "/relationships/detect");
    expect(rerun.statusCode, rerun.body).toBe(200);
    expect(rerun.json()).toMatchObject({ added: 0, found: [{ id: detected?.id, status: "dismissed" }] });
    expect(await relationships(ann, "?status=active")).toEqual([]);
    const confirmed = await call(ann, "PATCH", `/relationships/${detected?.id}`, { status: "active" });
    expect(confirmed.json()).toMatchObject({ status: "active", origin: "detected" });
  });

  it("lets viewers read relationships and profiles but not change them", async () => {
    const vic = await signUp(app, "vic@example.com");
    await addMember(app, ann, ann.workspaceId, vic, "viewer");
    const viewer = inWorkspace(vic, ann.workspaceId);
    expect(await relationships(viewer)).toHaveLength(1);
    expect((await call(viewer, "GET", `/sources/${customers}/profile`)).statusCode).toBe(200);
    expect((await call(viewer, "POST", "/relationships/detect")).statusCode).toBe(403);
    const [only] = await relationships(viewer);
    expect((await call(viewer, "DELETE", `/relationships/${only?.id}`)).statusCode).toBe(403);
  });

  it("answers 404 to another workspace", async () => {
    const [only] = await relationships(ann);
    expect((await call(ben, "GET", `/sources/${customers}/profile`)).statusCode).toBe(404);
    expect((await call(ben, "PATCH", `/relationships/${only?.id}`, { status: "dismissed" })).statusCode).toBe(
      404,
    );
    expect((await call(ben, "DELETE", `/relationships/${only?.id}`)).statusCode).toBe(404);
    expect(await relationships(ben)).toEqual([]);
    const elsewhere = await call(ben, "POST", "/relationships", {
      fromTable: "orders",
      fromColumn: "customer_id",
      toTable: "customers",
      toColumn: "id",
    });
    expect(elsewhere.statusCode).toBe(400);
    expect((await relationships(ann))[0]).toMatchObject({ id: only?.id, status: "active" });
  });

  it("drops detected relationships when their source is deleted", async () => {
    expect((await call(ann, "DELETE", `/sources/${customers}`)).statusCode).toBe(204);
    expect(await relationships(ann)).toEqual([]);
  });
});
