import { copyFileSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expandUpload, uploadFormatOf } from "../sources/readers/index.js";
import {
  type DuckEngine,
  formatOf,
  identifierOf,
  type JsonValue,
  tableNameOf,
} from "../warehouse/duckdb-engine.js";
import { defaultLimits, openLocalSource } from "../warehouse/local-source.js";
import { createOfflineEngine } from "./offline/index.js";
import { buildSchemaIndex, detectJoins } from "./schema-index.js";
import type { AskContext, AskEngine, EngineDraft, SchemaIndex, SchemaJoin } from "./types.js";

/** One answer as `sightline ask --json` prints it: the shape of `sightline sql --json`, plus the question. */
export interface CliAnswer {
  question: string;
  sql: string;
  columns: { name: string; type: string }[];
  rows: JsonValue[][];
  error?: string;
}

/** What a local ask session also exposes to callers that want more than the CLI's JSON. */
export interface LocalAsk {
  ask(question: string): Promise<CliAnswer>;
  /** The engine's draft for a question, without running it (for the readable CLI output and tests). */
  draft(question: string, context?: Partial<AskContext>): Promise<EngineDraft>;
  schema: SchemaIndex;
  engine: AskEngine;
  close(): void;
}

/** The LLM engine when AI_PROVIDER names a real provider; loaded only then (it brings the AI SDK). */
export async function llmEngineForLocalAsk(env: NodeJS.ProcessEnv): Promise<AskEngine | undefined> {
  const { llmEngineFromEnv } = await import("./llm-engine.js");
  return llmEngineFromEnv(env);
}

async function engineFor(env: NodeJS.ProcessEnv): Promise<AskEngine> {
  const provider = env.AI_PROVIDER?.trim().toLowerCase();
  if (provider && provider !== "offline") {
    const llm = await llmEngineForLocalAsk(env);
    if (llm) return llm;
  }
  return createOfflineEngine();
}

const containerFormats = new Set(["xlsx", "sqlite", "duckdb"]);

/**
 * Workbooks and database files are not tables DuckDB reads: they are extracted (with the
 * readers uploads use) into a temporary directory beside copies of the plain files, one file
 * per table: a workbook's single sheet is named after the file, several sheets `<stem>_<sheet>`,
 * a database's tables keep their own names. A lone .duckdb file opens as it is.
 */
async function materialize(
  source: string,
): Promise<{ path: string; cleanup(): void; declared: SchemaJoin[] }> {
  const resolved = path.resolve(source);
  let isDirectory = false;
  try {
    isDirectory = statSync(resolved).isDirectory();
  } catch {
    return { path: source, cleanup: () => undefined, declared: [] };
  }
  const files = isDirectory
    ? readdirSync(resolved)
        .sort()
        .map((name) => path.join(resolved, name))
    : [resolved];
  const containers = files.filter((file) => {
    const format = uploadFormatOf(file);
    return format !== undefined && containerFormats.has(format);
  });
  const loneDuckDb = !isDirectory && uploadFormatOf(resolved) === "duckdb";
  if (containers.length === 0 || loneDuckDb) return { path: source, cleanup: () => undefined, declared: [] };
  const work = mkdtempSync(path.join(tmpdir(), "sightline-ask-"));
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  try {
    const taken = new Set<string>();
    const declared: SchemaJoin[] = [];
    const place = (file: string, table: string, extension: string) => {
      let name = table;
      for (let n = 2; taken.has(name); n++) name = `${table}_${n}`;
      taken.add(name);
      renameOrCopy(file, path.join(work, `${name}${extension}`));
      return name;
    };
    for (const file of files) {
      const format = uploadFormatOf(file);
      if (!format) continue;
      if (!containerFormats.has(format)) {
        if (formatOf(file)) place(file, tableNameOf(file), path.extname(file).toLowerCase());
        continue;
      }
      const expanded = await expandUpload({
        file,
        format,
        label: path.basename(file),
        workDir: work,
        prefix: `part-${identifierOf(path.basename(file))}`,
        maxUncompressedBytes: 4 * 1024 ** 3,
      });
      const database = format !== "xlsx";
      const named = new Map<string, string>();
      for (const part of expanded.parts) {
        const table = database
          ? identifierOf(part.key)
          : part.key && expanded.parts.length > 1
            ? identifierOf(`${tableNameOf(file)}_${part.key}`)
            : tableNameOf(file);
        named.set(part.key, place(part.file, table, path.extname(part.file)));
      }
      declared.push(...joinsDeclared(expanded.parts, named));
    }
    return { path: work, cleanup, declared };
  } catch (error) {
    cleanup();
    throw error;
  }

  function renameOrCopy(from: string, to: string) {
    if (path.dirname(from) === work) renameSync(from, to);
    else copyFileSync(from, to);
  }
}

