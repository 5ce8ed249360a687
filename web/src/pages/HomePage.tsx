import { Link } from "react-router";
import { useHealth, useReadiness } from "../api/system.ts";
import { NoWorkspace } from "../app/NoWorkspace.tsx";
import { useSession } from "../app/session.ts";
import { ErrorState } from "../components/ErrorState.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { type Column, Table } from "../components/Table.tsx";

interface Check {
  name: string;
  ok: boolean;
  ms: number;
  error?: string | undefined;
}

const checkColumns: Column<Check>[] = [
  { key: "name", header: "Check", render: (check) => <span className="strong">{check.name}</span> },
  {
    key: "status",
    header: "Status",
    width: "9rem",
    render: (check) => <StatusBadge status={check.ok ? "ok" : "failed"} />,
  },
  { key: "ms", header: "Latency", width: "7rem", align: "right", render: (check) => `${check.ms} ms` },
  {
    key: "error",
    header: "Detail",
    render: (check) =>
      check.error ? <span className="text-danger">{check.error}</span> : <span className="muted">—</span>,
  },
];

export function HomePage() {
  const { currentWorkspaceId } = useSession();
  const health = useHealth();
  const readiness = useReadiness();
  const checks = Object.entries(readiness.data?.checks ?? {}).map(([name, check]) => ({ name, ...check }));

  return (
    <>
      <PageHeader title="Home" description="System status of this Sightline server." />
      {!currentWorkspaceId && <NoWorkspace />}
      {currentWorkspaceId && (
        <section className="section" aria-label="Ask">
          <div className="link-grid">
            <Link className="link-card" to="/ask">
              <span className="link-card-title">
                Ask a question <Icon name="arrow" />
              </span>
              <span className="muted">
                Plain-language questions about your data, answered with SQL and a chart.
              </span>
            </Link>
          </div>
        </section>
      )}

      <section className="section" aria-labelledby="status-heading">
        <h2 id="status-heading" className="section-title">
          System status
        </h2>
        {health.isError ? (
          <ErrorState error={health.error} onRetry={() => health.refetch()} />
        ) : (
          <div className="stat-grid">
            <div className="stat-card" data-testid="health-status">
              <span className="stat-label">Status</span>
              <span className="stat-value">
                {health.data ? <StatusBadge large status={health.data.status} /> : "…"}
              </span>
            </div>
            <div className="stat-card">
              <span className="stat-label">Version</span>
              <span className="stat-value">{health.data?.version ?? "…"}</span>
            </div>
            <div className="stat-card" data-testid="readiness-status">
              <span className="stat-label">Readiness</span>
              <span className="stat-value">
                {readiness.data ? <StatusBadge large status={readiness.data.status} /> : "…"}
              </span>
            </div>
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="checks-heading">
        <h2 id="checks-heading" className="section-title">
          Readiness checks
        </h2>
        {readiness.isPending ? (
          <Loading label="Checking dependencies…" />
        ) : readiness.isError ? (
          <ErrorState error={readiness.error} onRetry={() => readiness.refetch()} />
        ) : (
          <Table
            label="Readiness checks"
            columns={checkColumns}
            rows={checks}
            rowKey={(check) => check.name}
          />
        )}
      </section>

      <section className="section" aria-labelledby="api-heading">
        <h2 id="api-heading" className="section-title">
          API
        </h2>
        <div className="link-grid">
          <a className="link-card" href="/docs">
            <span className="link-card-title">
              API reference <Icon name="external" />
            </span>
            <span className="muted">Browse and try every endpoint.</span>
          </a>
          <a className="link-card" href="/openapi.json">
            <span className="link-card-title">
              OpenAPI document <Icon name="external" />
            </span>
            <span className="muted">OpenAPI 3.1 JSON, for generating clients.</span>
          </a>
        </div>
      </section>
    </>
  );
}
