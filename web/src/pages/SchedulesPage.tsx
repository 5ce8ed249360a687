import { Link } from "react-router";
import { useSchedules, useToggleSchedule } from "../api/schedules.ts";
import type { Schedule } from "../api/types.ts";
import { EmptyState } from "../components/EmptyState.tsx";
import { ErrorState } from "../components/ErrorState.tsx";
import { Loading } from "../components/Loading.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { Time } from "../components/Time.tsx";

function ToggleButton({ schedule }: { schedule: Schedule }) {
  const toggle = useToggleSchedule();
  const pause = !schedule.paused;
  return (
    <button
      type="button"
      className="button button-small"
      disabled={toggle.isPending}
      onClick={() => toggle.mutate({ name: schedule.name, pause })}
      title={toggle.isError ? toggle.error.message : undefined}
    >
      {toggle.isPending ? "…" : pause ? "Pause" : "Resume"}
    </button>
  );
}

const columns: Column<Schedule>[] = [
  {
    key: "name",
    header: "Schedule",
    render: (schedule) => (
      <div className="cell-stack">
        <span className="strong">{schedule.name}</span>
        <span className="muted small">runs {schedule.jobName}</span>
      </div>
    ),
  },
  {
    key: "cron",
    header: "When",
    render: (schedule) => (
      <div className="cell-stack">
        <code>{schedule.cron}</code>
        <span className="muted small">{schedule.timezone}</span>
      </div>
    ),
  },
  {
    key: "state",
    header: "State",
    width: "7.5rem",
    render: (schedule) => <StatusBadge status={schedule.paused ? "paused" : "active"} />,
  },
  {
    key: "next",
    header: "Next run",
    width: "9rem",
    render: (schedule) =>
      schedule.paused ? <span className="muted">—</span> : <Time value={schedule.nextRunAt} />,
  },
  {
    key: "last",
    header: "Last run",
    width: "9rem",
    render: (schedule) =>
      schedule.lastJobId ? (
        <Link to={`/jobs/${schedule.lastJobId}`}>
          <Time value={schedule.lastRunAt} fallback="view job" />
        </Link>
      ) : (
        <Time value={schedule.lastRunAt} fallback="never" />
      ),
  },
  {
    key: "actions",
    header: "",
    width: "6.5rem",
    align: "right",
    render: (schedule) => <ToggleButton schedule={schedule} />,
  },
];

export function SchedulesPage() {
  const schedules = useSchedules();
  const rows = schedules.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader title="Schedules" description="Recurring jobs and when they run next." />
      {schedules.isPending ? (
        <Loading />
      ) : schedules.isError ? (
        <ErrorState error={schedules.error} onRetry={() => schedules.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="clock"
          title="No schedules yet"
          description="Recurring reports and monitors appear here once they are set up."
        />
      ) : (
        <>
          <Table label="Schedules" columns={columns} rows={rows} rowKey={(schedule) => schedule.name} />
          <Pagination
            hasNextPage={schedules.hasNextPage}
            isFetchingNextPage={schedules.isFetchingNextPage}
            fetchNextPage={schedules.fetchNextPage}
          />
        </>
      )}
    </>
  );
}
