import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/client.ts";
import {
  isDatabase,
  type Source,
  type SourceTable,
  type UploadMode,
  useDeleteSource,
  useSource,
  useSourcePreview,
} from "../../api/sources.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { SelectField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { ResultTable } from "../../components/ResultTable.tsx";
import { Tabs } from "../../components/Tabs.tsx";
import { Time } from "../../components/Time.tsx";
import { ConnectionTab } from "./ConnectionTab.tsx";
import { ProfileTab } from "./ProfileTab.tsx";
import { QualityTab } from "./QualityTab.tsx";
import { QuarantineLink } from "./QuarantineLink.tsx";
import { rowCount, SchemaTab } from "./SchemaTab.tsx";
import { SourceStatus, sourceSummary } from "./SourceStatus.tsx";
import { DeleteSourceDialog } from "./SourcesPage.tsx";
import { UploadArea } from "./UploadArea.tsx";

const backLink = (
  <Link to="/sources" className="back-link">
    <Icon name="back" /> Sources
  </Link>
);

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

function SourceDetail({ source }: { source: Source }) {
  const { role } = useSession();
  const writer = canWriteData(role);
  const navigate = useNavigate();
  const remove = useDeleteSource();
  const [deleting, setDeleting] = useState(false);
  const [reloading, setReloading] = useState<UploadMode | null>(null);
  const database = isDatabase(source);
  const firstLoad = source.status === "processing" && source.tables.length === 0;

  const tabs = [
    { id: "schema", label: "Schema", content: <SchemaTab source={source} /> },
    { id: "preview", label: "Preview", content: <PreviewTab source={source} /> },
    { id: "profile", label: "Profile", content: <ProfileTab source={source} /> },
    { id: "quality", label: "Quality", content: <QualityTab source={source} /> },
    ...(database
      ? [{ id: "connection", label: "Connection", content: <ConnectionTab source={source} /> }]
      : []),
  ];

  return (
    <>
      <PageHeader
        eyebrow={backLink}
        title={source.name}
        description={
          <>
            {sourceSummary(source)} · {database ? "connected" : "uploaded"} <Time value={source.createdAt} />
          </>
        }
        actions={
          <>
            <SourceStatus source={source} />
            {writer && !database && (
              <>
                <button
                  type="button"
                  className="button"
                  disabled={source.status === "processing"}
                  onClick={() => setReloading("replace")}
                >
                  <Icon name="upload" />
                  Replace data
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={source.status === "processing"}
                  onClick={() => setReloading("append")}
                >
                  <Icon name="plus" />
                  Append data
                </button>
              </>
            )}
            {writer && (
              <button type="button" className="button button-danger" onClick={() => setDeleting(true)}>
                Delete
              </button>
            )}
          </>
        }
      />
      {source.status === "processing" && !firstLoad && (
        <Notice>New data is loading; what is shown here is the data from before until it is done.</Notice>
      )}
      {source.status === "failed" && (
        <Notice tone="danger">
          <span className="strong">
            {source.tables.length > 0
              ? "The last load failed; the data from before stays."
              : "This source could not be loaded."}
          </span>{" "}
          {source.error}
        </Notice>
      )}
      {source.hasQuarantine && source.status !== "processing" && (
        <Notice tone="warning">
          <span className="strong">
            {source.rejectedRows.toLocaleString()} malformed{" "}
            {source.rejectedRows === 1 ? "row was" : "rows were"} skipped
          </span>{" "}
          in the last load and set aside. <QuarantineLink source={source} />
        </Notice>
      )}
      {firstLoad ? (
        <Loading label={database ? "Importing the database's tables…" : "Loading the file into a table…"} />
      ) : source.status === "failed" && source.tables.length === 0 ? null : (
        <div className="section">
          <Tabs label="Source" tabs={tabs} />
        </div>
      )}
      <ReloadDialog source={source} mode={reloading} onClose={() => setReloading(null)} />
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

/** A new file into this source: its data replaced or appended to. */
function ReloadDialog({
  source,
  mode,
  onClose,
}: {
  source: Source;
  mode: UploadMode | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={mode !== null}
      onClose={onClose}
      wide
      title={mode === "append" ? `Append data to ${source.name}` : `Replace the data of ${source.name}`}
      description={
        mode === "append"
          ? "The new file's rows are added to the table. It needs the same columns."
          : "The new file's data takes the place of the current data. If it fails to load, the current data stays."
      }
    >
      {mode && <UploadArea into={{ source, mode }} onUploaded={onClose} />}
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </DialogActions>
    </Dialog>
  );
}

function PreviewTab({ source }: { source: Source }) {
  const [selected, setSelected] = useState<string | undefined>();
  const table = source.tables.find((item) => item.name === selected) ?? source.tables[0];
  if (!table) return <EmptyState icon="table" title="No tables yet" />;
  return (
    <>
      {source.tables.length > 1 && (
        <div className="preview-picker">
          <SelectField
            label="Table"
            value={table.name}
            options={source.tables.map((item) => ({ value: item.name, label: item.name }))}
            onChange={setSelected}
          />
        </div>
      )}
      <Preview source={source} table={table} />
    </>
  );
}

function Preview({ source, table }: { source: Source; table: SourceTable }) {
  const preview = useSourcePreview(source, table.name);
  return (
    <section aria-label="Preview">
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
