import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import type { ChartSpec as AnswerChart } from "../../api/ask.ts";
import {
  type ChartSpec,
  useAddWidget,
  useCreateDashboard,
  useDashboards,
  type WidgetKind,
} from "../../api/dashboards.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { QueryError } from "../../components/QueryError.tsx";

/** An answer's chart as a dashboard widget: a number is a KPI, a table a table, the rest a chart of the same kind. */
export function widgetFor(chart: AnswerChart): { kind: WidgetKind; spec: ChartSpec } {
  const fields = {
    ...(chart.x ? { x: chart.x } : {}),
    ...(chart.y?.length ? { y: chart.y } : {}),
    ...(chart.series ? { series: chart.series } : {}),
  };
  if (chart.kind === "number")
    return { kind: "kpi", spec: { type: "kpi", ...(chart.y?.length ? { y: chart.y } : {}) } };
  if (chart.kind === "table") return { kind: "table", spec: { type: "table" } };
  const type = chart.kind === "bar" && chart.series ? "grouped_bar" : chart.kind;
  return { kind: "chart", spec: { type, ...fields } };
}

const NEW = "new";

/** "Pin to dashboard": the answer's SQL and chart become a widget of a dashboard, new or existing. */
export function PinToDashboard({
  question,
  sql,
  sourceId,
  chart,
}: {
  question: string;
  sql: string;
  sourceId: string | null;
  chart: AnswerChart;
}) {
  const [open, setOpen] = useState(false);
  const dashboards = useDashboards();
  const create = useCreateDashboard();
  const add = useAddWidget();
  const [target, setTarget] = useState<string>(NEW);
  const [dashboardTitle, setDashboardTitle] = useState("");
  const [title, setTitle] = useState(question);
  const [pinned, setPinned] = useState<{ id: string; title: string } | null>(null);
  const options = [
    { value: NEW, label: "A new dashboard" },
    ...(dashboards.data?.items ?? []).map((dashboard) => ({ value: dashboard.id, label: dashboard.title })),
  ];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const dashboard =
      target === NEW
        ? await create.mutateAsync({ title: dashboardTitle.trim() })
        : (dashboards.data?.items.find((item) => item.id === target) ?? null);
    if (!dashboard) return;
    await add.mutateAsync({
      dashboardId: dashboard.id,
      title: title.trim(),
      sql,
      ...(sourceId ? { sourceId } : {}),
      ...widgetFor(chart),
    });
    setPinned({ id: dashboard.id, title: dashboard.title });
    setOpen(false);
  };
  const busy = create.isPending || add.isPending;
  return (
    <>
      <button type="button" className="button button-small" onClick={() => setOpen(true)}>
        <Icon name="plus" />
        Pin to dashboard
      </button>
      {pinned && (
        <span className="small">
          Pinned to <Link to={`/dashboards/${pinned.id}`}>{pinned.title}</Link>
        </span>
      )}
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Pin to dashboard"
        description="The answer's SQL runs again each time the dashboard loads, with the dashboard's filters."
      >
        <form className="form" onSubmit={submit} aria-label="Pin to dashboard">
          <SelectField label="Dashboard" value={target} options={options} onChange={setTarget} />
          {target === NEW && (
            <TextField
              label="New dashboard's title"
              value={dashboardTitle}
              required
              maxLength={200}
              onChange={(event) => setDashboardTitle(event.target.value)}
            />
          )}
          <TextField
            label="Widget title"
            value={title}
            maxLength={200}
            onChange={(event) => setTitle(event.target.value)}
          />
          {create.error || add.error ? <QueryError error={create.error ?? add.error} /> : null}
          <DialogActions>
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button
              type="submit"
              className="button button-primary"
              disabled={busy || (target === NEW && !dashboardTitle.trim())}
            >
              Pin
            </button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
