import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import {
  useCreateDashboard,
  useDashboardFromTemplate,
  useDashboards,
  useDashboardTemplates,
} from "../../api/dashboards.ts";
import { useSources } from "../../api/sources.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { Time } from "../../components/Time.tsx";

/** A form that creates a dashboard and opens it. */
export function NewDashboardDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateDashboard();
  const navigate = useNavigate();
  const [title, setTitle] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const dashboard = await create.mutateAsync({ title: title.trim() });
    onClose();
    navigate(`/dashboards/${dashboard.id}`);
  };
  return (
    <Dialog open={open} onClose={onClose} title="New dashboard">
      <form onSubmit={submit} className="form">
        <TextField
          label="Title"
          value={title}
          required
          maxLength={200}
          autoFocus
          onChange={(event) => setTitle(event.target.value)}
        />
        {create.error ? <QueryError error={create.error} /> : null}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={!title.trim() || create.isPending}
          >
            Create
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** A dashboard made from a template for one of the workspace's tables. */
function TemplateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const templates = useDashboardTemplates();
  const sources = useSources();
  const make = useDashboardFromTemplate();
  const navigate = useNavigate();
  const tables = (sources.data?.pages.flatMap((page) => page.items) ?? [])
    .filter((source) => source.status === "ready")
    .flatMap((source) => source.tables.map((table) => table.name));
  const [template, setTemplate] = useState("table-overview");
  const [table, setTable] = useState("");
  const chosen = table || tables[0] || "";
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const dashboard = await make.mutateAsync({ template, table: chosen });
    onClose();
    navigate(`/dashboards/${dashboard.id}`);
  };
  return (
    <Dialog open={open} onClose={onClose} title="New dashboard from a template">
      <form onSubmit={submit} className="form" aria-label="From a template">
        <SelectField
          label="Template"
          value={template}
          options={(templates.data?.items ?? []).map((entry) => ({ value: entry.id, label: entry.title }))}
          onChange={setTemplate}
        />
        <p className="muted small">
          {templates.data?.items.find((entry) => entry.id === template)?.description}
        </p>
        {tables.length === 0 ? (
          <p className="muted">Upload or connect data first: a template is made from one of your tables.</p>
        ) : (
          <SelectField
            label="Table"
            value={chosen}
            options={tables.map((name) => ({ value: name, label: name }))}
            onChange={setTable}
          />
        )}
        {make.error ? <QueryError error={make.error} /> : null}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!chosen || make.isPending}>
            Create
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function DashboardsPage() {
  const dashboards = useDashboards();
  const writer = canWriteData(useSession().role);
  const [creating, setCreating] = useState(false);
  const [templating, setTemplating] = useState(false);
  const action = writer ? (
    <>
      <button type="button" className="button" onClick={() => setTemplating(true)}>
        From a template
      </button>
      <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
        <Icon name="plus" />
        New dashboard
      </button>
    </>
  ) : undefined;
  return (
    <div className="page">
      <PageHeader
        title="Dashboards"
        description="Charts, tables and figures your workspace looks at every day."
        actions={action}
      />
      {dashboards.isPending ? (
        <Loading label="Loading dashboards…" />
      ) : dashboards.error ? (
        <QueryError error={dashboards.error} />
      ) : dashboards.data.items.length === 0 ? (
        <EmptyState
          icon="table"
          title="No dashboards yet"
          description="Create one here, or pin an answer from the Ask page to a new dashboard."
          action={action}
        />
      ) : (
        <ul className="card-list" aria-label="Dashboards">
          {dashboards.data.items.map((dashboard) => (
            <li key={dashboard.id} className="card card-row">
              <div>
                <Link to={`/dashboards/${dashboard.id}`} className="strong">
                  {dashboard.title}
                </Link>
                {dashboard.description && <p className="muted small">{dashboard.description}</p>}
              </div>
              <div className="muted small">
                {dashboard.shared && <span className="badge">Public link</span>}{" "}
                {dashboard.access !== "workspace" && (
                  <span className="badge">{dashboard.access === "private" ? "Private" : "Editors"}</span>
                )}{" "}
                Updated <Time value={dashboard.updatedAt} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <NewDashboardDialog open={creating} onClose={() => setCreating(false)} />
      <TemplateDialog open={templating} onClose={() => setTemplating(false)} />
    </div>
  );
}
