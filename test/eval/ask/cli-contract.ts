import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compareResults } from "./compare.js";
import type { AnswerLike } from "./evaluate.js";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/sightline.js");

const isScalar = (value: unknown) => value === null || ["string", "number", "boolean"].includes(typeof value);

/** What is wrong with one `--json` line against the contract `{"question","sql","columns","rows","error"?}`. */
export function contractProblems(line: string, question: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(line);
  } catch {
    return ["not JSON"];
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return ["not a JSON object"];
  const answer = body as Record<string, unknown>;
  const problems: string[] = [];
  if (answer.question !== question) problems.push(`question is ${JSON.stringify(answer.question)}`);
  if (typeof answer.sql !== "string") problems.push("sql is not a string");
  const columns = answer.columns;
  if (
    !Array.isArray(columns) ||
    !columns.every(
      (column) =>
        typeof column === "object" &&
        column !== null &&
        typeof (column as { name?: unknown }).name === "string" &&
        typeof (column as { type?: unknown }).type === "string",
    )
  ) {
    problems.push('columns is not [{"name","type"}]');
  }
  const rows = answer.rows;
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row) && row.every(isScalar))) {
    problems.push("rows is not an array of arrays of JSON values");
  } else if (Array.isArray(columns) && rows.some((row) => (row as unknown[]).length !== columns.length)) {
    problems.push("a row's length differs from the number of columns");
  }
  if ("error" in answer && typeof answer.error !== "string")
    problems.push("error is present but not a string");
  return problems;
}

export interface ContractCheck {
  /** The command ran and every line met the contract. */
  ok: boolean;
  warnings: string[];
  ms: number;
}

/**
 * Runs `sightline ask --source <dir> --batch <file> --json` as the external evaluation does and
 * checks one contract line per question, in order. When the in-process answers are given, also
 * checks that the command answers the same.
 */
export function checkCliContract(options: {
  source: string;
  questions: string[];
  inProcess?: AnswerLike[];
  timeoutMs?: number;
}): ContractCheck {
  const work = mkdtempSync(path.join(tmpdir(), "sightline-eval-cli-"));
  const batch = path.join(work, "questions.txt");
  writeFileSync(batch, `${options.questions.join("\n")}\n`);
  const started = performance.now();
  try {
    const result = spawnSync(
      process.execPath,
      [bin, "ask", "--source", options.source, "--batch", batch, "--json"],
      {
        encoding: "utf8",
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    const ms = performance.now() - started;
    if (result.error)
      return { ok: false, warnings: [`could not run sightline ask: ${result.error.message}`], ms };
    if (/unknown command|unknown option/i.test(result.stderr)) {
      return {
        ok: false,
        warnings: [`sightline ask is not available yet: ${result.stderr.trim().split("\n")[0]}`],
        ms,
      };
    }
    const warnings: string[] = [];
    if (result.status !== 0)
      warnings.push(
        `exit code ${result.status}${result.stderr ? `: ${result.stderr.trim().slice(0, 300)}` : ""}`,
      );
    const lines = result.stdout.split("\n").filter((line) => line.trim() !== "");
    if (lines.length !== options.questions.length) {
      warnings.push(`${lines.length} lines printed for ${options.questions.length} questions`);
    }
    const differing: string[] = [];
    lines.forEach((line, index) => {
      const question = options.questions[index] ?? "";
      const problems = contractProblems(line, question);
      if (problems.length > 0) warnings.push(`line ${index + 1} (${question}): ${problems.join("; ")}`);
      const expected = options.inProcess?.[index];
      if (problems.length === 0 && expected) {
        const printed = JSON.parse(line) as AnswerLike;
        // Rows without an ORDER BY may come in any order from run to run: compare them as a multiset.
        const same =
          printed.sql === expected.sql &&
          Boolean(printed.error) === Boolean(expected.error) &&
          compareResults(expected, printed).match;
        if (!same) differing.push(`"${question}"${printed.sql === expected.sql ? "" : " (different SQL)"}`);
      }
    });
    if (differing.length > 0) {
      warnings.push(
        `${differing.length} answers differ from the in-process answers: ${differing.join(", ")}`,
      );
    }
    return { ok: warnings.length === 0, warnings, ms };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
