import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, rmSync } from "node:fs";
import path from "node:path";
import type { DuckEngine } from "../warehouse/duckdb-engine.js";
import { tableNameOf } from "../warehouse/duckdb-engine.js";
import type { Connector, RemoteTable } from "./connectors/index.js";
import type { SourceTable } from "./sources.tables.js";

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteString = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The DuckDB type a remote column is stored as. */
function duckType(column: RemoteTable["columns"][number]): string {
  switch (column.type) {
    case "integer":
      return "BIGINT";
    case "decimal": {
      const exact = /^(numeric|decimal)\s*\((\d+)\s*,\s*(\d+)\)/i.exec(column.sourceType);
      return exact && Number(exact[2]) <= 38 ? `DECIMAL(${exact[2]},${exact[3]})` : "DOUBLE";
    }
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      return /with time zone|tz$/i.test(column.sourceType) ? "TIMESTAMPTZ" : "TIMESTAMP";
    default:
      return "VARCHAR";
  }
}

/**
 * Copies every table of a database into the workspace's warehouse. Each table streams into a
 * newline-delimited JSON file in the upload directory and loads into a staging table with the
 * columns' types; only when all have loaded does one transaction swap them in for the previous
 * tables. A failed import leaves the previous tables as they were.
 */
export async function importTables(input: {
  connector: Connector;
  engine: DuckEngine;
  uploadDir: string;
  sourceId: string;
  /** This source's tables from its last import: a table keeps its name across refreshes. */
  previous: SourceTable[];
  /** Table names other sources of the workspace use. */
  taken: Set<string>;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<SourceTable[]> {
  const { connector, engine } = input;
  const remote = await connector.introspect();
  const previousNames = new Map(input.previous.map((table) => [table.remoteName ?? table.name, table.name]));
  const used = new Set(input.taken);
  const staged: { stage: string; table: SourceTable }[] = [];
  const files: string[] = [];
  const run = { maxRows: 0, timeoutMs: input.timeoutMs, signal: input.signal };
  try {
    for (const [index, table] of remote.entries()) {
      let name = previousNames.get(table.remoteName);
      if (!name || used.has(name)) {
        // tableNameOf reads a file name; the suffix keeps a dot in the table's name from counting as one.
        const base = tableNameOf(`${table.table}.table`);
        name = base;
        for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
      }
      used.add(name);
      const file = path.join(input.uploadDir, `import-${input.sourceId}-${index}.ndjson`);
      files.push(file);
      const out = createWriteStream(file);
      let rows = 0;
      await connector.readTable(
        table,
        async (batch) => {
          for (const row of batch) {
            const record = Object.fromEntries(
              table.columns.map((column, at) => [column.name, row[at] ?? null]),
            );
            if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, "drain");
          }
          rows += batch.length;
        },
        run,
      );
      out.end();
      await once(out, "close");
      const stage = `_sightline_import_${randomBytes(6).toString("hex")}`;
      const columns = table.columns.map(
        (column) => `${quoteString(column.name)}: ${quoteString(duckType(column))}`,
      );
      await engine.query(
        `create table ${quoteIdent(stage)} as select * from read_json(${quoteString(file)}, format = 'newline_delimited', columns = {${columns.join(", ")}})`,
        run,
      );
      staged.push({ stage, table: { name, rows, remoteName: table.remoteName, columns: [] } });
    }
    for (const entry of staged) {
      const described = await engine.query(`select * from ${quoteIdent(entry.stage)} limit 0`, run);
      entry.table.columns = described.columns.map(({ name, type, sourceType }) => ({
        name,
        type,
        sourceType,
      }));
    }
    const gone = input.previous.filter((table) => !staged.some((entry) => entry.table.name === table.name));
    const swap = [
      "begin transaction",
      ...gone.map((table) => `drop table if exists ${quoteIdent(table.name)}`),
      ...staged.flatMap((entry) => [
        `drop table if exists ${quoteIdent(entry.table.name)}`,
        `alter table ${quoteIdent(entry.stage)} rename to ${quoteIdent(entry.table.name)}`,
      ]),
      "commit",
    ];
    await engine.query(swap.join(";\n"), { ...run, timeoutMs: Math.max(run.timeoutMs, 60_000) });
    const tables = staged.map((entry) => entry.table);
    // Swapped in: nothing left to clean up.
    staged.length = 0;
    return tables;
  } finally {
    for (const entry of staged) {
      await engine
        .query(`drop table if exists ${quoteIdent(entry.stage)}`, { maxRows: 0, timeoutMs: 30_000 })
        .catch(() => undefined);
    }
    for (const file of files) rmSync(file, { force: true });
  }
}
