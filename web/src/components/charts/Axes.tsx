import { formatCompact } from "../format.ts";
import { shorten } from "./chart-data.ts";

/** The drawing area every x/y chart shares (SVG user units; the SVG scales to its box). */
export const frame = { width: 640, height: 280, left: 56, right: 16, top: 16, bottom: 64 };
export const plotWidth = frame.width - frame.left - frame.right;
export const plotHeight = frame.height - frame.top - frame.bottom;

/** A linear scale from values to y positions. */
export function yScale(ticks: number[]) {
  const low = ticks[0] ?? 0;
  const high = ticks.at(-1) ?? 1;
  return (value: number) => frame.top + plotHeight - ((value - low) / (high - low || 1)) * plotHeight;
}

/** Grid lines with their values, category labels under the plot, and the two axis titles. */
export function Axes({
  ticks,
  categories,
  xAt,
  xLabel,
  yLabel,
}: {
  ticks: number[];
  categories: string[];
  xAt: (index: number) => number;
  xLabel: string;
  yLabel: string;
}) {
  const y = yScale(ticks);
  // With many categories, every label would overlap: show every nth.
  const every = Math.max(1, Math.ceil(categories.length / 16));
  const tilt = categories.length > 6;
  return (
    <g className="chart-axes">
      {ticks.map((tick) => (
        <g key={tick}>
          <line
            x1={frame.left}
            x2={frame.width - frame.right}
            y1={y(tick)}
            y2={y(tick)}
            className="chart-grid"
          />
          <text x={frame.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className="chart-tick">
            {formatCompact(tick)}
          </text>
        </g>
      ))}
      {categories.map((category, index) =>
        index % every === 0 ? (
          <text
            // biome-ignore lint/suspicious/noArrayIndexKey: categories may repeat; position identifies them
            key={index}
            x={xAt(index)}
            y={frame.top + plotHeight + 16}
            textAnchor={tilt ? "end" : "middle"}
            transform={tilt ? `rotate(-35 ${xAt(index)} ${frame.top + plotHeight + 16})` : undefined}
            className="chart-tick"
          >
            {shorten(category)}
          </text>
        ) : null,
      )}
      <text x={frame.left + plotWidth / 2} y={frame.height - 4} textAnchor="middle" className="chart-title">
        {xLabel}
      </text>
      <text
        x={12}
        y={frame.top + plotHeight / 2}
        textAnchor="middle"
        transform={`rotate(-90 12 ${frame.top + plotHeight / 2})`}
        className="chart-title"
      >
        {yLabel}
      </text>
    </g>
  );
}
