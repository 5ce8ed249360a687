import { rmSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { Invalid } from "../../../platform/errors.js";
import type { ExtractedTable } from "./xlsx.js";

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteString = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Every base table of an uploaded DuckDB file, copied to a Parquet file each in `workDir`.
 * The file opens in its own read-only instance that can reach no file but `workDir`, and only
 * base tables are read: a view or macro in a hostile file (one reading /etc/passwd, say) is
 * never run, and could reach nothing if it were.
 */
export async function readDuckDbFile(
  file: string,
  options: { workDir: string; prefix: string; label: string },
): Promise<ExtractedTable[]> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, { access_mode: "READ_ONLY" });
  } catch (error) {
    throw new Invalid(
      `${options.label} could not be opened as a DuckDB database: ${(error as Error).message}`,
    );
  }
  const connection = await instance.connect();
  const written: string[] = [];
  try {
    await connection.run(`set allowed_directories = [${quoteString(path.resolve(options.workDir))}]`);
    await connection.run("set autoinstall_known_extensions = false");
    await connection.run("set autoload_known_extensions = false");
    await connection.run("set enable_external_access = false");
    await connection.run("set lock_configuration = true");
    const found = (
      await connection.runAndReadAll(
        "select schema_name, table_name, estimated_size from duckdb_tables() " +
          "where database_name = current_database() and not internal and not temporary order by schema_name, table_name",
      )
    ).getRowsJson();
    if (found.length === 0) throw new Invalid(`${options.label} holds no tables`);
    const tables: ExtractedTable[] = [];
    for (const [index, [schema, name]] of found.entries()) {
      const target = path.join(options.workDir, `${options.prefix}-${index}.parquet`);
      written.push(target);
      const from = `${quoteIdent(String(schema))}.${quoteIdent(String(name))}`;
      await connection.run(`copy (select * from ${from}) to ${quoteString(target)} (format parquet)`);
      const counted = await connection.runAndReadAll(`select count(*) from ${from}`);
      tables.push({
        key: schema === "main" ? String(name) : `${schema}_${name}`,
        file: target,
        rows: Number(counted.getRowsJson()[0]?.[0] ?? 0),
      });
    }
    const declared = (
      await connection.runAndReadAll(
        "select schema_name, table_name, constraint_column_names, referenced_table, referenced_column_names " +
          "from duckdb_constraints() where constraint_type = 'FOREIGN KEY' and database_name = current_database()",
      )
    ).getRowsJson();
    for (const [schema, name, columns, referenced, references] of declared) {
      const key = schema === "main" ? String(name) : `${schema}_${name}`;
      const table = tables.find((entry) => entry.key === key);
      const from = (columns as unknown[] | null) ?? [];
      const to = (references as unknown[] | null) ?? [];
      if (!table || from.length === 0 || from.length !== to.length) continue;
      table.foreignKeys = [
        ...(table.foreignKeys ?? []),
        {
          columns: from.map(String),
          table: schema === "main" ? String(referenced) : `${schema}_${referenced}`,
          references: to.map(String),
        },
      ];
    }
    return tables;
  } catch (error) {
    for (const done of written) rmSync(done, { force: true });
    if (error instanceof Invalid) throw error;
    throw new Invalid(`${options.label} could not be read as a DuckDB database: ${(error as Error).message}`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
