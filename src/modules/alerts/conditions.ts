import { z } from "zod";
import { mannKendall, robustAnomalies, seasonality } from "../insights/index.js";
import type { JsonValue, ResultColumn } from "../warehouse/duckdb-engine.js";

const column = z
  .string()
  .min(1)
  .max(256)
  .optional()
  .describe("The result column; by default the first numeric one.");

/** When an alert fires. */
export const alertConditionSchema = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("threshold"),
        column,
        op: z.enum([">", ">=", "<", "<="]),
        value: z.number(),
      })
      .describe("The figure (the last row's) crosses a value."),
    z
      .object({
        kind: z.literal("change"),
        column,
        percent: z.number().positive().describe("By at least this many percent since the last check."),
        direction: z.enum(["up", "down", "any"]).default("any"),
      })
      .describe("The figure moved since the last check."),
    z
      .object({ kind: z.literal("anomaly"), column })
      .describe("The last row's figure stands out from the series' trend and season."),
    z.object({ kind: z.literal("has_rows") }).describe("The question returns any row."),
  ])
  .meta({ id: "AlertCondition" });
export type AlertCondition = z.infer<typeof alertConditionSchema>;

export interface Evaluation {
  fired: boolean;
  /** The figure checked (null for has_rows or an empty result). */
  value: number | null;
  /** What happened, in a sentence for the e-mail and the history. */
  message: string;
}

const asNumber = (value: JsonValue | undefined) =>
  typeof value === "number"
    ? value
    : typeof value === "string" && Number.isFinite(Number(value)) && value.trim() !== ""
      ? Number(value)
      : null;

const fmt = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 2 });

/** Decides whether an alert fires on a result; `previous` is the figure of the last check. */
export function evaluate(
  condition: AlertCondition,
  result: { columns: ResultColumn[]; rows: JsonValue[][] },
  previous: number | null,
): Evaluation {
  if (condition.kind === "has_rows") {
    const count = result.rows.length;
    return {
      fired: count > 0,
      value: count,
      message:
        count > 0
          ? `The question returned ${count} row${count === 1 ? "" : "s"}.`
          : "The question returned no rows.",
    };
  }
  const at = condition.column
    ? result.columns.findIndex((entry) => entry.name === condition.column)
    : result.columns.findIndex((entry) => entry.type === "integer" || entry.type === "decimal");
  if (at < 0)
    throw new Error(
      condition.column
        ? `The result has no column ${condition.column}`
        : "The result has no numeric column to check",
    );
  const name = result.columns[at]?.name ?? "value";
  const series = result.rows.map((row) => asNumber(row[at]));
  const value = series.at(-1) ?? null;
  if (value === null) return { fired: false, value: null, message: `${name} has no value.` };
  switch (condition.kind) {
    case "threshold": {
      const holds =
        condition.op === ">"
          ? value > condition.value
          : condition.op === ">="
            ? value >= condition.value
            : condition.op === "<"
              ? value < condition.value
              : value <= condition.value;
      return {
        fired: holds,
        value,
        message: `${name} is ${fmt(value)}${holds ? `, ${condition.op} ${fmt(condition.value)}` : ""}.`,
      };
    }
    case "change": {
      if (previous === null || previous === 0)
        return { fired: false, value, message: `${name} is ${fmt(value)}; nothing to compare with yet.` };
      const change = (100 * (value - previous)) / Math.abs(previous);
      const fired =
        Math.abs(change) >= condition.percent &&
        (condition.direction === "any" || (condition.direction === "up") === change > 0);
      return {
        fired,
        value,
        message: `${name} ${change >= 0 ? "rose" : "fell"} ${Math.abs(change).toFixed(1)}% since the last check, from ${fmt(previous)} to ${fmt(value)}.`,
      };
    }
    case "anomaly": {
      const values = series.filter((entry): entry is number => entry !== null);
      const trend = mannKendall(values);
      const season = seasonality(values, [7, 12], trend?.slope ?? 0);
      const last = values.length - 1;
      const flagged = robustAnomalies(values, {
        slope: trend?.slope ?? 0,
        ...(season ? { period: season.period } : {}),
      }).find((anomaly) => anomaly.index === last);
      return {
        fired: flagged !== undefined,
        value,
        message: flagged
          ? `${name} is ${fmt(value)}, unusually ${flagged.score > 0 ? "high" : "low"} for its trend (robust z ${flagged.score.toFixed(1)}).`
          : `${name} is ${fmt(value)}, in line with its trend.`,
      };
    }
  }
}
