import { rmSync } from "node:fs";
import path from "node:path";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import sqlite from "node-sqlite3-wasm";
import { Invalid } from "../../../platform/errors.js";
import { csvFile } from "./csv-out.js";
import type { DeclaredForeignKey, ExtractedTable } from "./xlsx.js";

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  return String(value);
}

/** The foreign keys a SQLite table declares; a reference without columns means the primary key. */
function foreignKeysOf(db: InstanceType<typeof sqlite.Database>, table: string): DeclaredForeignKey[] {
  const keys = new Map<number, DeclaredForeignKey>();
  for (const row of db.all(`pragma foreign_key_list(${quoteIdent(table)})`)) {
    const id = Number(row.id);
    const key = keys.get(id) ?? { columns: [], table: String(row.table), references: [] };
    key.columns.push(String(row.from));
    if (row.to !== null && row.to !== undefined) key.references.push(String(row.to));
    keys.set(id, key);
  }
  for (const key of keys.values()) {
    if (key.references.length > 0) continue;
    key.references = db
      .all(`pragma table_info(${quoteIdent(key.table)})`)
      .filter((column) => Number(column.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((column) => String(column.name));
  }
  return [...keys.values()].filter((key) => key.references.length === key.columns.length);
}

/**
 * Every base table of a SQLite file (no views, no virtual tables), streamed to a CSV each in
 * `workDir`. SQLite runs as WebAssembly, read-only: nothing in the file executes but the
 * `select *` of each table. Blobs are written as hex text (`\x0102`).
 */
export async function readSqlite(
  file: string,
  options: { workDir: string; prefix: string; label: string; onRows?: (table: string, rows: number) => void },
): Promise<ExtractedTable[]> {
  let db: InstanceType<typeof sqlite.Database>;
  try {
    db = new sqlite.Database(file, { readOnly: true });
  } catch (error) {
    throw new Invalid(
      `${options.label} could not be opened as a SQLite database: ${(error as Error).message}`,
    );
  }
  const tables: ExtractedTable[] = [];
  const written: string[] = [];
  try {
    const found = db
      .all(
        "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name",
      )
      .filter((row) => !/^\s*create\s+virtual\s/i.test(String(row.sql ?? "")))
      .map((row) => String(row.name));
    if (found.length === 0) throw new Invalid(`${options.label} holds no tables`);
    for (const [index, name] of found.entries()) {
      const columns = db.all(`pragma table_info(${quoteIdent(name)})`).map((row) => String(row.name));
      const target = path.join(options.workDir, `${options.prefix}-${index}.csv`);
      written.push(target);
      const out = csvFile(target);
      let rows = 0;
      const statement = db.prepare(`select * from ${quoteIdent(name)}`);
      try {
        await out.write(columns);
        for (const row of statement.iterate()) {
          const record = row as Record<string, unknown>;
          await out.write(columns.map((column) => text(record[column])));
          // The reads are synchronous: let the server breathe between batches.
          if (++rows % 5_000 === 0) {
            options.onRows?.(name, rows);
            await yieldToLoop();
          }
        }
        await out.close();
      } catch (error) {
        out.abort();
        throw error;
      } finally {
        statement.finalize();
      }
      tables.push({ key: name, file: target, rows, foreignKeys: foreignKeysOf(db, name) });
      options.onRows?.(name, rows);
    }
    return tables;
  } catch (error) {
    for (const done of written) rmSync(done, { force: true });
    if (error instanceof Invalid) throw error;
    throw new Invalid(`${options.label} could not be read as a SQLite database: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
