import { type DragEvent, useId, useRef, useState } from "react";
import { ApiError } from "../../api/client.ts";
import {
  acceptedFiles,
  isCancelled,
  type RowPolicy,
  type Source,
  type UploadMode,
  useUploadInto,
  useUploadSource,
} from "../../api/sources.ts";
import { formatBytes } from "../../components/format.ts";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";
import { Segmented } from "../../components/Segmented.tsx";

const policies: { value: RowPolicy; label: string }[] = [
  { value: "reject", label: "Fail the upload" },
  { value: "skip", label: "Skip and set aside" },
];

const policyHints: Record<RowPolicy, string> = {
  reject: "A CSV row that cannot be read stops the load, and nothing changes.",
  skip: "Rows that cannot be read are left out; you can download them from the source afterwards.",
};

/**
 * Picks or drops one data file and uploads it, showing how much has gone out: as a new source,
 * or `into` an existing one (its data replaced or appended to).
 */
export function UploadArea({
  into,
  onUploaded,
}: {
  into?: { source: Source; mode: UploadMode };
  onUploaded?: (source: Source) => void;
}) {
  const create = useUploadSource();
  const reload = useUploadInto(into?.source.id ?? "");
  const upload = into ? reload : create;
  const [rowPolicy, setRowPolicy] = useState<RowPolicy>(into?.source.rowPolicy ?? "reject");
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [uploaded, setUploaded] = useState<Source | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();

  const choose = (chosen: File | undefined) => {
    if (!chosen) return;
    setFile(chosen);
    setUploaded(null);
    upload.reset();
  };

  const start = () => {
    if (!file) return;
    const done = {
      onSuccess: (source: Source) => {
        setUploaded(source);
        setFile(null);
        if (input.current) input.current.value = "";
        onUploaded?.(source);
      },
    };
    if (into) reload.mutate({ file, mode: into.mode, rowPolicy }, done);
    else create.mutate({ file, rowPolicy }, done);
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!upload.isPending) choose(event.dataTransfer.files[0]);
  };

  const percent = upload.progress
    ? Math.round((100 * upload.progress.loaded) / Math.max(upload.progress.total, 1))
    : 0;
  const error = upload.isError && !isCancelled(upload.error) ? upload.error : null;

  return (
    <section className="upload-card" aria-label="Upload a file">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the file input inside is the accessible way in */}
      <div
        className={`dropzone${dragging ? " dragging" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <Icon name="upload" className="dropzone-icon" />
        <div className="dropzone-text">
          {file ? (
            <p>
              <span className="strong">{file.name}</span>{" "}
              <span className="muted">· {formatBytes(file.size)}</span>
            </p>
          ) : (
            <p>
              <span className="strong">Drop a file here</span> or choose one to upload
            </p>
          )}
          <p className="dropzone-hint muted small">
            {into
              ? into.mode === "append"
                ? "A file with the same columns: its rows are added to the table."
                : "The file's data takes the place of the current data."
              : "CSV, TSV, JSON, NDJSON, Parquet, Excel (.xlsx), SQLite or DuckDB. Each file, sheet or table becomes a table."}
          </p>
        </div>
        <div className="dropzone-actions">
          <label htmlFor={inputId} className={`button${upload.isPending ? " disabled" : ""}`}>
            {file ? "Choose another" : "Choose a file"}
          </label>
          <input
            ref={input}
            id={inputId}
            type="file"
            className="visually-hidden"
            accept={acceptedFiles}
            aria-label="Data file"
            disabled={upload.isPending}
            onChange={(event) => choose(event.target.files?.[0])}
          />
          <button
            type="button"
            className="button button-primary"
            disabled={!file || upload.isPending}
            onClick={start}
          >
            <Icon name="upload" />
            {into ? (into.mode === "append" ? "Append" : "Replace") : "Upload"}
          </button>
        </div>
      </div>
      <div className="upload-options">
        <span className="form-label">Malformed rows</span>
        <Segmented label="Malformed rows" options={policies} value={rowPolicy} onChange={setRowPolicy} />
        <span className="muted small">{policyHints[rowPolicy]}</span>
      </div>
      {upload.isPending && (
        <div className="upload-progress">
          <div className="progress">
            <div
              className="progress-track"
              role="progressbar"
              aria-label={`Uploading ${file?.name ?? "file"}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <div className="progress-bar" style={{ width: `${percent}%` }} />
            </div>
            <span className="progress-label">{percent}%</span>
          </div>
          <div className="upload-progress-row">
            <span className="muted small">
              {percent < 100
                ? `Uploading ${formatBytes(upload.progress?.loaded ?? 0)} of ${formatBytes(upload.progress?.total ?? 0)}`
                : "Upload sent; checking the file…"}
            </span>
            <button type="button" className="link-button small" onClick={upload.cancel}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <Notice tone="danger">
          <span className="strong">Upload failed.</span>{" "}
          {error instanceof ApiError ? (error.detail ?? error.title) : String(error)}
        </Notice>
      )}
      {uploaded && !upload.isPending && !into && (
        <Notice tone="success">
          {uploaded.name} uploaded. It is loading into a table; its status below turns ready when done.
        </Notice>
      )}
    </section>
  );
}
