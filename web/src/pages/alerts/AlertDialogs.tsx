import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import {
  type AlertCondition,
  scheduleOptions,
  useAlertActions,
  useSubscriptionActions,
} from "../../api/alerts.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { QueryError } from "../../components/QueryError.tsx";

type Kind = AlertCondition["kind"];

/** "Alert me": an answer's question checked on a schedule. */
export function AlertMeButton({
  question,
  sql,
  sourceId,
}: {
  question: string;
  sql: string;
  sourceId: string | null;
}) {
  const [open, setOpen] = useState(false);
  const { create } = useAlertActions();
  const [name, setName] = useState(question);
  const [kind, setKind] = useState<Kind>("threshold");
  const [op, setOp] = useState<">" | "<">(">");
  const [value, setValue] = useState("");
  const [cron, setCron] = useState(scheduleOptions[1]?.value ?? "hourly");
  const condition = (): AlertCondition =>
    kind === "threshold"
      ? { kind, op, value: Number(value) }
      : kind === "change"
        ? { kind, percent: Number(value) || 10, direction: "any" }
        : { kind };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await create.mutateAsync({
      name: name.trim(),
      question,
      sql,
      ...(sourceId ? { sourceId } : {}),
      condition: condition(),
      cron,
    });
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={() => setOpen(true)}>
        <Icon name="alert" />
        Alert me
      </button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Alert me"
        description="The question is checked on a schedule; you get an e-mail with its chart when the condition holds."
      >
        {create.isSuccess ? (
          <>
            <p>
              The alert is set. See it on the <Link to="/alerts">Alerts page</Link>.
            </p>
            <DialogActions>
              <button type="button" className="button" onClick={() => setOpen(false)}>
                Close
              </button>
            </DialogActions>
          </>
        ) : (
          <form className="form" onSubmit={submit} aria-label="Alert me">
            <TextField
              label="Name"
              value={name}
              required
              maxLength={200}
              onChange={(event) => setName(event.target.value)}
            />
            <SelectField
              label="When"
              value={kind}
              options={[
                { value: "threshold", label: "The figure crosses a value" },
                { value: "change", label: "The figure changes by a percentage" },
                { value: "anomaly", label: "The figure is unusual" },
                { value: "has_rows", label: "The question returns any row" },
              ]}
              onChange={setKind}
            />
            {kind === "threshold" && (
              <SelectField
                label="Direction"
                value={op}
                options={[
                  { value: ">", label: "Above" },
                  { value: "<", label: "Below" },
                ]}
                onChange={setOp}
              />
            )}
            {(kind === "threshold" || kind === "change") && (
              <TextField
                label={kind === "threshold" ? "Value" : "Percent"}
                type="number"
                step="any"
                required
                value={value}
                onChange={(event) => setValue(event.target.value)}
              />
            )}
            <SelectField label="Check" value={cron} options={scheduleOptions} onChange={setCron} />
            {create.error ? <QueryError error={create.error} /> : null}
            <DialogActions>
              <button type="button" className="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button
                type="submit"
                className="button button-primary"
                disabled={create.isPending || !name.trim()}
              >
                Create alert
              </button>
            </DialogActions>
          </form>
        )}
      </Dialog>
    </>
  );
}

/** "Subscribe": a dashboard e-mailed on a schedule, as PDF or PNG. */
export function SubscribeButton({ dashboardId, title }: { dashboardId: string; title: string }) {
  const [open, setOpen] = useState(false);
  const { create } = useSubscriptionActions();
  const [format, setFormat] = useState<"pdf" | "png">("pdf");
  const [cron, setCron] = useState(scheduleOptions[2]?.value ?? "0 8 * * 1");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await create.mutateAsync({ name: title, target: { kind: "dashboard", dashboardId }, format, cron });
    setOpen(false);
  };
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        <Icon name="mail" />
        Subscribe
      </button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Subscribe"
        description="The dashboard is drawn with its filters and e-mailed to you on a schedule."
      >
        <form className="form" onSubmit={submit} aria-label="Subscribe">
          <SelectField
            label="As"
            value={format}
            options={[
              { value: "pdf", label: "PDF" },
              { value: "png", label: "PNG image" },
            ]}
            onChange={setFormat}
          />
          <SelectField label="Send" value={cron} options={scheduleOptions} onChange={setCron} />
          {create.error ? <QueryError error={create.error} /> : null}
          <DialogActions>
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={create.isPending}>
              Subscribe
            </button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
