import { useState } from "react";
import { type AnswerEntry, type AskAnswer, type EditedSql, useEditAnswer } from "../../api/ask.ts";
import { useRunSql } from "../../api/sources.ts";
import { formatDuration } from "../../components/format.ts";
import { Icon } from "../../components/Icon.tsx";
import { InsightsButton } from "../../components/InsightsButton.tsx";
import { Notice } from "../../components/Notice.tsx";
import { ResultTable } from "../../components/ResultTable.tsx";
import { AlertMeButton } from "../alerts/AlertDialogs.tsx";
import { AnswerActions } from "./AnswerActions.tsx";
import { AnswerChart } from "./AnswerChart.tsx";
import { PinToDashboard } from "./PinToDashboard.tsx";
import { SqlBlock } from "./SqlBlock.tsx";

const confidenceOf = (value: number) => (value >= 0.8 ? "High" : value >= 0.5 ? "Medium" : "Low");
const confidenceTone = { High: "success", Medium: "warning", Low: "danger" } as const;

export interface CardHandlers {
  /** The conversation the card is in. */
  conversationId: string;
  /** Asks a question in this conversation (follow-ups); absent when it is not yours. */
  onAsk?: ((question: string) => void) | undefined;
  /** Runs the chosen reading of a clarification; absent when the conversation is not yours. */
  onClarify?: ((answerId: string, option: number, question: string) => void) | undefined;
  /** Puts a question back in the box to edit. */
  onRephrase?: ((question: string) => void) | undefined;
  canVerify: boolean;
}

/** One question of a conversation: its answer (chart, table, SQL, explanation) or why it got none. */
export function AnswerCard({ entry, ...handlers }: { entry: AnswerEntry } & CardHandlers) {
  return (
    <article className="answer-card" aria-label={`Answer: ${entry.question}`}>
      <header className="answer-header">
        <h3 className="answer-question">{entry.question}</h3>
        <span className="muted small">{formatDuration(Math.round(entry.durationMs))}</span>
      </header>
      {entry.answer && (entry.answer.sql || entry.answer.clarification) ? (
        <Answer entry={entry} answer={entry.answer} {...handlers} />
      ) : (
        <Failure
          entry={
            // An engine that declined (no SQL, nothing to choose between) says why in its explanation.
            entry.answer && !entry.error
              ? { ...entry, error: { code: "not_answered", message: entry.answer.explanation } }
              : entry
          }
          onRephrase={handlers.onRephrase}
        />
      )}
    </article>
  );
}

function Failure({ entry, onRephrase }: { entry: AnswerEntry; onRephrase: CardHandlers["onRephrase"] }) {
  const error = entry.error;
  return (
    <Notice tone="danger">
      <span className="strong">
        {error?.code === "sql_refused" ? "Refused." : "This question could not be answered."}
      </span>{" "}
      {error?.message ?? "Something went wrong."}
      {error?.reason && (
        <span className="refusal-reason">
          Reason: <code>{error.reason}</code>
        </span>
      )}
      <span className="answer-hint">
        Rephrase it: ask about the data (“how many”, “total … by …”), naming a table or column.{" "}
        {onRephrase && (
          <button type="button" className="link-button" onClick={() => onRephrase(entry.question)}>
            Rephrase
          </button>
        )}
      </span>
    </Notice>
  );
}

/**
 * The card's edited SQL: kept with the answer in your own conversation (`PATCH …/answers/{id}`),
 * only on the page in someone else's (`POST /sql`).
 */
function useEditedSql(entry: AnswerEntry, conversationId: string, yours: boolean) {
  const edit = useEditAnswer();
  const runSql = useRunSql();
  const [local, setLocal] = useState<EditedSql | null>(null);
  const where = { conversationId, answerId: entry.id };
  return {
    edited: yours ? entry.edited : local,
    run: async (sql: string) => {
      if (yours) await edit.mutateAsync({ ...where, sql });
      else setLocal(await runSql.mutateAsync({ sql, sourceId: entry.sourceId ?? undefined }));
    },
    back: () => (yours ? edit.mutate({ ...where, sql: null }) : setLocal(null)),
  };
}

function Answer({
  entry,
  answer,
  conversationId,
  onAsk,
  onClarify,
  canVerify,
}: { entry: AnswerEntry; answer: AskAnswer } & CardHandlers) {
  const { edited, run, back } = useEditedSql(entry, conversationId, Boolean(onAsk));
  const shown = edited ?? answer;
  const confidence = confidenceOf(answer.confidence);
  const sql = edited?.sql ?? answer.sql;

  return (
    <>
      <div className="answer-meta">
        <span
          className={`badge badge-${confidenceTone[confidence]}`}
          title={`Confidence ${answer.confidence.toFixed(2)}`}
        >
          {confidence} confidence
        </span>
        <span className="badge badge-neutral" title="The engine that answered">
          {answer.engine === "llm" ? "Language model" : "Offline engine"}
        </span>
      </div>
      {answer.disagreement && <Notice tone="warning">{answer.disagreement}</Notice>}
      {answer.clarification && (
        <section className="answer-clarification" aria-label="Clarification">
          <p className="strong">{answer.clarification.question}</p>
          <div className="chip-row">
            {answer.clarification.options.map((option, index) => (
              <button
                key={option.label}
                type="button"
                className="chip"
                title={option.sql}
                disabled={!onClarify}
                onClick={() => onClarify?.(entry.id, index, entry.question)}
              >
                {option.label}
              </button>
            ))}
          </div>
        </section>
      )}
      {answer.explanation && <p className="answer-explanation">{answer.explanation}</p>}
      {edited && <Notice>Showing the result of your edited SQL.</Notice>}
      {sql && (
        <>
          <AnswerChart spec={answer.chart} columns={shown.columns} rows={shown.rows} />
          {shown.columns.length > 0 && (
            <ResultTable label={`Result of ${entry.question}`} columns={shown.columns} rows={shown.rows} />
          )}
          {shown.truncated && (
            <p className="muted small">
              Only the first {shown.rows.length.toLocaleString()} rows are shown; export the SQL for all of
              them.
            </p>
          )}
          <SqlBlock sql={answer.sql} edited={edited?.sql ?? null} onRun={run} onBack={back} />
        </>
      )}
      {answer.followups.length > 0 && onAsk && (
        <nav className="chip-row" aria-label="Follow-up questions">
          {answer.followups.map((followup) => (
            <button key={followup} type="button" className="chip" onClick={() => onAsk(followup)}>
              <Icon name="arrow" />
              {followup}
            </button>
          ))}
        </nav>
      )}
      {sql && (
        <div className="answer-footer">
          <AnswerActions
            question={entry.question}
            sql={sql}
            sourceId={entry.sourceId}
            history={entry.query}
            canVerify={canVerify}
          />
          {canVerify && (
            <PinToDashboard
              question={entry.question}
              sql={sql}
              sourceId={entry.sourceId}
              chart={answer.chart}
            />
          )}
          <InsightsButton sql={sql} sourceId={entry.sourceId} label={entry.question} />
          {canVerify && <AlertMeButton question={entry.question} sql={sql} sourceId={entry.sourceId} />}
        </div>
      )}
    </>
  );
}
