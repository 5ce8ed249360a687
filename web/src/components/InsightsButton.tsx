import { useState } from "react";
import { type Insight, useInsights } from "../api/insights.ts";
import { Dialog } from "./Dialog.tsx";
import { Icon } from "./Icon.tsx";
import { Loading } from "./Loading.tsx";
import { QueryError } from "./QueryError.tsx";

const kindLabels: Record<Insight["kind"], string> = {
  summary: "Summary",
  trend: "Trend",
  seasonality: "Season",
  anomaly: "Anomaly",
  correlation: "Correlation",
  driver: "Driver",
  forecast: "Forecast",
  clusters: "Groups",
};

/** "Insights": the statistics of a query's result, as sentences, in a dialog. */
export function InsightsButton({
  sql,
  sourceId,
  label,
}: {
  sql: string;
  sourceId?: string | null;
  label: string;
}) {
  const [open, setOpen] = useState(false);
  const insights = useInsights();
  const show = () => {
    setOpen(true);
    insights.mutate({ sql, ...(sourceId ? { sourceId } : {}) });
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={show}>
        <Icon name="star" />
        Insights
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Insights: ${label}`} wide>
        {insights.isPending ? (
          <Loading label="Looking for insights…" />
        ) : insights.error ? (
          <QueryError error={insights.error} />
        ) : insights.data && insights.data.items.length === 0 ? (
          <p className="muted">Nothing stands out in these {insights.data.rows} rows.</p>
        ) : (
          <ul className="insight-list" aria-label="Insights">
            {insights.data?.items.map((insight) => (
              <li key={`${insight.kind}-${insight.title}`} className="insight">
                <span className="badge badge-info">{kindLabels[insight.kind]}</span>
                <span>{insight.sentence}</span>
              </li>
            ))}
          </ul>
        )}
        {insights.data?.truncated && (
          <p className="muted small">Read from the first {insights.data.rows.toLocaleString()} rows.</p>
        )}
      </Dialog>
    </>
  );
}
