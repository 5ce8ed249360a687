import { formatNumber } from "../format.ts";
import { type ChartData, colorOf } from "./chart-data.ts";

/** Past this many slices the rest are one "Other" slice. */
const MAX_SLICES = 7;
const radius = 90;

/** Shares of a whole: the first series' positive values, largest first, with a legend of values and percents. */
export function PieChart({ data, label }: { data: ChartData; label: string }) {
  const values = data.series[0]?.values ?? [];
  const slices = data.categories
    .map((name, index) => ({ name, value: values[index] ?? 0 }))
    .filter((slice) => slice.value > 0)
    .sort((a, b) => b.value - a.value);
  const shown = slices.slice(0, MAX_SLICES);
  const rest = slices.slice(MAX_SLICES).reduce((sum, slice) => sum + slice.value, 0);
  if (rest > 0) shown.push({ name: "Other", value: rest });
  const total = shown.reduce((sum, slice) => sum + slice.value, 0) || 1;

  let angle = -Math.PI / 2;
  const arcs = shown.map((slice) => {
    const start = angle;
    angle += (slice.value / total) * Math.PI * 2;
    return { ...slice, start, end: angle };
  });
  const point = (a: number) => `${Math.cos(a) * radius},${Math.sin(a) * radius}`;
  const percent = (value: number) => `${((value / total) * 100).toFixed(value / total < 0.1 ? 1 : 0)}%`;

  return (
    <figure className="chart chart-pie">
      <svg viewBox="-100 -100 200 200" role="img" aria-label={label}>
        {arcs.map((arc, index) =>
          arcs.length === 1 ? (
            <circle key={arc.name} r={radius} fill={colorOf(index)}>
              <title>{`${arc.name}: ${formatNumber(arc.value)}`}</title>
            </circle>
          ) : (
            <path
              key={arc.name}
              d={`M0,0 L${point(arc.start)} A${radius},${radius} 0 ${arc.end - arc.start > Math.PI ? 1 : 0} 1 ${point(arc.end)} Z`}
              fill={colorOf(index)}
              className="chart-slice"
            >
              <title>{`${arc.name}: ${formatNumber(arc.value)} (${percent(arc.value)})`}</title>
            </path>
          ),
        )}
      </svg>
      <ul className="chart-legend chart-legend-pie">
        {arcs.map((arc, index) => (
          <li key={arc.name}>
            <span className="chart-swatch" style={{ background: colorOf(index) }} />
            <span className="chart-legend-name">{arc.name}</span>
            <span className="chart-legend-value">
              {formatNumber(arc.value)} · {percent(arc.value)}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
