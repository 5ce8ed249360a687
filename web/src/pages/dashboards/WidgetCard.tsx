import { useState } from "react";
import {
  type DashboardFilter,
  type FilterOverride,
  useDrill,
  useWidgetData,
  type Widget,
  type WidgetData,
} from "../../api/dashboards.ts";
import { Dialog } from "../../components/Dialog.tsx";
import type { ChartClick } from "../../components/EChart.tsx";
import { EChart } from "../../components/EChart.tsx";
import { Icon } from "../../components/Icon.tsx";
import { InsightsButton } from "../../components/InsightsButton.tsx";
import { Loading } from "../../components/Loading.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { ResultTable } from "../../components/ResultTable.tsx";
import { ChartEditor } from "./ChartEditor.tsx";

/** Pieces of text with the offset each starts at: stable keys for what they render. */
function pieces(text: string, pattern: RegExp): { at: number; text: string }[] {
  const found: { at: number; text: string }[] = [];
  let at = 0;
  for (const part of text.split(pattern)) {
    if (part) found.push({ at, text: part });
    at += part.length;
  }
  return found;
}

/** Markdown kept simple: paragraphs, **bold**, *italic* and `code`, every character escaped by React. */
function Markdown({ text }: { text: string }) {
  return (
    <div className="widget-markdown">
      {pieces(text, /(\n{2,})/)
        .filter((paragraph) => paragraph.text.trim())
        .map((paragraph) => (
          <p key={paragraph.at}>
            {pieces(paragraph.text, /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`)/).map(({ at, text: part }) => {
              if (/^\*\*[^*]+\*\*$/.test(part)) return <strong key={at}>{part.slice(2, -2)}</strong>;
              if (/^\*[^*]+\*$/.test(part)) return <em key={at}>{part.slice(1, -1)}</em>;
              if (/^`[^`]+`$/.test(part)) return <code key={at}>{part.slice(1, -1)}</code>;
              return <span key={at}>{part}</span>;
            })}
          </p>
        ))}
    </div>
  );
}

interface Kpi {
  value: number | null;
  previous: number | null;
  deltaPercent: number | null;
}

function KpiFigure({ kpi, label }: { kpi: Kpi; label: string }) {
  const delta = kpi.deltaPercent;
  return (
    <div className="widget-kpi">
      <div className="widget-kpi-value">
        {kpi.value === null ? "—" : kpi.value.toLocaleString(undefined, { maximumFractionDigits: 2 })}
      </div>
      <div className="muted small">{label}</div>
      {delta !== null && (
        <div className={delta >= 0 ? "kpi-up" : "kpi-down"}>
          {delta >= 0 ? "▲" : "▼"} {Math.abs(delta).toFixed(1)}% vs previous
        </div>
      )}
    </div>
  );
}

