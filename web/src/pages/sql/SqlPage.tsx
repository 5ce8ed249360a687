import { type KeyboardEvent, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../api/client.ts";
import {
  type ExportFormat,
  isLive,
  type Source,
  type SqlResult,
  useExportSql,
  useRunSql,
  useSources,
} from "../../api/sources.ts";
import { ErrorState } from "../../components/ErrorState.tsx";
import { SelectField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { ResultTable } from "../../components/ResultTable.tsx";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const runShortcut = isMac ? "⌘ Enter" : "Ctrl Enter";

/** Server timings are fractional milliseconds: a decimal only where it tells something. */
const formatMs = (ms: number) => (ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString()} ms`);

const exportFormats: { value: ExportFormat; label: string }[] = [
  { value: "csv", label: "CSV" },
  { value: "xlsx", label: "XLSX" },
  { value: "parquet", label: "Parquet" },
];

/** "" runs over the workspace's warehouse; a source id runs in that live database. */
const warehouse = "";

export function SqlPage() {
  const [params] = useSearchParams();
  // `?sql=` opens a query from elsewhere (a saved question) in the editor.
  const [sql, setSql] = useState(() => params.get("sql") ?? "");
  const [target, setTarget] = useState(warehouse);
  const run = useRunSql();
  const exporter = useExportSql();
  const sources = useSources();
  const editor = useRef<HTMLTextAreaElement>(null);
  const all = sources.data?.pages.flatMap((page) => page.items) ?? [];
  const liveSources = all.filter((source) => isLive(source) && source.status === "ready");
  const liveSource = liveSources.find((source) => source.id === target);

  const execute = () => {
    if (sql.trim() && !run.isPending) run.mutate({ sql, sourceId: liveSource?.id });
  };
  const download = (format: ExportFormat) => {
    if (sql.trim() && !exporter.isPending) exporter.mutate({ sql, format, sourceId: liveSource?.id });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      execute();
    }
  };

  const pickTable = (table: string) => {
    setSql(`select * from ${table} limit 100`);
    editor.current?.focus();
  };

  return (
    <>
      <PageHeader
        title="SQL"
        description="Run one read-only SELECT over this workspace's tables, or in a live database. Results stop at the server's row cap; exports do not."
      />
      <div className="sql-layout">
        <TableList sources={sources} liveSource={liveSource} onPick={pickTable} />
        <div className="sql-main">
          <form
            className="sql-editor"
            aria-label="SQL query"
            onSubmit={(event) => {
              event.preventDefault();
              execute();
            }}
          >
            {liveSources.length > 0 && (
              <div className="sql-target">
                <SelectField
                  label="Run in"
                  value={liveSource ? liveSource.id : warehouse}
                  onChange={(value) => {
                    setTarget(value);
                    run.reset();
                  }}
                  options={[
                    { value: warehouse, label: "This workspace's tables" },
                    ...liveSources.map((source) => ({
                      value: source.id,
                      label: `${source.name} (live database)`,
                    })),
                  ]}
                />
              </div>
            )}
            <textarea
              ref={editor}
              className="input sql-input"
              aria-label="SQL"
              placeholder="select customer, sum(amount) as total from orders group by 1"
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              rows={8}
              value={sql}
              onChange={(event) => setSql(event.target.value)}
              onKeyDown={onKeyDown}
            />
            <div className="sql-toolbar">
              <span className="muted small">
                <kbd>{runShortcut}</kbd> runs the query
              </span>
              <div className="sql-toolbar-actions">
                <fieldset className="export-buttons" aria-label="Export">
                  <span className="muted small">Export</span>
                  {exportFormats.map((format) => (
                    <button
                      key={format.value}
                      type="button"
                      className="button button-small"
                      aria-label={`Export ${format.label}`}
                      title={`Download the whole result as ${format.label}`}
                      disabled={!sql.trim() || exporter.isPending}
                      onClick={() => download(format.value)}
                    >
                      <Icon name="download" />
                      {exporter.isPending && exporter.variables?.format === format.value
                        ? "Exporting…"
                        : format.label}
                    </button>
                  ))}
                </fieldset>
                {run.isPending ? (
                  <button key="cancel" type="button" className="button button-danger" onClick={run.cancel}>
                    <Icon name="stop" />
                    Cancel
                  </button>
                ) : (
                  <button key="run" type="submit" className="button button-primary" disabled={!sql.trim()}>
                    <Icon name="play" />
                    Run
                  </button>
                )}
              </div>
            </div>
          </form>
          {exporter.isError && (
            <div className="sql-export-error">
              {exporter.error instanceof ApiError && exporter.error.code === "sql_refused" ? (
                <QueryError error={exporter.error} />
              ) : (
                <Notice tone="danger">
                  <span className="strong">Export failed.</span>{" "}
                  {exporter.error instanceof ApiError
                    ? (exporter.error.detail ?? exporter.error.title)
                    : String(exporter.error)}
                </Notice>
              )}
            </div>
          )}
          {run.isPending ? (
            <Loading label="Running…" />
          ) : run.isError ? (
            <QueryError error={run.error} />
          ) : run.data ? (
            <Results result={run.data} />
          ) : null}
        </div>
      </div>
    </>
  );
}

function Results({ result }: { result: SqlResult }) {
  const count = result.rows.length;
  return (
    <section className="section sql-results" aria-label="Results">
      <p className="sql-summary" role="status">
        <span>
          {count.toLocaleString()} {count === 1 ? "row" : "rows"} · {formatMs(result.durationMs)}
        </span>
        {result.cached && (
          <span className="badge badge-info sql-cached" title="The same query over the same data ran before">
            cached
          </span>
        )}
      </p>
      {result.truncated && (
        <Notice tone="warning">
          The result has more rows than the first {count.toLocaleString()} shown here. Add a{" "}
          <code>limit</code>, a filter or an aggregate to see the rest.
        </Notice>
      )}
      {result.columns.length > 0 && (
        <ResultTable label="Query results" columns={result.columns} rows={result.rows} />
      )}
    </section>
  );
}

/** The tables the query can use: a live database's own, or the warehouse's (every other source's). */
function TableList({
  sources,
  liveSource,
  onPick,
}: {
  sources: ReturnType<typeof useSources>;
  liveSource: Source | undefined;
  onPick: (table: string) => void;
}) {
  const tables = liveSource
    ? liveSource.tables.map((table) => ({ ...table, name: table.remoteName ?? table.name }))
    : (sources.data?.pages.flatMap((page) => page.items) ?? [])
        .filter((source) => source.status === "ready" && !isLive(source))
        .flatMap((source) => source.tables);

  return (
    <aside className="sql-tables" aria-label="Tables">
      <h2 className="section-title">{liveSource ? `Tables of ${liveSource.name}` : "Tables"}</h2>
      {sources.isPending ? (
        <Loading />
      ) : sources.isError ? (
        <ErrorState error={sources.error} onRetry={() => sources.refetch()} />
      ) : tables.length === 0 ? (
        <p className="muted small">
          No tables yet. <Link to="/sources">Add data</Link> to query it here.
        </p>
      ) : (
        <ul className="sql-table-list">
          {tables.map((table) => (
            <li key={table.name}>
              <button
                type="button"
                className="sql-table-name"
                title={`Query ${table.name}`}
                onClick={() => onPick(table.name)}
              >
                <Icon name="table" />
                <code>{table.name}</code>
                <span className="muted small">{table.rows.toLocaleString()}</span>
              </button>
              <ul className="sql-column-list" aria-label={`Columns of ${table.name}`}>
                {table.columns.map((column) => (
                  <li key={column.name} title={column.sourceType}>
                    <span className="mono">{column.name}</span>
                    <span className="muted">{column.type}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {sources.hasNextPage && (
        <button
          type="button"
          className="link-button small"
          disabled={sources.isFetchingNextPage}
          onClick={() => sources.fetchNextPage()}
        >
          More sources…
        </button>
      )}
    </aside>
  );
}
