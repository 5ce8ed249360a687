import { Icon } from "../../components/Icon.tsx";

/** Where a running question is, from its live events; `null` until the first one arrives. */
export type AskStage = "typing" | "planning" | "running_sql" | "building_chart" | "done";

const steps: { stage: AskStage; label: string }[] = [
  { stage: "typing", label: "Reading the question" },
  { stage: "planning", label: "Planning the query" },
  { stage: "running_sql", label: "Running the SQL" },
  { stage: "building_chart", label: "Building the chart" },
];
const order: AskStage[] = [...steps.map((step) => step.stage), "done"];

/** The question being answered with its progress; a plain spinner when no live events arrive. */
export function AskProgress({ question, stage }: { question: string; stage: AskStage | null }) {
  const at = stage ? order.indexOf(stage) : -1;
  return (
    <article className="answer-card answer-pending" aria-label={`Answering: ${question}`} aria-busy="true">
      <h3 className="answer-question">{question}</h3>
      <div className="ask-progress" role="status" aria-live="polite">
        {stage === null ? (
          <span className="ask-step ask-step-current">
            <span className="spinner" aria-hidden="true" />
            Working on it…
          </span>
        ) : (
          <ol className="ask-steps">
            {steps.map((step, index) => {
              const state = index < at ? "done" : index === at ? "current" : "todo";
              return (
                <li key={step.stage} className={`ask-step ask-step-${state}`} data-state={state}>
                  {state === "done" ? (
                    <Icon name="check" />
                  ) : state === "current" ? (
                    <span className="spinner" aria-hidden="true" />
                  ) : (
                    <span className="ask-step-dot" aria-hidden="true" />
                  )}
                  {step.label}
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </article>
  );
}
