import "react-grid-layout/css/styles.css";
import ReactGridLayout, { useContainerWidth } from "react-grid-layout";
import { useParams } from "react-router";
import { usePublicDashboard, usePublicWidgetData, type Widget } from "../../api/dashboards.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { Loading } from "../../components/Loading.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { WidgetBody } from "./WidgetCard.tsx";

function PublicWidget({
  token,
  widget,
  refreshSeconds,
}: {
  token: string;
  widget: Widget;
  refreshSeconds: number | null;
}) {
  const data = usePublicWidgetData(token, widget, refreshSeconds);
  return (
    <article className="widget" aria-label={widget.title || "Widget"} data-testid="widget">
      <header className="widget-header">
        <h3 className="widget-title">{widget.title}</h3>
      </header>
      <div className="widget-body">
        {data.isPending ? (
          <div className="skeleton" />
        ) : data.error ? (
          <QueryError error={data.error} />
        ) : (
          <WidgetBody widget={widget} data={data.data} />
        )}
      </div>
    </article>
  );
}

/** A dashboard opened through its public link: read-only, no sign-in, no SQL. */
export function SharedDashboardPage() {
  const { token = "" } = useParams();
  const dashboard = usePublicDashboard(token);
  const { width, containerRef, mounted } = useContainerWidth();
  if (dashboard.isPending) return <Loading label="Loading dashboard…" />;
  if (dashboard.error)
    return (
      <main className="shared-page">
        <EmptyState
          icon="link"
          title="This link does not work"
          description="It may have been turned off or replaced. Ask whoever shared it for a new one."
        />
      </main>
    );
  const { title, description, widgets, refreshSeconds } = dashboard.data;
  return (
    <main className="shared-page">
      <header className="page-header">
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
        <p className="muted small">Shared read-only from Sightline.</p>
      </header>
      <div ref={containerRef} className="dashboard-grid">
        {mounted && (
          <ReactGridLayout
            width={width}
            layout={widgets.map((widget) => ({ i: widget.id, ...widget.layout, static: true }))}
            gridConfig={{ cols: 12, rowHeight: 44 }}
            dragConfig={{ enabled: false }}
            resizeConfig={{ enabled: false }}
          >
            {widgets.map((widget) => (
              <div key={widget.id}>
                <PublicWidget token={token} widget={widget as Widget} refreshSeconds={refreshSeconds} />
              </div>
            ))}
          </ReactGridLayout>
        )}
      </div>
    </main>
  );
}
