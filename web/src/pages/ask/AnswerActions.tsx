import { useState } from "react";
import { type AnswerQuery, useSaveQuery, useUpdateQuery } from "../../api/ask.ts";
import { ApiError } from "../../api/client.ts";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";

/**
 * Save, Favorite and Verify for the question → SQL pair a card shows (its edited SQL, once re-run).
 * In your own conversation they change the answer's history entry (`history`), taking the edited SQL
 * along; elsewhere they save a pair of your own first. Verify is for analysts and up (`canVerify`).
 */
export function AnswerActions({
  question,
  sql,
  sourceId,
  history,
  canVerify,
}: {
  question: string;
  sql: string;
  sourceId: string | null;
  history: AnswerQuery | null;
  canVerify: boolean;
}) {
  const [changed, setChanged] = useState<AnswerQuery | null>(null);
  const save = useSaveQuery();
  const update = useUpdateQuery();
  const [error, setError] = useState<unknown>(null);
  // The conversation read back (or changed from the Saved tab) is newer than the last response.
  const [seen, setSeen] = useState(history);
  if (seen !== history) {
    setSeen(history);
    setChanged(null);
  }
  const pair = changed ?? history;
  // The pair holds other SQL than the card shows (edited, or back to the answer): not this one.
  const current = pair?.sql === sql ? pair : null;
  const busy = save.isPending || update.isPending;

  const act = async (work: () => Promise<AnswerQuery>) => {
    setError(null);
    try {
      setChanged(await work());
    } catch (failure) {
      setError(failure);
    }
  };
  /** Saves the card's pair: its history entry (with the SQL shown), or a new pair. */
  const change = async (flags: { favorite?: boolean; verified?: boolean }) => {
    if (pair) {
      return update.mutateAsync({
        id: pair.id,
        saved: true,
        ...(pair.sql !== sql ? { sql } : {}),
        ...flags,
      });
    }
    const created = await save.mutateAsync({
      question,
      sql,
      sourceId,
      ...(flags.favorite ? { favorite: true } : {}),
    });
    setChanged(created);
    return flags.verified ? update.mutateAsync({ id: created.id, verified: true }) : created;
  };

  return (
    <div className="answer-actions">
      <button
        type="button"
        className="button button-small"
        disabled={busy || Boolean(current?.saved)}
        onClick={() => act(() => change({}))}
      >
        <Icon name={current?.saved ? "check" : "bookmark"} />
        {current?.saved ? "Saved" : "Save"}
      </button>
      <button
        type="button"
        className={`button button-small${current?.favorite ? " button-on" : ""}`}
        aria-pressed={Boolean(current?.favorite)}
        disabled={busy}
        onClick={() => act(() => change({ favorite: !current?.favorite }))}
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
          onClick={() => act(() => change({ verified: !current?.verified }))}
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
