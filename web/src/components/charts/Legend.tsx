import { colorOf } from "./chart-data.ts";

/** Names of the series and their colours; nothing for a single series (the axis title names it). */
export function Legend({ names }: { names: string[] }) {
  if (names.length < 2) return null;
  return (
    <ul className="chart-legend">
      {names.map((name, index) => (
        <li key={name}>
          <span className="chart-swatch" style={{ background: colorOf(index) }} />
          {name}
        </li>
      ))}
    </ul>
  );
}
