import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import type { Db } from "../../platform/db/index.js";
import { newestFirst } from "../../platform/db/newest-first.js";
import { NotFound } from "../../platform/errors.js";
import type { RequestContext } from "../auth/context.js";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";
import { assertCan } from "../workspaces/index.js";
import { type ChartData, type ChartSpec, chartCatalogue } from "./chart.types.js";
import { charts } from "./charts.tables.js";
import { buildOption, type EChartsOption } from "./option.js";
import { DEFAULT_SIZE, type RenderSize, renderSvg, svgToPng } from "./render.js";
import { suggestCharts } from "./suggest.js";

export type ChartRecord = typeof charts.$inferSelect;

/** Rows a chart draws at most: enough for any chart a person reads. */
export const CHART_MAX_ROWS = 5_000;

/** The one way charts read data: the sources' guarded, read-only `sql()`. */
export type RunSql = (
  ctx: RequestContext,
  input: { sql: string; maxRows: number; sourceId?: string | undefined },
) => Promise<{ columns: ResultColumn[]; rows: JsonValue[][]; truncated?: boolean }>;

export interface DrawnChart {
  columns: ResultColumn[];
  rows: JsonValue[][];
  truncated: boolean;
  option: EChartsOption;
}

/**
 * Saved charts: a query and how to draw it. Data always comes through the sources' guarded SQL
 * path; options are Apache ECharts JSON; images are rendered on the server (SVG, PNG).
 */
export function createChartsService(deps: { db: Db; clock: Clock; sql: RunSql }) {
  const { db, clock } = deps;

  async function find(ctx: RequestContext, id: string): Promise<ChartRecord> {
    if (!z.uuid().safeParse(id).success) throw new NotFound("Chart", { id });
    const [row] = await db
      .select()
      .from(charts)
      .where(and(eq(charts.id, id), eq(charts.workspaceId, ctx.workspaceId)));
    if (!row) throw new NotFound("Chart", { id });
    return row;
  }

  async function run(ctx: RequestContext, sql: string, sourceId: string | null | undefined) {
    const result = await deps.sql(ctx, { sql, maxRows: CHART_MAX_ROWS, sourceId: sourceId ?? undefined });
    return { columns: result.columns, rows: result.rows, truncated: result.truncated ?? false };
  }

  async function draw(ctx: RequestContext, chart: Pick<ChartRecord, "sql" | "sourceId" | "spec" | "title">) {
    const result = await run(ctx, chart.sql, chart.sourceId);
    const option = buildOption({ title: chart.title, ...chart.spec }, result);
    return { ...result, option };
  }

  return {
    types: () => chartCatalogue,
    suggest: (data: ChartData) => suggestCharts(data),

    /** Runs a query and draws it: as `spec`, or as the best suggestion for its shape. */
    async preview(
      ctx: RequestContext,
      input: { sql: string; sourceId?: string | undefined; spec?: ChartSpec | undefined },
    ) {
      const result = await run(ctx, input.sql, input.sourceId);
      const suggestions = suggestCharts(result);
      const spec = input.spec ?? suggestions[0]?.spec ?? { type: "table" as const };
      return { ...result, spec, suggestions, option: buildOption(spec, result) };
    },

    async list(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
      const order = newestFirst(charts, query.cursor);
      const rows = await db
        .select()
        .from(charts)
        .where(and(eq(charts.workspaceId, ctx.workspaceId), order.where))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      return order.page(rows, query.limit);
    },

    get: find,

    /** Saves a chart once its query runs and its spec fits the result (400 otherwise). */
    async create(
      ctx: RequestContext,
      input: {
        title: string;
        spec: ChartSpec;
        sql: string;
        sourceId?: string | undefined;
        answerId?: string | undefined;
      },
    ): Promise<ChartRecord> {
      assertCan(ctx.role, "data.write");
      await draw(ctx, { ...input, sourceId: input.sourceId ?? null });
      const now = clock.now();
      const [row] = await db
        .insert(charts)
        .values({
          workspaceId: ctx.workspaceId,
          title: input.title,
          spec: input.spec,
          sql: input.sql,
          sourceId: input.sourceId ?? null,
          answerId: input.answerId ?? null,
          createdBy: ctx.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error("insert returned no chart");
      return row;
    },

    async update(
      ctx: RequestContext,
      id: string,
      patch: { title?: string | undefined; spec?: ChartSpec | undefined; sql?: string | undefined },
    ): Promise<ChartRecord> {
      assertCan(ctx.role, "data.write");
      const chart = await find(ctx, id);
      const next = {
        title: patch.title ?? chart.title,
        spec: patch.spec ?? chart.spec,
        sql: patch.sql ?? chart.sql,
        sourceId: chart.sourceId,
      };
      if (patch.spec || patch.sql) await draw(ctx, next);
      const [row] = await db
        .update(charts)
        .set({ title: next.title, spec: next.spec, sql: next.sql, updatedAt: clock.now() })
        .where(and(eq(charts.id, chart.id), eq(charts.workspaceId, ctx.workspaceId)))
        .returning();
      if (!row) throw new NotFound("Chart", { id });
      return row;
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      assertCan(ctx.role, "data.write");
      const chart = await find(ctx, id);
      await db.delete(charts).where(and(eq(charts.id, chart.id), eq(charts.workspaceId, ctx.workspaceId)));
    },

    /** A saved chart's current data and option. */
    async data(ctx: RequestContext, id: string): Promise<DrawnChart & { chart: ChartRecord }> {
      const chart = await find(ctx, id);
      return { chart, ...(await draw(ctx, chart)) };
    },

    /** A saved chart as an image, drawn from its current data. */
    async image(ctx: RequestContext, id: string, format: "svg" | "png", size: RenderSize = DEFAULT_SIZE) {
      const chart = await find(ctx, id);
      const { option } = await draw(ctx, chart);
      const svg = renderSvg(option, size);
      return format === "svg" ? svg : svgToPng(svg);
    },

    async removeWorkspace(workspaceId: string): Promise<void> {
      await db.delete(charts).where(eq(charts.workspaceId, workspaceId));
    },
  };
}

export type ChartsService = ReturnType<typeof createChartsService>;
