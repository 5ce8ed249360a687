import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../../api/client.ts";
import {
  type ConnectionSettings,
  connectionProblems,
  type Engine,
  engines,
  type NewConnection,
  type SslMode,
  useCreateConnection,
  useTestConnection,
} from "../../api/connections.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { SelectField, TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Segmented } from "../../components/Segmented.tsx";
import { fieldError, formError } from "../auth/messages.ts";
import { RefreshSchedule } from "./RefreshSchedule.tsx";

const backLink = (
  <Link to="/sources" className="back-link">
    <Icon name="back" /> Sources
  </Link>
);

interface Draft {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  ssl: SslMode;
  schema: string;
  path: string;
}

const emptyDraft: Draft = {
  host: "",
  port: "",
  database: "",
  user: "",
  password: "",
  ssl: "disable",
  schema: "",
  path: "",
};

const sslModes: { value: SslMode; label: string }[] = [
  { value: "disable", label: "Off" },
  { value: "require", label: "Required (certificate not checked)" },
  { value: "verify-full", label: "Required, trusted certificate" },
];

const modes = {
  live: {
    label: "Live",
    text: "Queries run in the database itself, read-only, and always see its current data. Nothing is copied; the database must stay reachable.",
  },
  import: {
    label: "Import",
    text: "Tables are copied into this workspace's warehouse, where queries are fast and the database is left alone. The copy is as fresh as the last refresh.",
  },
} as const;

const isEngine = (value: string | null): value is Engine => engines.some((engine) => engine.value === value);

/** The settings as the API takes them; blank optional fields left out. */
function settingsOf(engine: Engine, draft: Draft): ConnectionSettings {
  if (engine === "sqlite") return { engine, path: draft.path.trim() };
  return {
    engine,
    host: draft.host.trim(),
    ...(draft.port.trim() ? { port: Number(draft.port) } : {}),
    database: draft.database.trim(),
    user: draft.user.trim(),
    ...(draft.password ? { password: draft.password } : {}),
    ssl: draft.ssl,
    ...(engine === "postgres" && draft.schema.trim() ? { schema: draft.schema.trim() } : {}),
  };
}

const complete = (engine: Engine, draft: Draft) =>
  engine === "sqlite"
    ? Boolean(draft.path.trim())
    : Boolean(draft.host.trim() && draft.database.trim() && draft.user.trim());

/** What went wrong connecting, with the server's own words after ours. */
export function connectionErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === "connection_failed") {
    const problem = error.extensions.problem;
    const known = typeof problem === "string" ? connectionProblems[problem] : undefined;
    return known ? `${known} (${error.detail ?? error.title})` : (error.detail ?? error.title);
  }
  return formError(error, []) ?? "";
}

