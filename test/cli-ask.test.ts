import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSalesFixture } from "../src/modules/ask/offline/sales.fixture.js";
import { createLlmSimulator } from "../src/simulators/llm/index.js";
import { reply } from "./helpers/ask.js";

const run = promisify(execFile);

const bin = path.resolve("bin/sightline.js");
let root: string;
let data: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "sightline-cli-ask-"));
  data = path.join(root, "sales");
  writeSalesFixture(data, { extended: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function ask(args: string[]) {
  const result = spawnSync(process.execPath, [bin, "ask", "--today", "2024-06-15", ...args], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, AI_PROVIDER: "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("sightline ask --source", () => {
  it("prints one JSON object with the question, SQL, typed columns and rows", () => {
    const result = ask(["--source", data, "--json", "How many customers are in Germany?"]);
    expect(result.status, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(Object.keys(body)).toEqual(["question", "sql", "columns", "rows"]);
    expect(body.question).toBe("How many customers are in Germany?");
    expect(body.sql).toMatch(/count\(\*\)/);
    expect(body.columns).toEqual([{ name: "count", type: "integer" }]);
    expect(body.rows).toEqual([[expect.any(Number)]]);
  });

  it("exits 1 with an error field when the question cannot be answered", () => {
    const result = ask(["--source", data, "--json", "what is the meaning of life?"]);
    expect(result.status).toBe(1);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ question: "what is the meaning of life?", sql: "", columns: [], rows: [] });
    expect(body.error).toEqual(expect.any(String));
  });

  it("prints a table, the SQL and the explanation without --json", () => {
    const result = ask(["--source", data, "revenue by channel in 2024"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("Partner");
    expect(result.stdout).toMatch(/group by "orders"\."channel"/);
    expect(result.stdout).toContain("Total amount of orders, by channel");
  });

  it("answers a 300-question batch over a 10-table directory in order, in under 30 s, failures as error lines", () => {
    const questions = [
      "How many customers are there?",
      "total revenue by region",
      "which customer has the most orders?",
      "what is the meaning of life?",
      "average salary by department",
      "how many tickets are urgent?",
      "average resolution hours per priority",
      "total shipment cost by carrier",
      "number of payments by method in 2024",
      "top 3 suppliers by shipment cost",
    ];
    const batch = Array.from({ length: 300 }, (_, index) => questions[index % questions.length] as string);
    const file = path.join(root, "questions.txt");
    writeFileSync(file, `${batch.join("\n")}\n`);
    const started = performance.now();
    const result = ask(["--source", data, "--batch", file, "--json"]);
    const seconds = (performance.now() - started) / 1000;
    console.log(`sightline ask: 300 questions over 10 tables in ${seconds.toFixed(1)} s`);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(300);
    expect(lines.map((line) => line.question)).toEqual(batch);
    for (const [index, line] of lines.entries()) {
      if (batch[index] === "what is the meaning of life?") expect(line.error).toEqual(expect.any(String));
      else expect(line.error, `${batch[index]}: ${line.sql}`).toBeUndefined();
    }
    expect(seconds).toBeLessThan(30);
  });

  it("reports a missing source as an error object", () => {
    const result = ask(["--source", path.join(root, "nope"), "--json", "how many orders?"]);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).error).toEqual(expect.any(String));
  });
});

describe("sightline ask with an LLM provider", () => {
  it("uses the LLM engine, repairing SQL the data refuses, and prints the contract object", async () => {
    const sim = await createLlmSimulator();
    try {
      sim.script([
        reply("select count(*) as n from orders where no_such_column = 1"),
        reply("select count(*) as n from orders"),
      ]);
      const { stdout } = await run(
        process.execPath,
        [bin, "ask", "--source", data, "--json", "How many orders are there?"],
        {
          encoding: "utf8",
          timeout: 120_000,
          env: {
            ...process.env,
            AI_PROVIDER: "openai",
            AI_BASE_URL: sim.url,
            OPENAI_API_KEY: "test",
            AI_MAX_RETRIES: "0",
          },
        },
      );
      const body = JSON.parse(stdout);
      expect(body).toMatchObject({
        question: "How many orders are there?",
        sql: "select count(*) as n from orders",
      });
      expect(body.rows).toEqual([[expect.any(Number)]]);
      expect(sim.requests).toHaveLength(2);
      // The second request carries the database's error back to the model.
      expect(JSON.stringify(sim.requests[1]?.body)).toContain("no_such_column");
    } finally {
      await sim.close();
    }
  });
});
