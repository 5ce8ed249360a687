import type { ChartSpec } from "../../api/ask.ts";
import type { Cell, ResultColumn } from "../../api/sources.ts";
import { BarChart } from "../../components/charts/BarChart.tsx";
import { chartData } from "../../components/charts/chart-data.ts";
import { LineChart } from "../../components/charts/LineChart.tsx";
import { NumberChart } from "../../components/charts/NumberChart.tsx";
import { PieChart } from "../../components/charts/PieChart.tsx";

const kindNames = { bar: "Bar chart", line: "Line chart", area: "Area chart", pie: "Pie chart" } as const;

/**
 * The chart an answer asks for, over the rows shown (the answer's, or an edited query's). Nothing
 * for a table, and nothing when the rows lack the columns the chart names: the table shows them.
 */
export function AnswerChart({
  spec,
  columns,
  rows,
}: {
  spec: ChartSpec;
  columns: ResultColumn[];
  rows: Cell[][];
}) {
  if (rows.length === 0) return null;
  if (spec.kind === "number") {
    const name = spec.y?.[0] ?? columns[0]?.name;
    const index = Math.max(
      0,
      columns.findIndex((column) => column.name === name),
    );
    const value = rows[0]?.[index] ?? null;
    return (
      <NumberChart
        value={typeof value === "boolean" ? String(value) : value}
        label={spec.title || name || ""}
      />
    );
  }
  if (spec.kind !== "bar" && spec.kind !== "line" && spec.kind !== "area" && spec.kind !== "pie") return null;
  const data = chartData(spec, columns, rows);
  if (!data) return null;
  const label = `${kindNames[spec.kind]}: ${spec.title}`;
  if (spec.kind === "bar") return <BarChart data={data} label={label} />;
  if (spec.kind === "pie") return <PieChart data={data} label={label} />;
  return <LineChart data={data} label={label} area={spec.kind === "area"} />;
}
