import { useSearchParams } from "react-router";
import { useAuditEvents } from "../../api/audit.ts";
import type { AuditEvent } from "../../api/auth-types.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { SearchInput } from "../../components/SearchInput.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { AdminOnly } from "./AccessGate.tsx";

/** A yyyy-mm-dd from a date input, as the ISO instant where that local day starts or ends. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T${end ? "23:59:59.999" : "00:00:00"}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function summary(metadata: AuditEvent["metadata"]): string {
  if (!metadata) return "";
  return Object.entries(metadata)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

const columns: Column<AuditEvent>[] = [
  {
    key: "time",
    header: "Time",
    width: "12rem",
    render: (event) => (
      <time dateTime={event.createdAt} className="small">
        {formatDateTime(event.createdAt)}
      </time>
    ),
  },
  { key: "action", header: "Action", width: "13rem", render: (event) => <code>{event.action}</code> },
  {
    key: "actor",
    header: "Actor",
    render: (event) => (
      <div className="cell-stack">
        <span className="strong">{event.actor.label ?? event.actor.id ?? event.actor.type}</span>
        <span className="muted small">{event.actor.type.replace("_", " ")}</span>
      </div>
    ),
  },
  {
    key: "target",
    header: "Target",
    render: (event) =>
      event.target ? (
        <div className="cell-stack">
          <span>{event.target.label ?? event.target.id}</span>
          <span className="muted small">{event.target.type.replace("_", " ")}</span>
        </div>
      ) : (
        <span className="muted">—</span>
      ),
  },
  {
    key: "ip",
    header: "IP",
    width: "8rem",
    render: (event) =>
      event.ip ? <span className="mono small">{event.ip}</span> : <span className="muted">—</span>,
  },
  {
    key: "details",
    header: "Details",
    render: (event) => (
      <span className="truncate muted small" title={summary(event.metadata)}>
        {summary(event.metadata) || "—"}
      </span>
    ),
  },
];

export function AuditPage() {
  return (
    <AdminOnly title="Audit log">
      <AuditLog />
    </AdminOnly>
  );
}

function AuditLog() {
  const [params, setParams] = useSearchParams();
  const action = params.get("action") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const events = useAuditEvents({
    action: action || undefined,
    from: dayBound(from, false),
    to: dayBound(to, true),
  });
  const rows = events.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(action || from || to);

  const setFilter = (key: "action" | "from" | "to", value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader title="Audit log" description="Who did what in this workspace, newest first." />
      <div className="toolbar toolbar-start">
        <SearchInput
          label="Filter by action"
          placeholder="Action, e.g. auth.login"
          value={action}
          onChange={(value) => setFilter("action", value)}
        />
        <label className="inline-field">
          <span>From</span>
          <input
            type="date"
            className="input input-date"
            value={from}
            max={to || undefined}
            onChange={(event) => setFilter("from", event.target.value)}
          />
        </label>
        <label className="inline-field">
          <span>To</span>
          <input
            type="date"
            className="input input-date"
            value={to}
            min={from || undefined}
            onChange={(event) => setFilter("to", event.target.value)}
          />
        </label>
        {filtered && (
          <button type="button" className="button" onClick={() => setParams({}, { replace: true })}>
            Clear filters
          </button>
        )}
      </div>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => events.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="shield"
          title={filtered ? "No events match these filters" : "No events yet"}
          description={
            filtered ? "Try another action or dates." : "Sign-ins and changes to this workspace appear here."
          }
        />
      ) : (
        <>
          <Table label="Audit log" columns={columns} rows={rows} rowKey={(event) => event.id} />
          <Pagination
            hasNextPage={events.hasNextPage}
            isFetchingNextPage={events.isFetchingNextPage}
            fetchNextPage={events.fetchNextPage}
          />
        </>
      )}
    </>
  );
}
