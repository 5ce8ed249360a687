import { useState } from "react";
import type { AnswerEntry, AskAnswer } from "../../api/ask.ts";
import type { SqlResult } from "../../api/sources.ts";
import { formatDuration } from "../../components/format.ts";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";
import { ResultTable } from "../../components/ResultTable.tsx";
import { AnswerActions } from "./AnswerActions.tsx";
import { AnswerChart } from "./AnswerChart.tsx";
import { SqlBlock } from "./SqlBlock.tsx";

const confidenceOf = (value: number) => (value >= 0.8 ? "High" : value >= 0.5 ? "Medium" : "Low");
const confidenceTone = { High: "success", Medium: "warning", Low: "danger" } as const;

export interface CardHandlers {
  /** Asks a question in this conversation (follow-ups, clarifications); absent when it is not yours. */
  onAsk?: ((question: string) => void) | undefined;
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

function Answer({
  entry,
  answer,
  onAsk,
  canVerify,
}: { entry: AnswerEntry; answer: AskAnswer } & CardHandlers) {
  const [rerun, setRerun] = useState<SqlResult | null>(null);
  const shown = rerun ?? answer;
  const confidence = confidenceOf(answer.confidence);
  const sql = rerun?.sql ?? answer.sql;

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
            {answer.clarification.options.map((option) => (
              <button
                key={option.label}
                type="button"
                className="chip"
                title={option.sql}
                disabled={!onAsk}
                onClick={() => onAsk?.(option.label)}
              >
                {option.label}
              </button>
            ))}
          </div>
        </section>
      )}
      {answer.explanation && <p className="answer-explanation">{answer.explanation}</p>}
      {rerun && <Notice>Showing the result of your edited SQL.</Notice>}
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
          <SqlBlock sql={answer.sql} sourceId={entry.sourceId} edited={Boolean(rerun)} onResult={setRerun} />
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
        <AnswerActions question={entry.question} sql={sql} sourceId={entry.sourceId} canVerify={canVerify} />
      )}
    </>
  );
}
