import { useState } from "react";
import { Link } from "react-router";
import { engines } from "../../api/connections.ts";
import { isDatabase, type Source, useDeleteSource, useSources } from "../../api/sources.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { Segmented } from "../../components/Segmented.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";
import { SourceStatus, sourceSummary } from "./SourceStatus.tsx";
import { UploadArea } from "./UploadArea.tsx";

export function SourcesPage() {
  const { role } = useSession();
  const writer = canWriteData(role);
  const sources = useSources();
  const remove = useDeleteSource();
  const [deleting, setDeleting] = useState<Source | null>(null);
  const rows = sources.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: Column<Source>[] = [
    {
      key: "name",
      header: "Source",
      render: (source) => (
        <div className="cell-stack">
          <span className="source-name">
            <Link to={`/sources/${source.id}`} className="row-link strong">
              {source.name}
            </Link>
            {isDatabase(source) && source.mode && (
              <span className={`badge badge-${source.mode === "live" ? "accent" : "info"}`}>
                {source.mode}
              </span>
            )}
          </span>
          <span className="muted small">{sourceSummary(source)}</span>
        </div>
      ),
    },
    {
      key: "tables",
      header: "Tables",
      render: (source) =>
        source.tables.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <div className="cell-stack">
            {source.tables.map((table) => (
              <span key={table.name}>
                <code>{table.name}</code>{" "}
                <span className="muted small">
                  {table.rows.toLocaleString()} {table.rows === 1 ? "row" : "rows"}
                </span>
              </span>
            ))}
          </div>
        ),
    },
    {
      key: "status",
      header: "Status",
      width: "16rem",
      render: (source) => <SourceStatus source={source} />,
    },
    {
      key: "created",
      header: "Added",
      width: "9rem",
      render: (source) => <Time value={source.createdAt} />,
    },
    ...(writer
      ? [
          {
            key: "actions",
            header: "",
            width: "6rem",
            align: "right" as const,
            render: (source: Source) => (
              <button
                type="button"
                className="button button-small button-danger"
                aria-label={`Delete ${source.name}`}
                onClick={() => setDeleting(source)}
              >
                Delete
              </button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title="Sources"
        description="Files uploaded to this workspace and databases connected to it. Each table in them can be queried on the SQL page."
      />
      {writer ? (
        <AddData />
      ) : (
        <Notice>
          Your role in this workspace is {role}: you can browse and query data, but only analysts, admins and
          owners upload or delete it.
        </Notice>
      )}
      {sources.isPending ? (
        <Loading />
      ) : sources.isError ? (
        <ErrorState error={sources.error} onRetry={() => sources.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="database"
          title="No data yet"
          description={
            writer
              ? "Upload a file or connect a database above to start asking questions of it."
              : "Nobody has added data to this workspace yet."
          }
        />
      ) : (
        <>
          <Table label="Sources" columns={columns} rows={rows} rowKey={(source) => source.id} />
          <Pagination
            hasNextPage={sources.hasNextPage}
            isFetchingNextPage={sources.isFetchingNextPage}
            fetchNextPage={sources.fetchNextPage}
          />
        </>
      )}
      <DeleteSourceDialog
        source={deleting}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        onCancel={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </>
  );
}

/** The two ways in: a file, or a database connection (a wizard of its own). */
function AddData() {
  const [way, setWay] = useState<"upload" | "connect">("upload");
  return (
    <section className="add-data" aria-label="Add data">
      <div className="add-data-header">
        <h2 className="section-title">Add data</h2>
        <Segmented
          label="Add data"
          value={way}
          onChange={setWay}
          options={[
            { value: "upload", label: "Upload a file" },
            { value: "connect", label: "Connect a database" },
          ]}
        />
      </div>
      {way === "upload" ? (
        <UploadArea />
      ) : (
        <div className="connect-card">
          <Icon name="database" className="dropzone-icon" />
          <div className="dropzone-text">
            <p className="strong">Connect PostgreSQL, MySQL, MariaDB or a SQLite file</p>
            <p className="muted small">
              Query it live, read-only, where it is, or import its tables into this workspace on a schedule.
            </p>
          </div>
          <div className="dropzone-actions">
            {engines.map((engine) => (
              <Link key={engine.value} className="button" to={`/sources/connect?engine=${engine.value}`}>
                {engine.label}
              </Link>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

export function DeleteSourceDialog({
  source,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  source: Source | null;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const tables = source?.tables.map((table) => table.name) ?? [];
  return (
    <ConfirmDialog
      open={source !== null}
      title={`Delete ${source?.name ?? "source"}?`}
      confirmLabel="Delete source"
      pending={pending}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        {tables.length > 0 ? (
          <>
            The {tables.length === 1 ? "table" : "tables"} <code>{tables.join(", ")}</code>{" "}
            {source?.mode === "live"
              ? "disappear from this workspace (the database itself is not touched)"
              : source && isDatabase(source)
                ? "and their imported data are removed (the database itself is not touched)"
                : "and the uploaded file are removed"}
            , and queries that use them stop working.
          </>
        ) : (
          "The source is removed."
        )}{" "}
        This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
