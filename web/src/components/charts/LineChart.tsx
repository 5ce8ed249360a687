import { formatNumber } from "../format.ts";
import { Axes, frame, plotWidth, yScale } from "./Axes.tsx";
import { type ChartData, colorOf, niceTicks } from "./chart-data.ts";
import { Legend } from "./Legend.tsx";

/** A line with a point per category for each series; `area` fills under it. */
export function LineChart({ data, label, area }: { data: ChartData; label: string; area?: boolean }) {
  const values = data.series.flatMap((series) => series.values).filter((value) => value !== null);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const y = yScale(ticks);
  const count = data.categories.length;
  const xAt = (index: number) => frame.left + (count < 2 ? plotWidth / 2 : (plotWidth * index) / (count - 1));
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
        {data.series.map((series, s) => {
          const points = series.values.flatMap((value, index) =>
            value === null ? [] : [{ x: xAt(index), y: y(value), value, index }],
          );
          const line = points.map((point, i) => `${i === 0 ? "M" : "L"}${point.x},${point.y}`).join(" ");
          const first = points[0];
          const last = points.at(-1);
          return (
            <g key={series.name} className="chart-line" style={{ color: colorOf(s) }}>
              {area && first && last && (
                <path d={`${line} L${last.x},${y(0)} L${first.x},${y(0)} Z`} className="chart-area-fill" />
              )}
              <path d={line} fill="none" stroke="currentColor" strokeWidth={2} />
              {points.length <= 60 &&
                points.map((point) => (
                  <circle key={point.index} cx={point.x} cy={point.y} r={3.5} fill="currentColor">
                    <title>{`${data.categories[point.index]} · ${series.name}: ${formatNumber(point.value)}`}</title>
                  </circle>
                ))}
            </g>
          );
        })}
      </svg>
      <Legend names={data.series.map((series) => series.name)} />
    </figure>
  );
}
