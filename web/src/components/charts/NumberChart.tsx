import { formatNumber } from "../format.ts";

/** One value, large, with what it is. */
export function NumberChart({ value, label }: { value: number | string | null; label: string }) {
  return (
    <figure className="chart chart-number">
      <span className="chart-number-value">
        {typeof value === "number" ? formatNumber(value) : (value ?? "—")}
      </span>
      <figcaption className="chart-number-label">{label}</figcaption>
    </figure>
  );
}
