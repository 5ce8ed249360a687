import { type KeyboardEvent, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/client.ts";
import { type SqlResult, useRunSql, useSources } from "../../api/sources.ts";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { ResultTable } from "../../components/ResultTable.tsx";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const runShortcut = isMac ? "⌘ Enter" : "Ctrl Enter";

/** Server timings are fractional milliseconds: a decimal only where it tells something. */
const formatMs = (ms: number) => (ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString()} ms`);

export function SqlPage() {
  const [sql, setSql] = useState("");
  const run = useRunSql();
  const editor = useRef<HTMLTextAreaElement>(null);

  const execute = () => {
    if (sql.trim() && !run.isPending) run.mutate(sql);
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
        description="Run one read-only SELECT over this workspace's tables. Results stop at the server's row cap."
      />
      <div className="sql-layout">
        <TableList onPick={pickTable} />
        <div className="sql-main">
          <form
            className="sql-editor"
            aria-label="SQL query"
            onSubmit={(event) => {
              event.preventDefault();
              execute();
            }}
          >
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
              <button type="submit" className="button button-primary" disabled={!sql.trim() || run.isPending}>
                <Icon name="play" />
                {run.isPending ? "Running…" : "Run"}
              </button>
            </div>
          </form>
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

function QueryError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === "sql_refused") {
    const reason = error.extensions.reason;
    return (
      <Notice tone="danger">
        <span className="strong">Query refused.</span> {error.detail ?? error.title}
        {typeof reason === "string" && (
          <span className="refusal-reason">
            Reason: <code>{reason}</code>
          </span>
        )}
      </Notice>
    );
  }
  return <ErrorState error={error} />;
}

function Results({ result }: { result: SqlResult }) {
  const count = result.rows.length;
  return (
    <section className="section sql-results" aria-label="Results">
      <p className="sql-summary" role="status">
        {count.toLocaleString()} {count === 1 ? "row" : "rows"} · {formatMs(result.durationMs)}
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

function TableList({ onPick }: { onPick: (table: string) => void }) {
  const sources = useSources();
  const tables = (sources.data?.pages.flatMap((page) => page.items) ?? [])
    .filter((source) => source.status === "ready")
    .flatMap((source) => source.tables);

  return (
    <aside className="sql-tables" aria-label="Tables">
      <h2 className="section-title">Tables</h2>
      {sources.isPending ? (
        <Loading />
      ) : sources.isError ? (
        <ErrorState error={sources.error} onRetry={() => sources.refetch()} />
      ) : tables.length === 0 ? (
        <p className="muted small">
          No tables yet. <Link to="/sources">Upload a file</Link> to query it here.
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
