import { engineLabel } from "../../api/connections.ts";
import type { Source } from "../../api/sources.ts";
import { formatBytes } from "../../components/format.ts";
import { StatusBadge } from "../../components/StatusBadge.tsx";

/** "CSV · 1.2 KB", or for a database "PostgreSQL · live · db.example.com/sales". */
export function sourceSummary(source: Pick<Source, "kind" | "format" | "sizeBytes" | "mode" | "connection">) {
  if (source.kind !== "database") return `${source.format.toUpperCase()} · ${formatBytes(source.sizeBytes)}`;
  return [engineLabel(source.format), source.mode, whereOf(source.connection)].filter(Boolean).join(" · ");
}

/** Where a database is: host/database, or a SQLite file's path. */
export function whereOf(connection: Source["connection"]): string | undefined {
  if (!connection) return undefined;
  if (typeof connection.path === "string") return connection.path;
  const host = typeof connection.host === "string" ? connection.host : undefined;
  const database = typeof connection.database === "string" ? connection.database : undefined;
  return [host, database].filter(Boolean).join("/") || undefined;
}

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