function PivotTable({ pivot }: { pivot: { rows: string[]; columns: string[]; cells: (number | null)[][] } }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th />
            {pivot.columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {pivot.rows.map((row, r) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {pivot.columns.map((column, c) => (
                <td key={column} className="numeric">
                  {pivot.cells[r]?.[c]?.toLocaleString() ?? ""}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A widget's body for its data: a chart, a table, a figure or text; an empty result says so. */
export function WidgetBody({
  widget,
  data,
  onClick,
}: {
  widget: Pick<Widget, "title" | "spec">;
  data: WidgetData;
  onClick?: (click: ChartClick) => void;
}) {
  if (data.kind === "markdown") return <Markdown text={data.markdown ?? ""} />;
  if (data.rows.length === 0)
    return (
      <p className="muted small widget-empty">No rows match{data.applied.length ? " the filters" : ""}.</p>
    );
  const type = widget.spec?.type ?? "table";
  if (type === "table")
    return <ResultTable label={widget.title || "Widget result"} columns={data.columns} rows={data.rows} />;
  if (type === "kpi" && data.option?.kpi)
    return <KpiFigure kpi={data.option.kpi as Kpi} label={widget.spec?.y?.[0] ?? widget.title} />;
  if (type === "pivot" && data.option?.pivot)
    return (
      <PivotTable
        pivot={data.option.pivot as { rows: string[]; columns: string[]; cells: (number | null)[][] }}
      />
    );
  const { title: _title, ...option } = data.option ?? {};
  return <EChart option={option} label={widget.title || "Chart"} {...(onClick ? { onClick } : {})} />;
}

/** One widget of a dashboard: loads its data (filters applied), with loading, error and empty states. */
export function WidgetCard({
  dashboardId,
  widget,
  filters,
  overrides,
  refreshSeconds,
  editing,
  onRemove,
  onDownload,
  onCrossFilter,
}: {
  dashboardId: string;
  widget: Widget;
  filters: DashboardFilter[];
  overrides: FilterOverride[];
  refreshSeconds: number | null;
  editing: boolean;
  onRemove: () => void;
  onCrossFilter: (field: string, value: string) => void;
  onDownload: (format: "csv" | "xlsx") => void;
}) {
  const data = useWidgetData(dashboardId, widget, JSON.stringify(filters), overrides, refreshSeconds);
  const x = widget.spec?.x;
  /** The bar or slice last clicked: its rows can be shown. */
  const [clicked, setClicked] = useState<{ column: string; value: string } | null>(null);
  const [drilling, setDrilling] = useState(false);
  const [charting, setCharting] = useState(false);
  const click = (column: string, value: string) => {
    setClicked({ column, value });
    onCrossFilter(column, value);
  };
  return (
    <article className="widget" aria-label={widget.title || "Widget"} data-testid="widget">
      <header className="widget-header">
        <h3 className="widget-title drag-handle">
          {widget.title || (widget.kind === "markdown" ? "Note" : "Untitled")}
        </h3>
        <div className="widget-tools">
          {data.data && data.data.applied.length > 0 && (
            <span className="badge badge-info" title="Filtered by the dashboard">
              Filtered
            </span>
          )}
          {data.isFetching && <span className="muted small">Updating…</span>}
          {clicked && !editing && (
            <button type="button" className="button button-small" onClick={() => setDrilling(true)}>
              Rows: {clicked.value}
            </button>
          )}
          {editing && widget.kind !== "markdown" && (
            <button type="button" className="button button-small" onClick={() => setCharting(true)}>
              <Icon name="pencil" />
              Edit chart
            </button>
          )}
          {widget.kind !== "markdown" && widget.kind !== "kpi" && !editing && (
            <>
              {widget.sql && (
                <InsightsButton
                  sql={widget.sql}
                  sourceId={widget.sourceId ?? null}
                  label={widget.title || "Widget"}
                />
              )}
              <button
                type="button"
                className="button button-small"
                title="Download the rows as CSV"
                onClick={() => onDownload("csv")}
              >
                CSV
              </button>
              <button
                type="button"
                className="button button-small"
                title="Download the rows as an Excel workbook"
                onClick={() => onDownload("xlsx")}
              >
                XLSX
              </button>
            </>
          )}
          {editing && (
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${widget.title || "widget"}`}
              onClick={onRemove}
            >
              <Icon name="trash" />
            </button>
          )}
        </div>
      </header>
      <div className="widget-body">
        {data.isPending ? (
          <div className="skeleton" role="status" aria-label="Loading widget" />
        ) : data.error ? (
          <QueryError error={data.error} />
        ) : (
          <WidgetBody
            widget={widget}
            data={data.data}
            {...(x && !editing ? { onClick: (point: ChartClick) => click(x, point.name) } : {})}
          />
        )}
      </div>
      {clicked && (
        <DrillDialog
          dashboardId={dashboardId}
          widget={widget}
          pick={clicked}
          open={drilling}
          onClose={() => setDrilling(false)}
        />
      )}
      {charting && (
        <ChartEditor
          dashboardId={dashboardId}
          widget={widget}
          open={charting}
          onClose={() => setCharting(false)}
        />
      )}
    </article>
  );
}

/** The rows behind a bar or slice: the widget's query for that value, without grouping. */
function DrillDialog({
  dashboardId,
  widget,
  pick,
  open,
  onClose,
}: {
  dashboardId: string;
  widget: Widget;
  pick: { column: string; value: string };
  open: boolean;
  onClose: () => void;
}) {
  const rows = useDrill(dashboardId, widget.id, open ? pick : null);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`${widget.title || "Widget"}: ${pick.column} = ${pick.value}`}
      wide
    >
      {rows.isPending ? (
        <Loading label="Loading rows…" />
      ) : rows.error ? (
        <QueryError error={rows.error} />
      ) : rows.data.rows.length === 0 ? (
        <p className="muted">No rows.</p>
      ) : (
        <>
          <ResultTable
            label={`Rows behind ${pick.value}`}
            columns={rows.data.columns}
            rows={rows.data.rows}
          />
          {rows.data.truncated && <p className="muted small">The first {rows.data.rows.length} rows.</p>}
        </>
      )}
    </Dialog>
  );
}
