import { formatCompact, formatNumber } from "../format.ts";
import { Axes, frame, plotWidth, yScale } from "./Axes.tsx";
import { type ChartData, colorOf, niceTicks } from "./chart-data.ts";
import { Legend } from "./Legend.tsx";

/** Vertical bars, grouped when there are several series; values on top while they fit. */
export function BarChart({ data, label }: { data: ChartData; label: string }) {
  const values = data.series.flatMap((series) => series.values).filter((value) => value !== null);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const y = yScale(ticks);
  const slot = plotWidth / Math.max(1, data.categories.length);
  const groupWidth = slot * 0.72;
  const barWidth = groupWidth / data.series.length;
  const xAt = (index: number) => frame.left + slot * index + slot / 2;
  const showValues = data.categories.length * data.series.length <= 16;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${frame.width} ${frame.height}`} role="img" aria-label={label}>
        <Axes
          ticks={ticks}
          categories={data.categories}
          xAt={xAt}
          xLabel={data.xLabel}
          yLabel={data.yLabel}
        />
        {data.series.map((series, s) =>
          series.values.map((value, index) => {
            if (value === null) return null;
            const x = xAt(index) - groupWidth / 2 + barWidth * s;
            const top = Math.min(y(value), y(0));
            const height = Math.max(1, Math.abs(y(value) - y(0)));
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a bar is its series and category position
              <g key={`${s}-${index}`} className="chart-bar">
                <rect
                  x={x}
                  y={top}
                  width={Math.max(1, barWidth - 2)}
                  height={height}
                  fill={colorOf(s)}
                  rx={2}
                >
                  <title>{`${data.categories[index]} · ${series.name}: ${formatNumber(value)}`}</title>
                </rect>
                {showValues && (
                  <text x={x + barWidth / 2 - 1} y={top - 4} textAnchor="middle" className="chart-value">
                    {formatCompact(value)}
                  </text>
                )}
              </g>
            );
          }),
        )}
      </svg>
      <Legend names={data.series.map((series) => series.name)} />
    </figure>
  );
}
