import { once } from "node:events";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { signUp, type TestSession } from "../../../test/helpers/auth.js";

/** A multipart body with fields first, then the file, as the upload routes read them. */
async function form(fileName: string, content: string | Buffer, fields: Record<string, string> = {}) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append("file", new Blob([typeof content === "string" ? content : new Uint8Array(content)]), fileName);
  const encoded = new Response(body);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { "content-type": encoded.headers.get("content-type") ?? "" },
  };
}

async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe("file ingest: workbooks, databases, malformed rows and re-uploads", () => {
  let app: TestApp;
  let ann: TestSession;

  beforeAll(async () => {
    app = await createTestApp({
      env: { UPLOAD_MAX_BYTES: "5000000", UPLOAD_MAX_UNCOMPRESSED_BYTES: "50000000" },
    });
    await app.startWorkers();
    ann = await signUp(app, "ann@example.com");
  });
  afterAll(async () => app?.dispose());

  async function post(
    url: string,
    fileName: string,
    content: string | Buffer,
    fields?: Record<string, string>,
  ) {
    const body = await form(fileName, content, fields);
    return app.http.inject({
      method: "POST",
      url: `/api/v1${url}`,
      headers: { ...ann.headers, ...body.headers },
      payload: body.payload,
    });
  }

  async function settled(id: string) {
    for (let i = 0; i < 400; i++) {
      const source = (await app.http.inject({ url: `/api/v1/sources/${id}`, headers: ann.headers })).json();
      if (source.status !== "processing") return source;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("source never settled");
  }

  const sql = async (statement: string) =>
    (
      await app.http.inject({
        method: "POST",
        url: "/api/v1/sql",
        headers: ann.headers,
        payload: { sql: statement },
      })
    ).json();

  const uploads = () => readdirSync(path.join(app.dataDir, "uploads", ann.workspaceId));

  it("loads each sheet of a workbook as a table", async () => {
    const content = await workbook({
      Orders: [
        ["id", "amount", "ordered_on"],
        [1, 10.5, new Date(Date.UTC(2024, 2, 1))],
        [2, 20, new Date(Date.UTC(2024, 2, 2))],
      ],
      Customers: [
        ["id", "name"],
        [1, "Acme"],
      ],
    });
    const response = await post("/sources", "Q1 Report.xlsx", content);
    expect(response.statusCode, response.body).toBe(202);
    const source = await settled(response.json().id);
    expect(source, source.error).toMatchObject({ status: "ready", format: "xlsx", version: 1 });
    expect(source.tables.map((table: { name: string; rows: number }) => [table.name, table.rows])).toEqual([
      ["q1_report_orders", 2],
      ["q1_report_customers", 1],
    ]);
    expect(source.tables[0].columns.map((column: { type: string }) => column.type)).toEqual([
      "integer",
      "decimal",
      "date",
    ]);
    expect((await sql("select sum(amount) as total from q1_report_orders")).rows).toEqual([[30.5]]);
    expect(uploads().filter((name) => name.includes(".part"))).toEqual([]);
  });

  it("refuses a zip bomb named .xlsx at upload, leaving nothing behind", async () => {
    const before = uploads();
    const file = path.join(app.dataDir, "bomb.xlsx");
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.alloc(40 * 1024 * 1024, 0x20), "xl/worksheets/sheet1.xml");
    zip.end();
    const out = createWriteStream(file);
    zip.outputStream.pipe(out);
    await once(out, "close");
    const response = await post("/sources", "bomb.xlsx", readFileSync(file));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: "archive_too_large" });
    expect(uploads()).toEqual(before);
    const notZip = await post("/sources", "fake.xlsx", "id,name\n1,a\n");
    expect(notZip.statusCode).toBe(415);
  });

  it("imports a SQLite database's tables", async () => {
    const { default: sqlite } = await import("node-sqlite3-wasm");
    const file = path.join(app.dataDir, "crm.db");
    const db = new sqlite.Database(file);
    db.exec(
      "create table deals(id integer, stage text, value real); insert into deals values (1, 'won', 1000), (2, 'lost', 50);",
    );
    db.close();
    const response = await post("/sources", "crm.db", readFileSync(file));
    expect(response.statusCode, response.body).toBe(202);
    const source = await settled(response.json().id);
    expect(source).toMatchObject({ status: "ready", format: "sqlite" });
    expect(source.tables.map((table: { name: string }) => table.name)).toEqual(["crm_deals"]);
    expect((await sql("select stage from crm_deals where value > 100")).rows).toEqual([["won"]]);
  });

  const messy = "id,name,amount\n1,a,1.5\n2,b,2.5,extra\n3,c,3.5\n4,d\n";

  it("fails a load with malformed rows under the default policy, naming their lines", async () => {
    const source = await settled((await post("/sources", "messy.csv", messy)).json().id);
    expect(source.status).toBe("failed");
    expect(source.error).toMatch(
      /2 malformed rows \(line 3: Expected Number of Columns: 3 Found: 4; line 5: /,
    );
    expect(source.tables).toEqual([]);
    expect(source.rowPolicy).toBe("reject");
  });

  it("skips malformed rows under rowPolicy=skip and serves them as a quarantine CSV", async () => {
    const response = await post("/sources", "skipped.csv", messy, { rowPolicy: "skip" });
    expect(response.statusCode, response.body).toBe(202);
    const source = await settled(response.json().id);
    expect(source).toMatchObject({
      status: "ready",
      rowPolicy: "skip",
      rejectedRows: 2,
      hasQuarantine: true,
    });
    expect(source.tables[0].rows).toBe(2);
    const download = await app.http.inject({
      url: `/api/v1/sources/${source.id}/quarantine`,
      headers: ann.headers,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toContain("text/csv");
    expect(download.headers["content-disposition"]).toBe('attachment; filename="skipped-rejected-rows.csv"');
    expect(download.body).toMatch(
      /^line,error,original_line\n3,Expected Number of Columns: 3 Found: 4,"2,b,2.5,extra"\n5,/,
    );
  });

  it("answers 404 for the quarantine of a load that skipped nothing", async () => {
    const clean = await settled((await post("/sources", "clean.csv", "a\n1\n")).json().id);
    const response = await app.http.inject({
      url: `/api/v1/sources/${clean.id}/quarantine`,
      headers: ann.headers,
    });
    expect(response.statusCode).toBe(404);
  });

  it("refuses a bad rowPolicy and an empty file", async () => {
    expect((await post("/sources", "x.csv", "a\n1\n", { rowPolicy: "maybe" })).statusCode).toBe(400);
    const empty = await post("/sources", "empty.xlsx", "");
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe("empty_file");
  });

  it("replaces and appends through re-uploads, bumping the version; a failed one keeps the data", async () => {
    const created = await settled(
      (await post("/sources", "ledger.csv", "id,amount\n1,10\n2,20\n")).json().id,
    );
    expect(created.version).toBe(1);
    const count = async () => (await sql("select count(*) as n, sum(amount) as total from ledger")).rows[0];

    const appended = await post(`/sources/${created.id}/upload`, "ledger-march.csv", "amount,id\n30,3\n", {
      mode: "append",
    });
    expect(appended.statusCode, appended.body).toBe(202);
    expect(await settled(created.id)).toMatchObject({ status: "ready", version: 2, name: "ledger.csv" });
    expect(await count()).toEqual([3, 60]);

    const mismatch = await post(`/sources/${created.id}/upload`, "other.csv", "id,total\n4,1\n", {
      mode: "append",
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ code: "columns_mismatch" });
    expect(mismatch.json().detail ?? mismatch.json().message ?? mismatch.body).toMatch(/missing amount/);

    const replaced = await post(`/sources/${created.id}/upload`, "ledger.csv", "id,amount\n9,99\n");
    expect(replaced.statusCode).toBe(202);
    const after = await settled(created.id);
    expect(after).toMatchObject({ status: "ready", version: 3 });
    expect(after.tables[0].rows).toBe(1);
    expect(await count()).toEqual([1, 99]);

    const before = uploads();
    const broken = await post(`/sources/${created.id}/upload`, "ledger.csv", "id,amount\n1,2\n3,4,5\n");
    expect(broken.statusCode).toBe(202);
    const failed = await settled(created.id);
    expect(failed).toMatchObject({ status: "ready", version: 3 });
    expect(failed.error).toMatch(/malformed row/);
    expect(await count()).toEqual([1, 99]);
    // The refused file is gone; nothing new stays behind.
    expect(uploads().filter((name) => !before.includes(name))).toEqual([]);
  });

  const raw = (url: string, body: string | Buffer, contentType = "text/csv") =>
    app.http.inject({
      method: "POST",
      url: `/api/v1${url}`,
      headers: { ...ann.headers, "content-type": contentType },
      payload: body,
    });

  it("takes a file sent as the request body, named and configured in the query string", async () => {
    const before = uploads().length;
    const response = await raw(
      "/sources?fileName=Raw%20Readings.csv&rowPolicy=skip",
      "id,reading\n1,10.5\n2,oops,extra\n3,12\n",
    );
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ name: "Raw Readings.csv", rowPolicy: "skip", format: "csv" });
    const source = await settled(response.json().id);
    expect(source, source.error).toMatchObject({ status: "ready", rejectedRows: 1 });
    expect(source.tables.map((table: { name: string; rows: number }) => [table.name, table.rows])).toEqual([
      ["raw_readings", 2],
    ]);

    const again = await raw(
      `/sources/${source.id}/upload?fileName=more.csv&mode=append`,
      "id,reading\n4,13.5\n",
      "application/octet-stream",
    );
    expect(again.statusCode, again.body).toBe(202);
    expect((await settled(source.id)).tables[0].rows).toBe(3);
    expect(uploads().length).toBeGreaterThan(before);
  });

  it("refuses a raw upload without a name, of an unknown type, or over the limit, keeping nothing", async () => {
    const before = uploads().sort();
    const unnamed = await raw("/sources", "id\n1\n");
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().detail).toContain("?fileName=");
    const unknown = await raw("/sources?fileName=a.exe", "MZ", "application/octet-stream");
    expect(unknown.statusCode).toBe(415);
    const mislabelled = await raw("/sources?fileName=a.csv", "id\n1\n", "image/png");
    expect(mislabelled.statusCode).toBe(415);
    const big = await raw("/sources?fileName=big.csv", Buffer.alloc(5_000_001, "a"));
    expect(big.statusCode).toBe(413);
    expect(big.headers["content-type"]).toContain("application/problem+json");
    expect(uploads().sort()).toEqual(before);
  });

  it("answers 404 for another workspace's source before reading the upload", async () => {
    const ben = await signUp(app, "ben@example.com");
    const mine = (await app.http.inject({ url: "/api/v1/sources", headers: ann.headers })).json().items[0];
    const body = await form("x.csv", "a\n1\n");
    const response = await app.http.inject({
      method: "POST",
      url: `/api/v1/sources/${mine.id}/upload`,
      headers: { ...ben.headers, ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode).toBe(404);
  });
});