/** Connects a database as a source: engine → settings → test → name and mode → create. */
export function ConnectPage() {
  const { role } = useSession();
  const [params] = useSearchParams();
  const initial = params.get("engine");
  const [engine, setEngine] = useState<Engine>(isEngine(initial) ? initial : "postgres");
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [name, setName] = useState("");
  const [mode, setMode] = useState<NewConnection["mode"]>("live");
  const [refreshCron, setRefreshCron] = useState("");
  const test = useTestConnection();
  const create = useCreateConnection();
  const navigate = useNavigate();

  if (!canWriteData(role)) {
    return (
      <>
        <PageHeader eyebrow={backLink} title="Connect a database" />
        <Notice>
          Your role in this workspace is {role}: only analysts, admins and owners connect databases.
        </Notice>
      </>
    );
  }

  const engineInfo = engines.find((item) => item.value === engine);
  const settings = settingsOf(engine, draft);
  const ready = complete(engine, draft);
  // A test only counts for the settings it tried.
  const tested =
    test.isSuccess && JSON.stringify(test.variables) === JSON.stringify(settings) ? test.data : undefined;

  const change = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    test.reset();
    create.reset();
  };
  const pickEngine = (next: Engine) => {
    setEngine(next);
    test.reset();
    create.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosenName = name.trim() || defaultName(engine, draft);
    create.mutate(
      {
        name: chosenName,
        settings,
        mode,
        ...(mode === "import" && refreshCron.trim() ? { refreshCron: refreshCron.trim() } : {}),
      },
      { onSuccess: (source) => navigate(`/sources/${source.id}`) },
    );
  };

  const createError = create.error ? connectionErrorText(create.error) : undefined;

  return (
    <>
      <PageHeader
        eyebrow={backLink}
        title="Connect a database"
        description="Sightline only reads: it never writes to a database it connects to. Give it a user that may only read, if you can."
      />
      <form className="connect-form" aria-label="Connect a database" onSubmit={submit}>
        <Step number={1} title="Engine">
          <Segmented
            label="Database engine"
            value={engine}
            onChange={pickEngine}
            options={engines.map((item) => ({ value: item.value, label: item.label }))}
          />
          {engineInfo && <p className="form-hint">{engineInfo.hint}</p>}
        </Step>

        <Step number={2} title="Connection settings">
          {engine === "sqlite" ? (
            <TextField
              label="Path"
              name="path"
              required
              placeholder="/srv/data/shop.sqlite"
              hint="The file's absolute path on the Sightline server, inside a directory its administrator allowed (SQLITE_ALLOWED_DIRS)."
              value={draft.path}
              error={fieldError(test.error, "path")}
              onChange={(event) => change({ path: event.target.value })}
            />
          ) : (
            <>
              <div className="form-columns connect-host">
                <TextField
                  label="Host"
                  name="host"
                  required
                  placeholder="db.example.com"
                  autoComplete="off"
                  value={draft.host}
                  error={fieldError(test.error, "host")}
                  onChange={(event) => change({ host: event.target.value })}
                />
                <TextField
                  label="Port"
                  name="port"
                  inputMode="numeric"
                  placeholder={String(engineInfo?.port ?? "")}
                  hint={`Default ${engineInfo?.port}`}
                  value={draft.port}
                  error={fieldError(test.error, "port")}
                  onChange={(event) => change({ port: event.target.value.replace(/\D/g, "") })}
                />
              </div>
              <div className="form-columns">
                <TextField
                  label="Database"
                  name="database"
                  required
                  autoComplete="off"
                  value={draft.database}
                  error={fieldError(test.error, "database")}
                  onChange={(event) => change({ database: event.target.value })}
                />
                {engine === "postgres" && (
                  <TextField
                    label="Schema (optional)"
                    name="schema"
                    placeholder="every schema"
                    hint="Only this schema's tables."
                    value={draft.schema}
                    onChange={(event) => change({ schema: event.target.value })}
                  />
                )}
              </div>
              <div className="form-columns">
                <TextField
                  label="User"
                  name="user"
                  required
                  autoComplete="off"
                  value={draft.user}
                  error={fieldError(test.error, "user")}
                  onChange={(event) => change({ user: event.target.value })}
                />
                <TextField
                  label="Password"
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  hint="Stored encrypted; never shown again."
                  value={draft.password}
                  onChange={(event) => change({ password: event.target.value })}
                />
              </div>
              <SelectField
                label="SSL"
                value={draft.ssl}
                options={sslModes}
                onChange={(ssl) => change({ ssl })}
              />
            </>
          )}
        </Step>

        <Step number={3} title="Test the connection">
          <div className="connect-test">
            <button
              type="button"
              className="button"
              disabled={!ready || test.isPending}
              onClick={() => test.mutate(settings)}
            >
              <Icon name="play" />
              {test.isPending ? "Testing…" : "Test connection"}
            </button>
            {!ready && <span className="muted small">Fill in the settings above first.</span>}
          </div>
          {tested && (
            <Notice tone="success">
              <span className="strong">Connected.</span> The server runs <code>{tested.serverVersion}</code>.
            </Notice>
          )}
          {test.isError && (
            <Notice tone="danger">
              <span className="strong">Could not connect.</span> {connectionErrorText(test.error)}
            </Notice>
          )}
        </Step>

        <Step number={4} title="Name and mode">
          <TextField
            label="Name"
            name="name"
            maxLength={200}
            placeholder={defaultName(engine, draft) || "e.g. Shop database"}
            hint="How the source is listed. Leave empty to use the database's name."
            value={name}
            error={fieldError(create.error, "name")}
            onChange={(event) => setName(event.target.value)}
          />
          <fieldset className="mode-choice">
            <legend className="form-label">Mode</legend>
            {(Object.keys(modes) as (keyof typeof modes)[]).map((value) => (
              <label key={value} className={value === mode ? "mode-option active" : "mode-option"}>
                <input
                  type="radio"
                  name="mode"
                  value={value}
                  checked={value === mode}
                  onChange={() => setMode(value)}
                />
                <span>
                  <span className="strong">{modes[value].label}</span>
                  <span className="muted small mode-text">{modes[value].text}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {mode === "import" && (
            <RefreshSchedule
              value={refreshCron}
              onChange={setRefreshCron}
              error={fieldError(create.error, "refreshCron")}
            />
          )}
        </Step>

        {createError && !fieldError(create.error, "name") && !fieldError(create.error, "refreshCron") && (
          <Notice tone="danger">
            <span className="strong">The source was not created.</span> {createError}
          </Notice>
        )}
        <div className="connect-actions">
          <Link className="button" to="/sources">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={!tested || create.isPending}>
            {create.isPending ? "Connecting…" : "Create source"}
          </button>
        </div>
        {!tested && (
          <p className="muted small connect-note">Test the connection before creating the source.</p>
        )}
      </form>
    </>
  );
}

function defaultName(engine: Engine, draft: Draft): string {
  if (engine === "sqlite") return draft.path.trim().split(/[\\/]/).pop() ?? "";
  return draft.database.trim();
}

function Step({ number, title, children }: { number: number; title: string; children: ReactNode }) {
  return (
    <section className="connect-step" aria-label={title}>
      <h2 className="connect-step-title">
        <span className="step-number" aria-hidden="true">
          {number}
        </span>
        {title}
      </h2>
      <div className="connect-step-body">{children}</div>
    </section>
  );
}
