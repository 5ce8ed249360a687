import { randomUUID } from "node:crypto";
import { createReadStream, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Clock } from "../../platform/clock.js";
import type { RequestContext } from "../auth/context.js";
import {
  type DuckEngine,
  quoteIdent,
  quoteString,
  type ResultColumn,
  type RunLimits,
  type StreamedResult,
} from "../warehouse/duckdb-engine.js";
import { guardForDuckDb, UNCAPPED } from "../warehouse/execute.js";
import { csvStream, type ExportFormat, exportContentTypes, xlsxStream } from "../warehouse/export-formats.js";
import type { ConnectionsService } from "./connections.service.js";
import type { Warehouses } from "./warehouses.js";

export interface SqlExport {
  fileName: string;
  contentType: string;
  body: Readable;
}

/** The DuckDB type a live result's column is written to Parquet as. */
function duckTypeOf(column: ResultColumn): string {
  switch (column.type) {
    case "integer":
      return "BIGINT";
    case "decimal":
      return "DOUBLE";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      return /with time zone|timestamptz/i.test(column.sourceType) ? "TIMESTAMPTZ" : "TIMESTAMP";
    default:
      return "VARCHAR";
  }
}

/** A file streamed to the client, deleted once the stream ends however it ends. */
function readAndDelete(file: string): Readable {
  const body = createReadStream(file);
  body.once("close", () => rmSync(file, { force: true }));
  return body;
}

/**
 * Writes a live source's streamed result as Parquet: the rows go to a temporary NDJSON file in
 * the exports directory, then DuckDB reads it back with the columns' types and writes the
 * Parquet. Both files are gone when the download ends.
 */
async function liveParquet(
  engine: Pick<DuckEngine, "copyTo">,
  result: StreamedResult,
  dir: string,
  limits: RunLimits,
): Promise<Readable> {
  const started = Date.now();
  const base = path.join(dir, randomUUID());
  const json = `${base}.ndjson`;
  const file = `${base}.parquet`;
  // Keys by position: a result may repeat a column name.
  const keys = result.columns.map((_, index) => `c${index}`);
  try {
    const out = await open(json, "w");
    try {
      for await (const rows of result.chunks) {
        let text = "";
        for (const row of rows) {
          text += `{${row.map((value, index) => `"${keys[index]}":${JSON.stringify(value)}`).join(",")}}\n`;
        }
        await out.write(text);
      }
    } finally {
      result.close();
      await out.close();
    }
    const types = result.columns.map((column, index) => `${keys[index]}: ${quoteString(duckTypeOf(column))}`);
    const select = result.columns.map((column, index) => `${keys[index]} as ${quoteIdent(column.name)}`);
    await engine.copyTo(
      `select ${select.join(", ")} from read_json(${quoteString(json)}, format = 'newline_delimited', columns = {${types.join(", ")}})`,
      file,
      "parquet",
      { ...limits, timeoutMs: Math.max(1, limits.timeoutMs - (Date.now() - started)) },
    );
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  } finally {
    rmSync(json, { force: true });
  }
  return readAndDelete(file);
}

/**
 * Whole query results as files: the same guard as `POST /sql` but no row cap. CSV and XLSX are
 * written as the rows are produced (by DuckDB, or by a live source's database); Parquet is
 * written by DuckDB into the workspace's exports directory, then streamed and deleted.
 * Everything that can fail before the first byte (the guard, planning, the Parquet write)
 * throws here, so the caller can still answer with a problem.
 */
export function createSqlExports(deps: {
  warehouses: Pick<Warehouses, "get" | "exportDir">;
  /** The names of the workspace's tables. */
  tables: (workspaceId: string) => Promise<string[]>;
  /** Live database sources: their exports run in their own database. */
  live?: Pick<ConnectionsService, "liveStream">;
  clock: Clock;
  timeoutMs: number;
}) {
  return {
    async export(
      ctx: Pick<RequestContext, "workspaceId">,
      input: {
        sql: string;
        format: ExportFormat;
        sourceId?: string | undefined;
        signal?: AbortSignal | undefined;
      },
    ): Promise<SqlExport> {
      const limits = { timeoutMs: deps.timeoutMs, signal: input.signal };
      const stamp = deps.clock.now().toISOString().slice(0, 19).replaceAll(":", "-");
      const fileName = `query-${stamp}.${input.format}`;
      const contentType = exportContentTypes[input.format];
      // Import sources and files live in the warehouse: only live sources answer here.
      const live =
        input.sourceId && deps.live
          ? await deps.live.liveStream(ctx, input.sourceId, { sql: input.sql, ...limits })
          : undefined;
      if (live) {
        switch (input.format) {
          case "csv":
            return { fileName, contentType, body: csvStream(live) };
          case "xlsx":
            return { fileName, contentType, body: xlsxStream(live) };
          case "parquet": {
            const engine = await deps.warehouses.get(ctx.workspaceId);
            const dir = deps.warehouses.exportDir(ctx.workspaceId);
            return { fileName, contentType, body: await liveParquet(engine, live, dir, limits) };
          }
        }
      }

      const engine = await deps.warehouses.get(ctx.workspaceId);
      const guarded = await guardForDuckDb(engine, input.sql, {
        tables: await deps.tables(ctx.workspaceId),
        maxRows: UNCAPPED,
      });
      switch (input.format) {
        case "csv":
          return { fileName, contentType, body: csvStream(await engine.stream(guarded.sql, limits)) };
        case "xlsx":
          return { fileName, contentType, body: xlsxStream(await engine.stream(guarded.sql, limits)) };
        case "parquet": {
          const file = path.join(deps.warehouses.exportDir(ctx.workspaceId), `${randomUUID()}.parquet`);
          try {
            await engine.copyTo(guarded.sql, file, "parquet", limits);
          } catch (error) {
            rmSync(file, { force: true });
            throw error;
          }
          return { fileName, contentType, body: readAndDelete(file) };
        }
      }
    },
  };
}

export type SqlExports = ReturnType<typeof createSqlExports>;
