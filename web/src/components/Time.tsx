import { formatDateTime, formatRelative } from "./format.ts";

/** A timestamp shown relative ("5 minutes ago"), exact on hover. */
export function Time({ value, fallback = "—" }: { value: string | null | undefined; fallback?: string }) {
  if (!value) return <span className="muted">{fallback}</span>;
  return (
    <time dateTime={value} title={formatDateTime(value)}>
      {formatRelative(value)}
    </time>
  );
}
