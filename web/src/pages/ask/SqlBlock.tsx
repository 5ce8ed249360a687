import { useState } from "react";
import { Icon } from "../../components/Icon.tsx";
import { QueryError } from "../../components/QueryError.tsx";

/**
 * The answer's SQL, folded away; "Edit and re-run" hands an edited statement to the card, which
 * runs it through the same guard and executor (and keeps it with the answer, in your conversation).
 */
export function SqlBlock({
  sql,
  edited,
  onRun,
  onBack,
}: {
  /** The answer's statement. */
  sql: string;
  /** The edited statement whose result the card shows, if any. */
  edited: string | null;
  /** Runs an edited statement; rejects with why it could not run. */
  onRun: (sql: string) => Promise<unknown>;
  onBack: () => void;
}) {
  const [open, setOpen] = useState(Boolean(edited));
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(edited ?? sql);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const execute = async () => {
    if (!draft.trim() || running) return;
    setRunning(true);
    setError(null);
    try {
      await onRun(draft);
      setEditing(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setRunning(false);
    }
  };

  return (
    <details className="answer-sql" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        <Icon name="code" className="answer-sql-icon" />
        SQL{edited !== null && <span className="badge badge-accent">edited</span>}
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
          {error ? <QueryError error={error} /> : null}
          <div className="answer-sql-actions">
            <button type="button" className="button button-small" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="button button-small button-primary" disabled={running}>
              <Icon name="play" />
              {running ? "Running…" : "Run"}
            </button>
          </div>
        </form>
      ) : (
        <>
          <pre className="code-block">{edited ?? sql}</pre>
          <div className="answer-sql-actions">
            {edited !== null && (
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  setDraft(sql);
                  onBack();
                }}
              >
                Back to the answer
              </button>
            )}
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setError(null);
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
