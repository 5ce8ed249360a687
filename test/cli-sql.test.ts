import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = path.resolve("bin/sightline.js");
let root: string;
let data: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-cli-sql-"));
  data = path.join(root, "shop");
  mkdirSync(data);
  writeFileSync(
    path.join(data, "orders.csv"),
    "order_id,customer_id,amount,ordered_on\n1,10,120.50,2024-03-01\n2,11,80.00,2024-03-05\n3,10,19.99,2024-04-11\n",
  );
  writeFileSync(
    path.join(data, "customers.csv"),
    "customer_id,name,country\n10,Acme,Germany\n11,Globex,France\n",
  );
  writeFileSync(path.join(root, "secret.csv"), "secret\n42\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sql(args: string[]) {
  const result = spawnSync(process.execPath, [bin, "sql", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("sightline sql --source", () => {
  it("prints one JSON object with typed columns and rows as arrays", () => {
    const query =
      "select c.name, count(*) as orders, sum(o.amount) as total from orders o join customers c using (customer_id) group by c.name order by total desc";
    const result = sql(["--source", data, "--json", query]);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      sql: query,
      columns: [
        { name: "name", type: "text" },
        { name: "orders", type: "integer" },
        { name: "total", type: "decimal" },
      ],
      rows: [
        ["Acme", 2, 140.49],
        ["Globex", 1, 80],
      ],
    });
  });

  it("queries a single file as a table named after its stem, and prints a table", () => {
    const result = sql([
      "--source",
      path.join(data, "customers.csv"),
      "select name from customers order by name",
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("Acme");
    expect(result.stdout).toContain("Globex");
    expect(result.stdout).toContain("2 rows");
  });

  it.each([
    ["a write", "delete from orders"],
    ["two statements", "select 1; drop table orders"],
    ["a file outside the source", "select * from read_csv('{secret}')"],
    ["an unknown table", "select * from invoices"],
  ])("refuses %s with exit 1 and an error in the JSON", (_what, template) => {
    const query = template.replace("{secret}", path.join(root, "secret.csv"));
    const result = sql(["--source", data, "--json", query]);
    expect(result.status).toBe(1);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ sql: query, columns: [], rows: [] });
    expect(body.error).toEqual(expect.any(String));
  });

  it("reports a missing source and a failing query", () => {
    const missing = sql(["--source", path.join(root, "nope"), "--json", "select 1"]);
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout).error).toContain("No such file");
    const failing = sql(["--source", data, "--json", "select no_such_column from orders"]);
    expect(failing.status).toBe(1);
    expect(JSON.parse(failing.stdout).error).toMatch(/no_such_column/);
  });

  it("cuts results at --max-rows and says so", () => {
    const result = sql(["--source", data, "--json", "--max-rows", "2", "select * from orders"]);
    expect(result.status).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.rows).toHaveLength(2);
    expect(body.truncated).toBe(true);
  });
});
