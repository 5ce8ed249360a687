import { type FormEvent, useEffect, useState } from "react";
import { useChartPreview, useChartTypes } from "../../api/charts.ts";
import { type ChartSpec, type ChartType, useUpdateWidget, type Widget } from "../../api/dashboards.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { EChart } from "../../components/EChart.tsx";
import { Checkbox, SelectField, TextField } from "../../components/Field.tsx";
import { QueryError } from "../../components/QueryError.tsx";

const palettes: { value: string; label: string; colors?: string[] }[] = [
  { value: "default", label: "Default" },
  {
    value: "ocean",
    label: "Ocean",
    colors: ["#0b7285", "#1098ad", "#3bc9db", "#99e9f2", "#1864ab", "#4dabf7"],
  },
  {
    value: "warm",
    label: "Warm",
    colors: ["#d9480f", "#f08c00", "#fab005", "#e03131", "#c2255c", "#9c36b5"],
  },
  {
    value: "mono",
    label: "Greys",
    colors: ["#212529", "#495057", "#868e96", "#adb5bd", "#ced4da", "#dee2e6"],
  },
];

/**
 * Changes how a widget is drawn: its type, axes, series, sort, colours and labels, with a live
 * preview of its query's result; the server checks the spec fits the result when it is saved.
 */
export function ChartEditor({
  dashboardId,
  widget,
  open,
  onClose,
}: {
  dashboardId: string;
  widget: Widget;
  open: boolean;
  onClose: () => void;
}) {
  const types = useChartTypes();
  const preview = useChartPreview();
  const update = useUpdateWidget(dashboardId);
  const [spec, setSpec] = useState<ChartSpec>(widget.spec ?? { type: "bar" });
  const [title, setTitle] = useState(widget.title);
  const sql = widget.sql ?? "";
  const sourceId = widget.sourceId ?? undefined;
  const columns = preview.data?.columns ?? [];
  const numeric = columns
    .filter((column) => column.type === "integer" || column.type === "decimal")
    .map((column) => column.name);
  const any = columns.map((column) => column.name);

  const { mutate } = preview;
  useEffect(() => {
    if (open && sql) mutate({ sql, ...(sourceId ? { sourceId } : {}), spec });
  }, [open, sql, sourceId, spec, mutate]);

  const change = (patch: Partial<ChartSpec>) => setSpec((current) => ({ ...current, ...patch }));
  const optional = (value: string) => (value === "" ? undefined : value);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const kind = spec.type === "table" ? "table" : spec.type === "kpi" ? "kpi" : "chart";
    await update.mutateAsync({ widgetId: widget.id, kind, title, spec });
    onClose();
  };
  const palette =
    palettes.find((entry) => JSON.stringify(entry.colors) === JSON.stringify(spec.colors))?.value ??
    "default";
  return (
    <Dialog open={open} onClose={onClose} title="Edit chart" wide>
      <form className="form chart-editor" onSubmit={submit} aria-label="Edit chart">
        <div className="chart-editor-fields">
          <TextField
            label="Title"
            value={title}
            maxLength={200}
            onChange={(event) => setTitle(event.target.value)}
          />
          <SelectField
            label="Type"
            value={spec.type}
            options={(types.data?.items ?? [{ type: spec.type, label: spec.type }]).map((entry) => ({
              value: entry.type,
              label: entry.label,
            }))}
            onChange={(type: ChartType) => setSpec({ type, ...(spec.colors ? { colors: spec.colors } : {}) })}
          />
          <SelectField
            label="Category (x)"
            value={spec.x ?? ""}
            options={[
              { value: "", label: "Automatic" },
              ...any.map((name) => ({ value: name, label: name })),
            ]}
            onChange={(x) => change({ x: optional(x) })}
          />
          <SelectField
            label="Measure (y)"
            value={spec.y?.[0] ?? ""}
            options={[
              { value: "", label: "Automatic" },
              ...numeric.map((name) => ({ value: name, label: name })),
            ]}
            onChange={(y) => change({ y: y ? [y] : undefined })}
          />
          <SelectField
            label="Series"
            value={spec.series ?? ""}
            options={[{ value: "", label: "None" }, ...any.map((name) => ({ value: name, label: name }))]}
            onChange={(series) => change({ series: optional(series) })}
          />
          <SelectField
            label="Sort"
            value={spec.sort ?? "none"}
            options={[
              { value: "none", label: "As the query returns" },
              { value: "desc", label: "Largest first" },
              { value: "asc", label: "Smallest first" },
            ]}
            onChange={(sort) => change({ sort })}
          />
          <SelectField
            label="Colours"
            value={palette}
            options={palettes.map((entry) => ({ value: entry.value, label: entry.label }))}
            onChange={(value) => change({ colors: palettes.find((entry) => entry.value === value)?.colors })}
          />
          <Checkbox
            label="Show values on the chart"
            checked={spec.labels ?? false}
            onChange={(labels) => change({ labels })}
          />
          {preview.data && preview.data.suggestions.length > 0 && (
            <p className="muted small">Suggested: {preview.data.suggestions[0]?.reason}</p>
          )}
        </div>
        <section className="chart-editor-preview" aria-label="Preview">
          {preview.error ? (
            <QueryError error={preview.error} />
          ) : preview.data ? (
            <EChart option={preview.data.option} label="Preview" />
          ) : (
            <div className="skeleton" />
          )}
        </section>
        {update.error ? <QueryError error={update.error} /> : null}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={update.isPending || Boolean(preview.error)}
          >
            Save chart
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
