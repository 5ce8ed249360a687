import { randomUUID } from "node:crypto";
import { createReadStream, rmSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Clock } from "../../platform/clock.js";
import type { RequestContext } from "../auth/context.js";
import { guardForDuckDb, UNCAPPED } from "../warehouse/execute.js";
import { csvStream, type ExportFormat, exportContentTypes, xlsxStream } from "../warehouse/export-formats.js";
import type { Warehouses } from "./warehouses.js";

export interface SqlExport {
  fileName: string;
  contentType: string;
  body: Readable;
}

/**
 * Whole query results as files: the same guard as `POST /sql` but no row cap. CSV and XLSX are
 * written as DuckDB produces the rows; Parquet is written by DuckDB into the workspace's
 * exports directory, then streamed and deleted. Everything that can fail before the first
 * byte (the guard, planning, the Parquet write) throws here, so the caller can still answer
 * with a problem.
 */
export function createSqlExports(deps: {
  warehouses: Pick<Warehouses, "get" | "exportDir">;
  /** The names of the workspace's tables. */
  tables: (workspaceId: string) => Promise<string[]>;
  clock: Clock;
  timeoutMs: number;
}) {
  return {
    async export(
      ctx: Pick<RequestContext, "workspaceId">,
      input: { sql: string; format: ExportFormat; signal?: AbortSignal | undefined },
    ): Promise<SqlExport> {
      const engine = await deps.warehouses.get(ctx.workspaceId);
      const guarded = await guardForDuckDb(engine, input.sql, {
        tables: await deps.tables(ctx.workspaceId),
        maxRows: UNCAPPED,
      });
      const limits = { timeoutMs: deps.timeoutMs, signal: input.signal };
      const stamp = deps.clock.now().toISOString().slice(0, 19).replaceAll(":", "-");
      const fileName = `query-${stamp}.${input.format}`;
      const contentType = exportContentTypes[input.format];
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
          const body = createReadStream(file);
          body.once("close", () => rmSync(file, { force: true }));
          return { fileName, contentType, body };
        }
      }
    },
  };
}

export type SqlExports = ReturnType<typeof createSqlExports>;
