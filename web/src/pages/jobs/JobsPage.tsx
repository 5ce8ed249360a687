import { Link, useNavigate, useSearchParams } from "react-router";
import { isActive, useJobs } from "../../api/jobs.ts";
import type { Job, JobStatus } from "../../api/types.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { SearchInput } from "../../components/SearchInput.tsx";
import { Segmented } from "../../components/Segmented.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";
import { JobProgress } from "./JobProgress.tsx";

const statuses: JobStatus[] = ["queued", "running", "completed", "failed", "cancelled"];
const statusOptions = [
  { value: "all", label: "All" },
  ...statuses.map((status) => ({ value: status, label: status[0]!.toUpperCase() + status.slice(1) })),
];

const columns: Column<Job>[] = [
  {
    key: "name",
    header: "Job",
    render: (job) => (
      <div className="cell-stack">
        <Link to={`/jobs/${job.id}`} className="strong row-link">
          {job.name}
        </Link>
        <span className="muted mono small">{job.id.slice(0, 8)}</span>
      </div>
    ),
  },
  { key: "status", header: "Status", width: "8.5rem", render: (job) => <StatusBadge status={job.status} /> },
  { key: "progress", header: "Progress", width: "10rem", render: (job) => <JobProgress job={job} /> },
  {
    key: "attempts",
    header: "Attempts",
    width: "6rem",
    align: "right",
    render: (job) => `${job.attempts} / ${job.maxAttempts}`,
  },
  { key: "created", header: "Created", width: "9rem", render: (job) => <Time value={job.createdAt} /> },
  { key: "finished", header: "Finished", width: "9rem", render: (job) => <Time value={job.finishedAt} /> },
];

export function JobsPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = statuses.find((value) => value === params.get("status"));
  const name = params.get("name") ?? "";
  const jobs = useJobs({ status, name: name || undefined });
  const rows = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = status !== undefined || name !== "";

  const setFilter = (key: "status" | "name", value: string | undefined) =>
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
      <PageHeader
        title="Jobs"
        description="Background work queued by Sightline and its schedules."
        actions={rows.some((job) => isActive(job.status)) && <span className="live-indicator">Live</span>}
      />
      <div className="toolbar">
        <Segmented
          label="Filter by status"
          options={statusOptions}
          value={status ?? "all"}
          onChange={(value) => setFilter("status", value === "all" ? undefined : value)}
        />
        <SearchInput
          label="Filter by job name"
          placeholder="Job name"
          value={name}
          onChange={(value) => setFilter("name", value)}
        />
      </div>
      {jobs.isPending ? (
        <Loading />
      ) : jobs.isError ? (
        <ErrorState error={jobs.error} onRetry={() => jobs.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="jobs"
          title={filtered ? "No jobs match these filters" : "No jobs yet"}
          description={
            filtered
              ? "Try another status or name."
              : "Reports, syncs and e-mails show up here as soon as they are queued."
          }
          action={
            filtered && (
              <button type="button" className="button" onClick={() => setParams({}, { replace: true })}>
                Clear filters
              </button>
            )
          }
        />
      ) : (
        <>
          <Table
            label="Jobs"
            columns={columns}
            rows={rows}
            rowKey={(job) => job.id}
            onRowClick={(job) => navigate(`/jobs/${job.id}`)}
          />
          <Pagination
            hasNextPage={jobs.hasNextPage}
            isFetchingNextPage={jobs.isFetchingNextPage}
            fetchNextPage={jobs.fetchNextPage}
          />
        </>
      )}
    </>
  );
}
