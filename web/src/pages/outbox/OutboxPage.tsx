import { Link, useNavigate, useSearchParams } from "react-router";
import { useOutbox } from "../../api/outbox.ts";
import type { MailSummary } from "../../api/types.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { SearchInput } from "../../components/SearchInput.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";
import { SendTestForm } from "./SendTestForm.tsx";

const columns: Column<MailSummary>[] = [
  {
    key: "to",
    header: "To",
    width: "30%",
    render: (mail) => <span className="truncate">{mail.to.join(", ")}</span>,
  },
  {
    key: "subject",
    header: "Subject",
    render: (mail) => (
      <Link to={`/outbox/${mail.id}`} className="strong row-link">
        {mail.subject || "(no subject)"}
      </Link>
    ),
  },
  {
    key: "status",
    header: "Status",
    width: "7.5rem",
    render: (mail) => <StatusBadge status={mail.status} />,
  },
  {
    key: "time",
    header: "Time",
    width: "9rem",
    render: (mail) => <Time value={mail.sentAt ?? mail.createdAt} />,
  },
];

export function OutboxPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const to = params.get("to") ?? "";
  const outbox = useOutbox({ to: to || undefined });
  const rows = outbox.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title="Outbox" description="Every e-mail Sightline has sent or stored, newest first." />
      <SendTestForm />
      {(to || rows.length > 0) && (
        <div className="toolbar">
          <SearchInput
            label="Filter by recipient"
            placeholder="Filter by recipient"
            value={to}
            onChange={(value) => setParams(value ? { to: value } : {}, { replace: true })}
          />
        </div>
      )}
      {outbox.isPending ? (
        <Loading />
      ) : outbox.isError ? (
        <ErrorState error={outbox.error} onRetry={() => outbox.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="mail"
          title={to ? "No e-mail to this recipient" : "No e-mail yet"}
          description={
            to ? "Try another address." : "Reports, alerts and notifications appear here as they are sent."
          }
        />
      ) : (
        <>
          <Table
            label="Outbox"
            columns={columns}
            rows={rows}
            rowKey={(mail) => mail.id}
            onRowClick={(mail) => navigate(`/outbox/${mail.id}`)}
          />
          <Pagination
            hasNextPage={outbox.hasNextPage}
            isFetchingNextPage={outbox.isFetchingNextPage}
            fetchNextPage={outbox.fetchNextPage}
          />
        </>
      )}
    </>
  );
}
