import { useState } from "react";
import { type SavedQuery, useSaveQuery, useUpdateQuery } from "../../api/ask.ts";
import { ApiError } from "../../api/client.ts";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";

/**
 * Save, Favorite and Verify for the question → SQL pair a card shows (its edited SQL, once re-run).
 * Favorite and Verify save the pair first; Verify is for analysts and up (`canVerify`).
 */
export function AnswerActions({
  question,
  sql,
  sourceId,
  canVerify,
}: {
  question: string;
  sql: string;
  sourceId: string | null;
  canVerify: boolean;
}) {
  const [saved, setSaved] = useState<SavedQuery | null>(null);
  const save = useSaveQuery();
  const update = useUpdateQuery();
  const [error, setError] = useState<unknown>(null);
  // Saved before the SQL was edited: the edited statement is another pair.
  const current = saved?.sql === sql ? saved : null;
  const busy = save.isPending || update.isPending;

  const act = async (work: () => Promise<SavedQuery>) => {
    setError(null);
    try {
      setSaved(await work());
    } catch (failure) {
      setError(failure);
    }
  };
  const ensureSaved = async (favorite?: boolean) =>
    current ?? (await save.mutateAsync({ question, sql, sourceId, ...(favorite ? { favorite } : {}) }));

  return (
    <div className="answer-actions">
      <button
        type="button"
        className="button button-small"
        disabled={busy || Boolean(current)}
        onClick={() => act(() => ensureSaved())}
      >
        <Icon name={current ? "check" : "bookmark"} />
        {current ? "Saved" : "Save"}
      </button>
      <button
        type="button"
        className={`button button-small${current?.favorite ? " button-on" : ""}`}
        aria-pressed={Boolean(current?.favorite)}
        disabled={busy}
        onClick={() =>
          act(async () =>
            current ? update.mutateAsync({ id: current.id, favorite: !current.favorite }) : ensureSaved(true),
          )
        }
      >
        <Icon name="star" />
        {current?.favorite ? "Favorited" : "Favorite"}
      </button>
      {canVerify && (
        <button
          type="button"
          className={`button button-small${current?.verified ? " button-on" : ""}`}
          aria-pressed={Boolean(current?.verified)}
          title="Mark the SQL correct for this question: the engines learn from verified pairs"
          disabled={busy}
          onClick={() =>
            act(async () => {
              const pair = await ensureSaved();
              setSaved(pair);
              return update.mutateAsync({ id: pair.id, verified: !pair.verified });
            })
          }
        >
          <Icon name="shield" />
          {current?.verified ? "Verified" : "Verify"}
        </button>
      )}
      {error ? (
        <Notice tone="danger">
          {error instanceof ApiError ? (error.detail ?? error.title) : "The query could not be saved."}
        </Notice>
      ) : null}
    </div>
  );
}