/** The single-column foreign keys a database file declares, as joins between the tables' final names. */
function joinsDeclared(
  parts: { key: string; foreignKeys?: { columns: string[]; table: string; references: string[] }[] }[],
  named: Map<string, string>,
): SchemaJoin[] {
  const joins: SchemaJoin[] = [];
  for (const part of parts) {
    for (const key of part.foreignKeys ?? []) {
      const fromTable = named.get(part.key);
      const toTable =
        named.get(key.table) ??
        [...named].find(([own]) => own.toLowerCase() === key.table.toLowerCase())?.[1];
      const [fromColumn] = key.columns;
      const [toColumn] = key.references;
      if (key.columns.length !== 1 || !fromTable || !toTable || !fromColumn || !toColumn) continue;
      joins.push({ fromTable, fromColumn, toTable, toColumn });
    }
  }
  return joins;
}

/** Declared joins first; a detected join of the same columns adds nothing. */
function mergeJoins(declared: SchemaJoin[], detected: SchemaJoin[]): SchemaJoin[] {
  const key = (join: SchemaJoin) =>
    [join.fromTable, join.fromColumn, join.toTable, join.toColumn].join("\u0000").toLowerCase();
  const seen = new Set(declared.map(key));
  return [...declared, ...detected.filter((join) => !seen.has(key(join)))];
}

/** A DuckDB file's own foreign keys (single-column), by table name. */
async function duckDbForeignKeys(engine: Pick<DuckEngine, "query">): Promise<SchemaJoin[]> {
  const result = await engine.query(
    "select table_name, constraint_column_names, referenced_table, referenced_column_names " +
      "from duckdb_constraints() where constraint_type = 'FOREIGN KEY' and schema_name = 'main'",
    { maxRows: 10_000, timeoutMs: 10_000 },
  );
  return result.rows.flatMap(([table, columns, referenced, references]) => {
    const from = parseList(columns);
    const to = parseList(references);
    if (from.length !== 1 || to.length !== 1 || !from[0] || !to[0]) return [];
    return [{ fromTable: String(table), fromColumn: from[0], toTable: String(referenced), toColumn: to[0] }];
  });
}

/** A list cell as the engine returns it: JSON text of an array. */
function parseList(cell: unknown): string[] {
  if (Array.isArray(cell)) return cell.map(String);
  try {
    const parsed: unknown = JSON.parse(String(cell));
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Opens a data file or directory for questions (what `sightline ask --source` runs): loads it
 * as `sightline sql` does, indexes the schema once, and answers each question with the engine
 * (offline unless AI_PROVIDER names a provider), running its SQL through the same guard and
 * executor. `ask` never throws: a question it cannot answer comes back with `error` set.
 */
export async function openLocalAsk(
  sourcePath: string,
  options: { today?: Date; env?: NodeJS.ProcessEnv } = {},
): Promise<LocalAsk> {
  const materialized = await materialize(sourcePath);
  let source: Awaited<ReturnType<typeof openLocalSource>>;
  try {
    source = await openLocalSource(materialized.path);
  } catch (error) {
    materialized.cleanup();
    throw error;
  }
  try {
    const limits = { maxRows: defaultLimits.maxRows, timeoutMs: defaultLimits.timeoutMs };
    const listed = await source.engine.query(
      "select table_name, column_name, data_type from information_schema.columns where table_schema = 'main' order by table_name, ordinal_position",
      { maxRows: 1_000_000, timeoutMs: limits.timeoutMs },
    );
    const tables = source.tables.map((table) => ({
      name: table.name,
      rows: table.rows,
      columns: listed.rows
        .filter((row) => row[0] === table.name)
        .map((row) => ({ name: String(row[1]), type: String(row[2]) })),
    }));
    const declared =
      uploadFormatOf(sourcePath) === "duckdb"
        ? await duckDbForeignKeys(source.engine).catch(() => [])
        : materialized.declared;
    const joins = mergeJoins(declared, await detectJoins(source.engine, tables));
    const schema = await buildSchemaIndex({ engine: source.engine, tables, joins, dialect: "duckdb" });
    const engine = await engineFor(options.env ?? process.env);
    const today = options.today ?? new Date();
    const opened = source;

    // The last statement run and its result: a trial run during drafting is the answer's run too.
    let last: { sql: string; result: Awaited<ReturnType<typeof opened.query>> } | undefined;
    async function run(sql: string) {
      if (last?.sql === sql) return last.result;
      const result = await opened.query(sql, limits);
      last = { sql, result };
      return result;
    }

    async function draft(question: string, context: Partial<AskContext> = {}): Promise<EngineDraft> {
      return engine.draft(question, schema, {
        today,
        // A trial run: an LLM engine feeds an execution error back to the model and repairs.
        validate: async (sql) => void (await run(sql)),
        ...context,
      });
    }

    return {
      schema,
      engine,
      draft,
      async ask(question) {
        let sql = "";
        try {
          const drafted = await draft(question);
          sql = drafted.sql;
          if (!sql) return { question, sql, columns: [], rows: [], error: drafted.explanation };
          const result = await run(sql);
          return {
            question,
            sql,
            columns: result.columns.map(({ name, type }) => ({ name, type })),
            rows: result.rows,
          };
        } catch (error) {
          return { question, sql, columns: [], rows: [], error: errorText(error) };
        }
      },
      close() {
        opened.close();
        materialized.cleanup();
      },
    };
  } catch (error) {
    source.close();
    materialized.cleanup();
    throw error;
  }
}
