import Table from "cli-table3";
import type { Command } from "commander";

interface SqlOptions {
  source: string;
  json?: boolean;
  maxRows: string;
  timeout: string;
}

/**
 * `sightline sql --source <file|dir> "<query>"`: runs one read-only query over data files
 * through the same guard and executor as the server. `--json` prints exactly one object:
 * `{"sql", "columns": [{"name","type"}], "rows": [[...]], "error"?}`; a refused or failed
 * query exits 1 with `error` set.
 */
export function registerSqlCommand(program: Command) {
  program
    .command("sql")
    .description("run one read-only SQL query over a data file or a directory of data files")
    .requiredOption(
      "-s, --source <path>",
      "a data file, a directory whose files are each one table named after its stem, or a .duckdb warehouse file (sightline ingest)",
    )
    .option("--json", "print one JSON object instead of a table")
    .option("--max-rows <n>", "most rows to return", "10000")
    .option("--timeout <ms>", "stop the query after this many milliseconds", "60000")
    .argument("<query>", "the SQL query (one SELECT)")
    .action(async (query: string, options: SqlOptions) => {
      const { openLocalSource } = await import("../modules/warehouse/local-source.js");
      const maxRows = Number(options.maxRows);
      const timeoutMs = Number(options.timeout);
      let source: Awaited<ReturnType<typeof openLocalSource>> | undefined;
      try {
        if (!Number.isInteger(maxRows) || maxRows < 1)
          throw new Error("--max-rows must be a positive integer");
        if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
          throw new Error("--timeout must be a positive integer");
        source = await openLocalSource(options.source);
        const result = await source.query(query, { maxRows, timeoutMs });
        const columns = result.columns.map(({ name, type }) => ({ name, type }));
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({ sql: query, columns, rows: result.rows, ...(result.truncated ? { truncated: true } : {}) })}\n`,
          );
        } else {
          const plain = !process.stdout.isTTY;
          const table = new Table({
            head: columns.map((column) => column.name),
            ...(plain ? { style: { head: [], border: [] } } : {}),
          });
          for (const row of result.rows)
            table.push(row.map((cell) => (cell === null ? "NULL" : String(cell))));
          process.stdout.write(`${table.toString()}\n`);
          const count = `${result.rows.length} row${result.rows.length === 1 ? "" : "s"}`;
          process.stdout.write(`${count}${result.truncated ? ` (cut at --max-rows ${maxRows})` : ""}\n`);
        }
        process.exitCode = 0;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ sql: query, columns: [], rows: [], error: message })}\n`);
        } else {
          process.stderr.write(`sightline: ${message}\n`);
        }
        process.exitCode = 1;
      } finally {
        source?.close();
      }
    });
}
