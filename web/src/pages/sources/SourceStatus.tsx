import type { Source } from "../../api/sources.ts";
import { formatBytes } from "../../components/format.ts";
import { StatusBadge } from "../../components/StatusBadge.tsx";

/** "CSV · 1.2 KB". */
export const sourceSummary = (source: Pick<Source, "format" | "sizeBytes">) =>
  `${source.format.toUpperCase()} · ${formatBytes(source.sizeBytes)}`;

/** A source's status: a spinner while it loads, the reason when loading failed. */
export function SourceStatus({ source }: { source: Pick<Source, "status" | "error"> }) {
  if (source.status === "processing") {
    return (
      <span className="source-status">
        <span className="spinner spinner-small" aria-hidden="true" />
        <StatusBadge status="processing" label="Loading" />
      </span>
    );
  }
  return (
    <div className="cell-stack">
      <StatusBadge status={source.status} />
      {source.status === "failed" && source.error && (
        <span className="text-danger small">{source.error}</span>
      )}
    </div>
  );
}
