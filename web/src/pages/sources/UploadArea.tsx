import { type DragEvent, useId, useRef, useState } from "react";
import { ApiError } from "../../api/client.ts";
import { acceptedFiles, isCancelled, type Source, useUploadSource } from "../../api/sources.ts";
import { formatBytes } from "../../components/format.ts";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";

/** Picks or drops one data file and uploads it, showing how much has gone out. */
export function UploadArea({ onUploaded }: { onUploaded?: (source: Source) => void }) {
  const upload = useUploadSource();
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
    upload.mutate(file, {
      onSuccess: (source) => {
        setUploaded(source);
        setFile(null);
        if (input.current) input.current.value = "";
        onUploaded?.(source);
      },
    });
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
            CSV, TSV, JSON, NDJSON or Parquet. Each file becomes a table.
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
            Upload
          </button>
        </div>
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
      {uploaded && !upload.isPending && (
        <Notice tone="success">
          {uploaded.name} uploaded. It is loading into a table; its status below turns ready when done.
        </Notice>
      )}
    </section>
  );
}
