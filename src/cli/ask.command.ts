import { readFileSync } from "node:fs";
import Table from "cli-table3";
import type { Command } from "commander";

interface AskOptions {
  source: string;
  json?: boolean;
  batch?: string;
  today?: string;
}

/**
 * `sightline ask --source <file|dir> "<question>"`: answers a plain-language question over data
 * files with the offline engine (or the LLM engine when AI_PROVIDER names a provider), through
 * the same guard and executor as `sightline sql`. `--json` prints one object
 * `{"question","sql","columns","rows","error"?}`; `--batch <file>` answers one question per
 * line, one object per line in order, a failure being an `error` on its line.
 */
export function registerAskCommand(program: Command) {
  program
    .command("ask")
    .description("answer a plain-language question over a data file or a directory of data files")
    .requiredOption(
      "-s, --source <path>",
      "a data file (csv, tsv, json, ndjson, parquet, xlsx, sqlite, duckdb) or a directory whose files are each one table named after its stem",
    )
    .option("--json", "print JSON objects instead of a table")
    .option("--batch <file>", "answer every line of this file as a question, in order")
    .option("--today <date>", "the date relative dates are read against (YYYY-MM-DD); default today")
    .argument("[question]", "the question")
    .action(async (question: string | undefined, options: AskOptions) => {
      const { openLocalAsk } = await import("../modules/ask/local.js");
      let session: Awaited<ReturnType<typeof openLocalAsk>> | undefined;
      const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
      try {
        if (!options.batch && !question) throw new Error("give a question, or --batch <file>");
        const today = options.today ? new Date(`${options.today}T00:00:00Z`) : undefined;
        if (today && Number.isNaN(today.getTime())) throw new Error("--today must be a date (YYYY-MM-DD)");
        const questions = options.batch
          ? readFileSync(options.batch, "utf8")
              .split(/\r?\n/)
              .map((line) => line.trim())
              .filter(Boolean)
          : [question as string];
        session = await openLocalAsk(options.source, today ? { today } : {});
        let failed = false;
        for (const text of questions) {
          const answer = await session.ask(text);
          failed ||= answer.error !== undefined;
          if (options.json) {
            print(answer);
            continue;
          }
          const draft = await session.draft(text);
          process.stdout.write(`${text}\n`);
          if (answer.error) process.stdout.write(`error: ${answer.error}\n`);
          else {
            const plain = !process.stdout.isTTY;
            const table = new Table({
              head: answer.columns.map((column) => column.name),
              ...(plain ? { style: { head: [], border: [] } } : {}),
            });
            for (const row of answer.rows.slice(0, 50))
              table.push(row.map((cell) => (cell === null ? "NULL" : String(cell))));
            process.stdout.write(`${table.toString()}\n`);
            const count = `${answer.rows.length} row${answer.rows.length === 1 ? "" : "s"}`;
            process.stdout.write(`${count}${answer.rows.length > 50 ? " (first 50 shown)" : ""}\n`);
          }
          if (answer.sql) process.stdout.write(`\n${answer.sql}\n`);
          process.stdout.write(`\n${draft.explanation} (confidence ${draft.confidence})\n`);
          if (draft.clarification) {
            process.stdout.write(`${draft.clarification.question}\n`);
            for (const option of draft.clarification.options) process.stdout.write(`  - ${option.label}\n`);
          }
          if (questions.length > 1) process.stdout.write("\n");
        }
        process.exitCode = options.batch ? 0 : failed ? 1 : 0;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (options.json) print({ question: question ?? "", sql: "", columns: [], rows: [], error: message });
        else process.stderr.write(`sightline: ${message}\n`);
        process.exitCode = 1;
      } finally {
        session?.close();
      }
    });
}
