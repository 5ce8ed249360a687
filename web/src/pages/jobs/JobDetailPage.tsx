import { Link, useParams } from "react-router";
import { isActive, useCancelJob, useJob } from "../../api/jobs.ts";
import type { JobRun } from "../../api/types.ts";
import { Detail, DetailList } from "../../components/DetailList.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { formatDuration } from "../../components/format.ts";
import { Icon } from "../../components/Icon.tsx";
import { JsonBlock } from "../../components/JsonBlock.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";
import { JobProgress } from "./JobProgress.tsx";

const runColumns: Column<JobRun>[] = [
  { key: "attempt", header: "Attempt", width: "6rem", render: (run) => `#${run.attempt}` },
  { key: "status", header: "Status", width: "8.5rem", render: (run) => <StatusBadge status={run.status} /> },
  { key: "worker", header: "Worker", render: (run) => <span className="mono small">{run.worker}</span> },
  { key: "started", header: "Started", width: "9rem", render: (run) => <Time value={run.startedAt} /> },
  {
    key: "duration",
    header: "Duration",
    width: "7rem",
    align: "right",
    render: (run) =>
      run.durationMs === null ? <span className="muted">—</span> : formatDuration(run.durationMs),
  },
  {
    key: "error",
    header: "Error",
    render: (run) =>
      run.error ? <span className="text-danger">{run.error}</span> : <span className="muted">—</span>,
  },
];

const backLink = (
  <Link to="/jobs" className="back-link">
    <Icon name="back" /> Jobs
  </Link>
);

export function JobDetailPage() {
  const { id = "" } = useParams();
  const job = useJob(id);
  const cancel = useCancelJob();

  if (job.isPending) return <Loading />;
  if (job.isError) {
    return (
      <>
        <PageHeader eyebrow={backLink} title="Job" />
        <ErrorState error={job.error} onRetry={() => job.refetch()} />
      </>
    );
  }

  const data = job.data;
  const hasProgress =
    data.progress !== null && data.progress !== undefined && typeof data.progress !== "number";
  return (
    <>
      <PageHeader
        eyebrow={backLink}
        title={data.name}
        description={<span className="mono small">{data.id}</span>}
        actions={
          isActive(data.status) && (
            <button
              type="button"
              className="button button-danger"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(data.id)}
            >
              {cancel.isPending ? "Cancelling…" : "Cancel job"}
            </button>
          )
        }
      />
      {cancel.isError && <ErrorState error={cancel.error} />}

      <div className="card">
        <DetailList>
          <Detail label="Status">
            <StatusBadge status={data.status} />
          </Detail>
          <Detail label="Progress">
            <JobProgress job={data} />
          </Detail>
          <Detail label="Attempts">
            {data.attempts} / {data.maxAttempts}
          </Detail>
          <Detail label="Priority">{data.priority}</Detail>
          <Detail label="Run at">
            <Time value={data.runAt} />
          </Detail>
          <Detail label="Created">
            <Time value={data.createdAt} />
          </Detail>
          <Detail label="Started">
            <Time value={data.startedAt} />
          </Detail>
          <Detail label="Finished">
            <Time value={data.finishedAt} />
          </Detail>
          <Detail label="Idempotency key">
            {data.idempotencyKey && <span className="mono small">{data.idempotencyKey}</span>}
          </Detail>
        </DetailList>
      </div>

      {data.error && (
        <section className="section">
          <h2 className="section-title">Error</h2>
          <pre className="code-block code-danger">{data.error}</pre>
        </section>
      )}
      {hasProgress && (
        <section className="section">
          <h2 className="section-title">Progress</h2>
          <JsonBlock value={data.progress} />
        </section>
      )}
      {data.result !== null && data.result !== undefined && (
        <section className="section">
          <h2 className="section-title">Result</h2>
          <JsonBlock value={data.result} />
        </section>
      )}
      {data.payload !== undefined && (
        <section className="section">
          <h2 className="section-title">Payload</h2>
          <JsonBlock value={data.payload} />
        </section>
      )}

      <section className="section">
        <h2 className="section-title">Runs</h2>
        {data.runs.length === 0 ? (
          <p className="muted">No attempt has started yet.</p>
        ) : (
          <Table label="Runs" columns={runColumns} rows={data.runs} rowKey={(run) => run.id} />
        )}
      </section>
    </>
  );
}
