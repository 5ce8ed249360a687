import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = path.resolve("bin/sightline.js");
let root: string;
let data: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-cli-ingest-"));
  data = path.join(root, "shop");
  mkdirSync(data);
  writeFileSync(path.join(data, "orders.csv"), "order_id,amount\n1,120.50\n2,80.00\n3,19.99\n");
  const book = new ExcelJS.Workbook();
  book.addWorksheet("People").addRows([
    ["name", "joined"],
    ["Ada", new Date(Date.UTC(2024, 0, 5))],
  ]);
  book.addWorksheet("Teams").addRows([["team"], ["Red"], ["Blue"]]);
  await book.xlsx.writeFile(path.join(data, "crm.xlsx"));
  writeFileSync(path.join(root, "messy.csv"), "id,name\n1,a\n2,b,c\n3,d\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    cwd: root,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("sightline ingest", () => {
  it("loads a directory into a warehouse file that sightline sql can query", () => {
    const loaded = run(["ingest", data, "--into", "shop.duckdb", "--json"]);
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout)).toEqual({
      into: path.join(root, "shop.duckdb"),
      tables: [
        { file: "crm.xlsx", table: "crm_people", rows: 1, rejectedRows: 0 },
        { file: "crm.xlsx", table: "crm_teams", rows: 2, rejectedRows: 0 },
        { file: "orders.csv", table: "orders", rows: 3, rejectedRows: 0 },
      ],
    });
    const queried = run([
      "sql",
      "--source",
      "shop.duckdb",
      "--json",
      "select (select sum(amount) from orders) as total, (select joined from crm_people) as joined",
    ]);
    expect(queried.status, queried.stderr).toBe(0);
    expect(JSON.parse(queried.stdout).rows).toEqual([[220.49, "2024-01-05"]]);
  });

  it("prints the tables and row counts, and replaces a table on a second run", () => {
    const again = run(["ingest", path.join(data, "orders.csv"), "--into", "shop.duckdb"]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/orders\s+│?\s*3\s/);
    const count = run(["sql", "--source", "shop.duckdb", "--json", "select count(*) as n from orders"]);
    expect(JSON.parse(count.stdout).rows).toEqual([[3]]);
  });

  it("exits 1 with the malformed lines under the default policy, and sets them aside with --row-policy skip", () => {
    const refused = run(["ingest", "messy.csv", "--into", "messy.duckdb"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("line 3: Expected Number of Columns: 2 Found: 3");
    const skipped = run(["ingest", "messy.csv", "--into", "messy.duckdb", "--row-policy", "skip", "--json"]);
    expect(skipped.status, skipped.stderr).toBe(0);
    expect(JSON.parse(skipped.stdout).tables).toEqual([
      {
        file: "messy.csv",
        table: "messy",
        rows: 2,
        rejectedRows: 1,
        quarantine: path.join(root, "messy.rejected.csv"),
      },
    ]);
    expect(readFileSync(path.join(root, "messy.rejected.csv"), "utf8")).toContain(
      '3,Expected Number of Columns: 2 Found: 3,"2,b,c"',
    );
  });

  it("exits 1 for a missing path or an unsupported file", () => {
    expect(run(["ingest", "nope.csv"]).status).toBe(1);
    writeFileSync(path.join(root, "notes.txt"), "hello");
    const refused = run(["ingest", "notes.txt", "--into", "x.duckdb"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("not a supported data file");
    expect(existsSync(path.join(root, "x.duckdb"))).toBe(false);
  });
});
