import type { RequestContext } from "../auth/context.js";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";
import { quoteIdent } from "../warehouse/duckdb-engine.js";
import { analyse } from "./analyse.js";

/** Rows an analysis reads at most. */
export const INSIGHT_MAX_ROWS = 50_000;

/** Insights of a query's result or a whole table, read through the sources' guarded SQL path. */
export function createInsightsService(deps: {
  sql: (
    ctx: RequestContext,
    input: { sql: string; maxRows: number; sourceId?: string | undefined },
  ) => Promise<{ columns: ResultColumn[]; rows: JsonValue[][]; truncated?: boolean }>;
}) {
  return {
    async insights(
      ctx: RequestContext,
      input: { sql?: string | undefined; table?: string | undefined; sourceId?: string | undefined },
    ) {
      const sql = input.sql ?? `select * from ${quoteIdent(input.table ?? "")}`;
      const result = await deps.sql(ctx, { sql, maxRows: INSIGHT_MAX_ROWS, sourceId: input.sourceId });
      return {
        rows: result.rows.length,
        truncated: result.truncated ?? false,
        items: analyse(result.columns, result.rows),
      };
    },
  };
}

export type InsightsService = ReturnType<typeof createInsightsService>;
