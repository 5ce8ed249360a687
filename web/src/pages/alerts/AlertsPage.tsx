import { useState } from "react";
import { Link } from "react-router";
import {
  type Alert,
  type AlertCondition,
  scheduleLabel,
  useAlertActions,
  useAlertHistory,
  useAlerts,
  useSubscriptionActions,
  useSubscriptions,
} from "../../api/alerts.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { Time } from "../../components/Time.tsx";

/** An alert's condition in words: "total > 1,000", "changes by 10% or more", "any row". */
export function describeCondition(condition: AlertCondition): string {
  const subject = "column" in condition && condition.column ? condition.column : "the figure";
  switch (condition.kind) {
    case "threshold":
      return `${subject} ${condition.op} ${condition.value.toLocaleString()}`;
    case "change":
      return `${subject} ${condition.direction === "up" ? "rises" : condition.direction === "down" ? "falls" : "changes"} by ${condition.percent}% or more`;
    case "anomaly":
      return `${subject} is unusual for its trend`;
    case "has_rows":
      return "the question returns any row";
  }
}

function History({ alert }: { alert: Alert }) {
  const history = useAlertHistory(alert.id);
  if (history.isPending) return <Loading label="Loading history…" />;
  if (history.error) return <QueryError error={history.error} />;
  if (history.data.items.length === 0) return <p className="muted small">It has not fired yet.</p>;
  return (
    <ul className="history" aria-label={`History of ${alert.name}`}>
      {history.data.items.map((item) => (
        <li key={item.id}>
          <span className={`badge ${item.status === "sent" ? "badge-success" : "badge-danger"}`}>
            {item.status === "sent" ? "Sent" : "Failed"}
          </span>{" "}
          <Time value={item.createdAt} /> — {item.message}
        </li>
      ))}
    </ul>
  );
}

function AlertRow({ alert, writer }: { alert: Alert; writer: boolean }) {
  const actions = useAlertActions();
  const [open, setOpen] = useState(false);
  const snoozed = alert.snoozedUntil && new Date(alert.snoozedUntil) > new Date();
  return (
    <li className="card alert-card">
      <div className="card-row">
        <div>
          <button
            type="button"
            className="link-button strong"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {alert.name}
          </button>
          <p className="muted small">
            When {describeCondition(alert.condition)} · {scheduleLabel(alert.cron)} · {alert.question}
          </p>
          <p className="muted small">
            Last checked <Time value={alert.lastCheckedAt} fallback="never" />
            {alert.lastValue !== null ? ` (${alert.lastValue.toLocaleString()})` : ""}
          </p>
        </div>
        <div className="row-actions">
          {!alert.enabled && <span className="badge badge-neutral">Off</span>}
          {snoozed && (
            <span className="badge badge-info">
              Snoozed until <Time value={alert.snoozedUntil} />
            </span>
          )}
          {writer && (
            <>
              <button
                type="button"
                className="button button-small"
                onClick={() => actions.check.mutate(alert.id)}
              >
                Check now
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() =>
                  actions.snooze.mutate({
                    id: alert.id,
                    until: snoozed ? null : new Date(Date.now() + 86_400_000).toISOString(),
                  })
                }
              >
                {snoozed ? "Wake" : "Snooze 1 day"}
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => actions.update.mutate({ id: alert.id, enabled: !alert.enabled })}
              >
                {alert.enabled ? "Turn off" : "Turn on"}
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete ${alert.name}`}
                onClick={() => actions.remove.mutate(alert.id)}
              >
                <Icon name="trash" />
              </button>
            </>
          )}
        </div>
      </div>
      {actions.check.isSuccess && <Notice>The check is queued; its result appears in the history.</Notice>}
      {open && <History alert={alert} />}
    </li>
  );
}

export function AlertsPage() {
  const writer = canWriteData(useSession().role);
  const alerts = useAlerts();
  const subscriptions = useSubscriptions();
  const subscriptionActions = useSubscriptionActions();
  return (
    <div className="page">
      <PageHeader
        title="Alerts"
        description="Questions checked on a schedule, and reports e-mailed on a schedule."
      />
      <h2 className="section-title">Alerts</h2>
      {alerts.isPending ? (
        <Loading label="Loading alerts…" />
      ) : alerts.error ? (
        <QueryError error={alerts.error} />
      ) : alerts.data.items.length === 0 ? (
        <EmptyState
          icon="alert"
          title="No alerts yet"
          description={
            <>
              Ask a question on the <Link to="/ask">Ask page</Link> and choose “Alert me” on its answer.
            </>
          }
        />
      ) : (
        <ul className="card-list" aria-label="Alerts">
          {alerts.data.items.map((alert) => (
            <AlertRow key={alert.id} alert={alert} writer={writer} />
          ))}
        </ul>
      )}
      <h2 className="section-title">Subscriptions</h2>
      {subscriptions.isPending ? (
        <Loading label="Loading subscriptions…" />
      ) : subscriptions.error ? (
        <QueryError error={subscriptions.error} />
      ) : subscriptions.data.items.length === 0 ? (
        <EmptyState
          icon="mail"
          title="No subscriptions yet"
          description="Open a dashboard and choose “Subscribe” to have it e-mailed on a schedule."
        />
      ) : (
        <ul className="card-list" aria-label="Subscriptions">
          {subscriptions.data.items.map((subscription) => (
            <li key={subscription.id} className="card card-row">
              <div>
                <span className="strong">{subscription.name}</span>
                <p className="muted small">
                  {subscription.target.kind === "dashboard" ? "Dashboard" : "Question"} as{" "}
                  {subscription.format.toUpperCase()} · {scheduleLabel(subscription.cron)}
                </p>
              </div>
              {writer && (
                <div className="row-actions">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => subscriptionActions.send.mutate(subscription.id)}
                  >
                    Send now
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() =>
                      subscriptionActions.update.mutate({
                        id: subscription.id,
                        enabled: !subscription.enabled,
                      })
                    }
                  >
                    {subscription.enabled ? "Turn off" : "Turn on"}
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete ${subscription.name}`}
                    onClick={() => subscriptionActions.remove.mutate(subscription.id)}
                  >
                    <Icon name="trash" />
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {subscriptionActions.send.isSuccess && (
        <Notice>The report is on its way; it shows in the outbox or the recipients' inboxes.</Notice>
      )}
    </div>
  );
}
