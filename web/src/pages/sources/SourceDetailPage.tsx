import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/client.ts";
import {
  type Source,
  type SourceTable,
  useDeleteSource,
  useSource,
  useSourcePreview,
} from "../../api/sources.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { ResultTable } from "../../components/ResultTable.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";
import { SourceStatus, sourceSummary } from "./SourceStatus.tsx";
import { DeleteSourceDialog } from "./SourcesPage.tsx";

const backLink = (
  <Link to="/sources" className="back-link">
    <Icon name="back" /> Sources
  </Link>
);

const rowCount = (rows: number) => `${rows.toLocaleString()} ${rows === 1 ? "row" : "rows"}`;

export function SourceDetailPage() {
  const { id = "" } = useParams();
  const source = useSource(id);

  if (source.isPending) return <Loading />;
  if (source.isError) {
    const missing = source.error instanceof ApiError && source.error.status === 404;
    return (
      <>
        <PageHeader eyebrow={backLink} title={missing ? "Source not found" : "Source"} />
        {missing ? (
          <EmptyState
            icon="database"
            title="There is no such source in this workspace"
            description="It may have been deleted, or it belongs to another workspace."
            action={
              <Link className="button button-primary" to="/sources">
                Go to Sources
              </Link>
            }
          />
        ) : (
          <ErrorState error={source.error} onRetry={() => source.refetch()} />
        )}
      </>
    );
  }
  return <SourceDetail source={source.data} />;
}

const schemaColumns: Column<SourceTable["columns"][number]>[] = [
  { key: "name", header: "Column", render: (column) => <code>{column.name}</code> },
  { key: "type", header: "Type", width: "9rem", render: (column) => column.type },
  {
    key: "sourceType",
    header: "Engine type",
    width: "12rem",
    render: (column) => <span className="muted mono small">{column.sourceType}</span>,
  },
];

function SourceDetail({ source }: { source: Source }) {
  const { role } = useSession();
  const navigate = useNavigate();
  const remove = useDeleteSource();
  const [deleting, setDeleting] = useState(false);
  const [selected, setSelected] = useState<string | undefined>();
  const table = source.tables.find((item) => item.name === selected) ?? source.tables[0];

  return (
    <>
      <PageHeader
        eyebrow={backLink}
        title={source.name}
        description={
          <>
            {sourceSummary(source)} · uploaded <Time value={source.createdAt} />
          </>
        }
        actions={
          <>
            <SourceStatus source={source} />
            {canWriteData(role) && (
              <button type="button" className="button button-danger" onClick={() => setDeleting(true)}>
                Delete
              </button>
            )}
          </>
        }
      />
      {source.status === "processing" ? (
        <Loading label="Loading the file into a table…" />
      ) : source.status === "failed" ? (
        <Notice tone="danger">
          <span className="strong">This file could not be loaded.</span> {source.error}
        </Notice>
      ) : (
        <>
          <section className="section" aria-label="Tables">
            <h2 className="section-title">Tables</h2>
            <div className="schema-grid">
              {source.tables.map((item) => (
                <section key={item.name} className="schema-card" aria-label={`Table ${item.name}`}>
                  <header className="schema-card-header">
                    <Icon name="table" />
                    <code className="strong">{item.name}</code>
                    <span className="muted small">
                      {rowCount(item.rows)} · {item.columns.length}{" "}
                      {item.columns.length === 1 ? "column" : "columns"}
                    </span>
                    {source.tables.length > 1 && (
                      <button
                        type="button"
                        className="button button-small"
                        aria-pressed={item.name === table?.name}
                        onClick={() => setSelected(item.name)}
                      >
                        Preview
                      </button>
                    )}
                  </header>
                  <Table
                    label={`Columns of ${item.name}`}
                    columns={schemaColumns}
                    rows={item.columns}
                    rowKey={(column) => column.name}
                  />
                </section>
              ))}
            </div>
          </section>
          {table && <Preview source={source} table={table} />}
        </>
      )}
      <DeleteSourceDialog
        source={deleting ? source : null}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate(source.id, { onSuccess: () => navigate("/sources") })}
        onCancel={() => {
          setDeleting(false);
          remove.reset();
        }}
      />
    </>
  );
}

function Preview({ source, table }: { source: Source; table: SourceTable }) {
  const preview = useSourcePreview(source, table.name);
  return (
    <section className="section" aria-label="Preview">
      <h2 className="section-title">
        Preview{" "}
        <span className="muted small">
          first {Math.min(100, table.rows)} of {rowCount(table.rows)}
        </span>
      </h2>
      {preview.isPending ? (
        <Loading />
      ) : preview.isError ? (
        <ErrorState error={preview.error} onRetry={() => preview.refetch()} />
      ) : preview.data.rows.length === 0 ? (
        <EmptyState icon="table" title="This table has no rows" />
      ) : (
        <ResultTable
          label={`Preview of ${table.name}`}
          columns={preview.data.columns}
          rows={preview.data.rows}
        />
      )}
    </section>
  );
}
