import "react-grid-layout/css/styles.css";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import ReactGridLayout, { type Layout, useContainerWidth } from "react-grid-layout";
import { Link, useNavigate, useParams } from "react-router";
import {
  type DashboardDetail,
  type DashboardFilter,
  dashboardKeys,
  type FilterOverride,
  useAddWidget,
  useDashboard,
  useDeleteDashboard,
  useDeleteWidget,
  useDuplicateDashboard,
  useExport,
  useSaveLayout,
  useShareDashboard,
  useUpdateDashboard,
} from "../../api/dashboards.ts";
import { useLiveEvents } from "../../api/events.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { SelectField, TextAreaField, TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { SubscribeButton } from "../alerts/AlertDialogs.tsx";
import { FilterBar } from "./FilterBar.tsx";
import { WidgetCard } from "./WidgetCard.tsx";

const liveTypes = ["dashboard_updated"] as const;
const refreshOptions = [
  { value: "off", label: "No auto-refresh" },
  { value: "60", label: "Every minute" },
  { value: "300", label: "Every 5 minutes" },
  { value: "900", label: "Every 15 minutes" },
  { value: "3600", label: "Every hour" },
];

function ShareDialog({
  dashboard,
  open,
  onClose,
}: {
  dashboard: DashboardDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { share, unshare } = useShareDashboard(dashboard.id);
  const link = share.data ? `${location.origin}/shared/${share.data.token}` : null;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Share"
      description="Everyone in the workspace who may see this dashboard finds it under Dashboards. A public link shows it read-only to anyone who has it, without signing in."
    >
      <div className="form">
        {link ? (
          <TextField label="Public link" value={link} readOnly onFocus={(event) => event.target.select()} />
        ) : dashboard.shared ? (
          <Notice>
            A public link is on. Create a new one to see it again; the old link then stops working.
          </Notice>
        ) : (
          <p className="muted">No public link yet.</p>
        )}
        {(share.error || unshare.error) && <QueryError error={share.error ?? unshare.error} />}
        <DialogActions>
          {dashboard.shared && (
            <button
              type="button"
              className="button button-danger"
              disabled={unshare.isPending}
              onClick={() => unshare.mutate(undefined, { onSuccess: () => share.reset() })}
            >
              Turn off the public link
            </button>
          )}
          <button
            type="button"
            className="button button-primary"
            disabled={share.isPending}
            onClick={() => share.mutate()}
          >
            <Icon name="link" />
            {dashboard.shared ? "New public link" : "Create public link"}
          </button>
        </DialogActions>
      </div>
    </Dialog>
  );
}

