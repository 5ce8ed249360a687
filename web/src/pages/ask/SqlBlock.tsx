import { useState } from "react";
import { type SqlResult, useRunSql } from "../../api/sources.ts";
import { Icon } from "../../components/Icon.tsx";
import { QueryError } from "../../components/QueryError.tsx";

/**
 * The answer's SQL, folded away; "Edit and re-run" runs an edited statement through `POST /sql`
 * (the same guard and executor) and hands its result to the card.
 */
export function SqlBlock({
  sql,
  sourceId,
  edited,
  onResult,
}: {
  sql: string;
  sourceId: string | null;
  /** The card shows an edited query's result. */
  edited: boolean;
  onResult: (result: SqlResult | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(sql);
  const run = useRunSql();

  const execute = () => {
    if (!draft.trim() || run.isPending) return;
    run.mutate(
      { sql: draft, sourceId: sourceId ?? undefined },
      {
        onSuccess: (result) => {
          onResult(result);
          setEditing(false);
        },
      },
    );
  };

  return (
    <details className="answer-sql" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        <Icon name="code" className="answer-sql-icon" />
        SQL{edited && <span className="badge badge-accent">edited</span>}
      </summary>
      {editing ? (
        <form
          className="answer-sql-editor"
          aria-label="Edit SQL"
          onSubmit={(event) => {
            event.preventDefault();
            execute();
          }}
        >
          <textarea
            className="input sql-input"
            aria-label="SQL"
            spellCheck={false}
            rows={Math.min(14, draft.split("\n").length + 2)}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
                event.preventDefault();
                execute();
              }
            }}
          />
          {run.isError && <QueryError error={run.error} />}
          <div className="answer-sql-actions">
            <button type="button" className="button button-small" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="button button-small button-primary" disabled={run.isPending}>
              <Icon name="play" />
              {run.isPending ? "Running…" : "Run"}
            </button>
          </div>
        </form>
      ) : (
        <>
          <pre className="code-block">{edited ? draft : sql}</pre>
          <div className="answer-sql-actions">
            {edited && (
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  setDraft(sql);
                  onResult(null);
                }}
              >
                Back to the answer
              </button>
            )}
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                run.reset();
                setEditing(true);
              }}
            >
              <Icon name="pencil" />
              Edit and re-run
            </button>
          </div>
        </>
      )}
    </details>
  );
}
