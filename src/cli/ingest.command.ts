import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Table from "cli-table3";
import type { Command } from "commander";

interface IngestOptions {
  into: string;
  append?: boolean;
  rowPolicy: string;
  json?: boolean;
}

interface Loaded {
  file: string;
  table: string;
  rows: number;
  rejectedRows: number;
  quarantine?: string;
}

function head(file: string): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(4096);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * `sightline ingest <file|dir>… [--into warehouse.duckdb]`: loads data files into a DuckDB
 * warehouse file through the same readers and loader as the server (CSV, TSV, JSON, Parquet,
 * every sheet of a workbook, every table of a SQLite or DuckDB file), with a progress bar on
 * standard error, then prints the tables and their row counts. `sightline sql --source` queries
 * the warehouse file afterwards. Exits 1 at the first file that does not load; files loaded
 * before it stay loaded (each loads in its own transaction).
 */
export function registerIngestCommand(program: Command) {
  program
    .command("ingest")
    .description("load data files (or every data file of a directory) into a DuckDB warehouse file")
    .argument("<paths...>", "data files or directories")
    .option(
      "--into <file>",
      "the DuckDB warehouse file to load into (created when missing)",
      "sightline.duckdb",
    )
    .option("--append", "add rows to existing tables of the same name instead of replacing them")
    .option(
      "--row-policy <policy>",
      "malformed CSV rows: reject (fail the file) or skip (load the rest, write the skipped ones to <table>.rejected.csv beside the warehouse)",
      "reject",
    )
    .option("--json", "print one JSON object instead of a table")
    .action(async (paths: string[], options: IngestOptions) => {
      const [
        { SingleBar, Presets },
        { openDuckEngine, tableNameOf },
        readers,
        { checkContent },
        { configSchema },
      ] = await Promise.all([
        import("cli-progress"),
        import("../modules/warehouse/duckdb-engine.js"),
        import("../modules/sources/readers/index.js"),
        import("../modules/sources/sniff.js"),
        import("../config.js"),
      ]);
      const workDir = mkdtempSync(path.join(tmpdir(), "sightline-ingest-"));
      const into = path.resolve(options.into);
      let engine: Awaited<ReturnType<typeof openDuckEngine>> | undefined;
      const loaded: Loaded[] = [];
      try {
        if (options.rowPolicy !== "reject" && options.rowPolicy !== "skip") {
          throw new Error("--row-policy must be reject or skip");
        }
        const rowPolicy = options.rowPolicy;
        const maxUncompressedBytes = configSchema.shape.UPLOAD_MAX_UNCOMPRESSED_BYTES.parse(
          process.env.UPLOAD_MAX_UNCOMPRESSED_BYTES || undefined,
        );
        const files: string[] = [];
        for (const given of paths) {
          const resolved = path.resolve(given);
          let stats: ReturnType<typeof statSync>;
          try {
            stats = statSync(resolved);
          } catch {
            throw new Error(`No such file or directory: ${given}`);
          }
          if (stats.isDirectory()) {
            const found = readdirSync(resolved)
              // Not the warehouse itself, nor the rows an earlier run set aside.
              .filter(
                (name) =>
                  readers.uploadFormatOf(name) &&
                  !name.endsWith(".rejected.csv") &&
                  path.join(resolved, name) !== into,
              )
              .sort()
              .map((name) => path.join(resolved, name));
            if (found.length === 0)
              throw new Error(`${given} holds no data files (${readers.supportedExtensions})`);
            files.push(...found);
          } else {
            if (!readers.uploadFormatOf(resolved)) {
              throw new Error(`${given} is not a supported data file (${readers.supportedExtensions})`);
            }
            files.push(resolved);
          }
        }
        const formats = files.map((file) => {
          const declared = readers.uploadFormatOf(file);
          if (!declared) throw new Error(`${file} is not a supported data file`);
          return checkContent(head(file), declared, path.basename(file));
        });
        engine = await openDuckEngine({
          file: into,
          readableDirs: [
            ...new Set([...files.map((file) => path.dirname(file)), workDir, path.dirname(into)]),
          ],
        });
        const bar = new SingleBar(
          { format: "{bar} {percentage}% | {file} {phase}", hideCursor: true, clearOnComplete: false },
          Presets.shades_classic,
        );
        const taken = new Set<string>();
        for (const [index, file] of files.entries()) {
          const label = path.basename(file);
          const format = formats[index] ?? "csv";
          bar.start(100, 0, { file: label, phase: "reading" });
          const expanded = await readers.expandUpload({
            file,
            format,
            label,
            workDir,
            prefix: `${index}`,
            maxUncompressedBytes,
            onRows: (key, rows) => bar.update({ phase: `reading ${key}: ${rows} rows` }),
          });
          try {
            const names = readers.tableNamesFor(label, format, expanded.parts, taken);
            for (const name of names) taken.add(name);
            const quarantine = path.join(path.dirname(into), `${tableNameOf(label)}.rejected.csv`);
            const result = await engine.ingestMany(
              expanded.parts.map((part, at) => ({ ...part, table: names[at] ?? "" })),
              {
                mode: options.append ? "append" : "replace",
                rowPolicy,
                quarantine,
                label,
                onProgress: ({ table, percentage }) =>
                  bar.update(Math.min(99, Math.floor(percentage)), { phase: `loading ${table}` }),
              },
            );
            bar.update(100, { phase: "done" });
            for (const table of result.tables) {
              loaded.push({
                file: label,
                table: table.table,
                rows: table.rows,
                rejectedRows: result.rejected,
                ...(result.quarantine ? { quarantine: result.quarantine } : {}),
              });
            }
          } finally {
            bar.stop();
            expanded.cleanup();
          }
        }
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ into, tables: loaded })}\n`);
        } else {
          const plain = !process.stdout.isTTY;
          const table = new Table({
            head: ["table", "rows", "file"],
            ...(plain ? { style: { head: [], border: [] } } : {}),
          });
          for (const entry of loaded) table.push([entry.table, String(entry.rows), entry.file]);
          process.stdout.write(`${table.toString()}\n`);
          for (const entry of new Map(loaded.filter((e) => e.quarantine).map((e) => [e.file, e])).values()) {
            process.stdout.write(
              `${entry.file}: ${entry.rejectedRows} malformed rows skipped, written to ${entry.quarantine}\n`,
            );
          }
          process.stdout.write(
            `Loaded into ${into}; query it with: sightline sql --source ${options.into} "select …"\n`,
          );
        }
        process.exitCode = 0;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ into, tables: loaded, error: message })}\n`);
        } else {
          process.stderr.write(`sightline: ${message}\n`);
        }
        process.exitCode = 1;
      } finally {
        engine?.close();
        rmSync(workDir, { recursive: true, force: true });
      }
    });
}