function NoteDialog({
  dashboardId,
  open,
  onClose,
}: {
  dashboardId: string;
  open: boolean;
  onClose: () => void;
}) {
  const add = useAddWidget();
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await add.mutateAsync({ dashboardId, kind: "markdown", title: title.trim(), markdown: text });
    onClose();
  };
  return (
    <Dialog open={open} onClose={onClose} title="Add a note">
      <form className="form" onSubmit={submit} aria-label="Add a note">
        <TextField
          label="Title (optional)"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <TextAreaField
          label="Text"
          rows={5}
          required
          value={text}
          onChange={(event) => setText(event.target.value)}
          hint="**bold**, *italic* and `code` are kept; a blank line starts a paragraph."
        />
        {add.error ? <QueryError error={add.error} /> : null}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!text.trim() || add.isPending}>
            Add note
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function DashboardView({ dashboard }: { dashboard: DashboardDetail }) {
  const session = useSession();
  const writer = canWriteData(session.role);
  const client = useQueryClient();
  const navigate = useNavigate();
  const update = useUpdateDashboard(dashboard.id);
  const saveLayout = useSaveLayout(dashboard.id);
  const removeWidget = useDeleteWidget(dashboard.id);
  const remove = useDeleteDashboard();
  const duplicate = useDuplicateDashboard();
  const exporter = useExport();
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<"share" | "note" | "delete" | null>(null);
  const [crossFilters, setCrossFilters] = useState<FilterOverride[]>([]);
  const { width, containerRef, mounted } = useContainerWidth();
  const download = (path: string, fallbackName: string) =>
    exporter.mutate({ path, overrides: crossFilters, fallbackName });

  useLiveEvents(session.currentWorkspaceId, liveTypes, (event) => {
    if (event.data.dashboardId === dashboard.id)
      void client.invalidateQueries({ queryKey: dashboardKeys.data(dashboard.id) });
  });

  const layout: Layout = useMemo(
    () => dashboard.widgets.map((widget) => ({ i: widget.id, ...widget.layout, minW: 2, minH: 2 })),
    [dashboard.widgets],
  );
  const fields = useMemo(
    () => [
      ...new Set(
        dashboard.widgets.flatMap((widget) =>
          [widget.spec?.x, widget.spec?.series].filter((name): name is string => Boolean(name)),
        ),
      ),
    ],
    [dashboard.widgets],
  );
  const persist = (next: Layout) => {
    const items = next.map(({ i, x, y, w, h }) => ({ id: i, x, y, w, h }));
    const moved = items.some((item) => {
      const widget = dashboard.widgets.find((candidate) => candidate.id === item.id);
      return (
        widget &&
        (widget.layout.x !== item.x ||
          widget.layout.y !== item.y ||
          widget.layout.w !== item.w ||
          widget.layout.h !== item.h)
      );
    });
    if (moved) saveLayout.mutate(items);
  };
  const crossFilter = (field: string, value: string) =>
    setCrossFilters((current) => [
      ...current.filter((entry) => entry.field !== field),
      { id: `click-${field}`, field, kind: "category", value: [value] },
    ]);
  const saveFilters = (filters: DashboardFilter[]) => update.mutate({ filters });

  return (
    <div className="page page-wide">
      <PageHeader
        title={dashboard.title}
        eyebrow={
          <Link to="/dashboards">
            <Icon name="back" /> Dashboards
          </Link>
        }
        description={dashboard.description || undefined}
        actions={
          <>
            <SelectField
              label="Auto-refresh"
              value={dashboard.refreshSeconds ? String(dashboard.refreshSeconds) : "off"}
              options={refreshOptions}
              disabled={!writer || update.isPending}
              onChange={(value) => update.mutate({ refreshSeconds: value === "off" ? null : Number(value) })}
            />
            <button
              type="button"
              className="button"
              disabled={exporter.isPending}
              onClick={() => download(`${dashboard.id}/export.pdf`, "dashboard.pdf")}
            >
              <Icon name="download" />
              PDF
            </button>
            <button
              type="button"
              className="button"
              disabled={exporter.isPending}
              onClick={() => download(`${dashboard.id}/export.png`, "dashboard.png")}
            >
              PNG
            </button>
            <button
              type="button"
              className="button"
              onClick={() => client.invalidateQueries({ queryKey: dashboardKeys.data(dashboard.id) })}
            >
              <Icon name="refresh" />
              Refresh
            </button>
            {writer && (
              <>
                <button
                  type="button"
                  className={`button${editing ? " button-on" : ""}`}
                  aria-pressed={editing}
                  onClick={() => setEditing(!editing)}
                >
                  <Icon name="pencil" />
                  {editing ? "Done" : "Edit layout"}
                </button>
                <button type="button" className="button" onClick={() => setDialog("note")}>
                  <Icon name="plus" />
                  Note
                </button>
                <SubscribeButton dashboardId={dashboard.id} title={dashboard.title} />
                <button type="button" className="button" onClick={() => setDialog("share")}>
                  <Icon name="share" />
                  Share
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={duplicate.isPending}
                  onClick={() =>
                    duplicate.mutate(dashboard.id, {
                      onSuccess: (copy) => navigate(`/dashboards/${copy.id}`),
                    })
                  }
                >
                  <Icon name="copy" />
                  Duplicate
                </button>
                <button
                  type="button"
                  className="button"
                  aria-label="Delete dashboard"
                  onClick={() => setDialog("delete")}
                >
                  <Icon name="trash" />
                </button>
              </>
            )}
          </>
        }
      />
      <FilterBar
        filters={dashboard.filters}
        fields={fields}
        canEdit={writer}
        saving={update.isPending}
        onSave={saveFilters}
        crossFilters={crossFilters}
        onClearCrossFilter={(id) => setCrossFilters((current) => current.filter((entry) => entry.id !== id))}
      />
      {update.error ? <QueryError error={update.error} /> : null}
      {exporter.error ? <QueryError error={exporter.error} /> : null}
      {saveLayout.error ? <Notice tone="danger">The layout could not be saved.</Notice> : null}
      {editing && (
        <Notice>
          Drag a widget by its title and resize it from its corner; the layout is saved as you go.
        </Notice>
      )}
      {dashboard.widgets.length === 0 ? (
        <EmptyState
          icon="table"
          title="No widgets yet"
          description={
            <>
              Ask a question on the <Link to="/ask">Ask page</Link> and pin its answer here
              {writer ? ", or add a note." : "."}
            </>
          }
        />
      ) : (
        <div ref={containerRef} className="dashboard-grid">
          {mounted && (
            <ReactGridLayout
              width={width}
              layout={layout}
              gridConfig={{ cols: 12, rowHeight: 44 }}
              dragConfig={{ enabled: editing, handle: ".drag-handle" }}
              resizeConfig={{ enabled: editing }}
              onDragStop={(next) => persist(next)}
              onResizeStop={(next) => persist(next)}
            >
              {dashboard.widgets.map((widget) => (
                <div key={widget.id}>
                  <WidgetCard
                    dashboardId={dashboard.id}
                    widget={widget}
                    filters={dashboard.filters}
                    overrides={crossFilters}
                    refreshSeconds={dashboard.refreshSeconds}
                    editing={editing}
                    onRemove={() => removeWidget.mutate(widget.id)}
                    onCrossFilter={crossFilter}
                    onDownload={(format) =>
                      download(`${dashboard.id}/widgets/${widget.id}/export.${format}`, `widget.${format}`)
                    }
                  />
                </div>
              ))}
            </ReactGridLayout>
          )}
        </div>
      )}
      <ShareDialog dashboard={dashboard} open={dialog === "share"} onClose={() => setDialog(null)} />
      <NoteDialog dashboardId={dashboard.id} open={dialog === "note"} onClose={() => setDialog(null)} />
      <ConfirmDialog
        open={dialog === "delete"}
        title={`Delete ${dashboard.title}?`}
        confirmLabel="Delete dashboard"
        pending={remove.isPending}
        error={remove.error}
        onCancel={() => setDialog(null)}
        onConfirm={() => remove.mutate(dashboard.id, { onSuccess: () => navigate("/dashboards") })}
      >
        Its widgets go with it. Charts pinned from Ask stay in your question history.
      </ConfirmDialog>
    </div>
  );
}

export function DashboardPage() {
  const { id = "" } = useParams();
  const dashboard = useDashboard(id);
  if (dashboard.isPending) return <Loading label="Loading dashboard…" />;
  if (dashboard.error)
    return (
      <div className="page">
        <QueryError error={dashboard.error} />
      </div>
    );
  return <DashboardView dashboard={dashboard.data} />;
}
