import { type FormEvent, useState } from "react";
import { Link, Navigate } from "react-router";
import { useSetup, useSetupStatus } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import { useEnterSession } from "../../app/session.ts";
import { ErrorState } from "../../components/ErrorState.tsx";
import { TextField } from "../../components/Field.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { AuthCard } from "./AuthLayout.tsx";
import { fieldError, formError } from "./messages.ts";
import { NewPasswordField } from "./NewPasswordField.tsx";

/** First run: no account exists yet, so the first person creates the owner account. */
export function SetupPage() {
  const status = useSetupStatus();
  const setup = useSetup();
  const enter = useEnterSession();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [workspaceName, setWorkspaceName] = useState("");

  if (status.isPending) return <Loading />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => status.refetch()} />;
  // Not while this very form succeeds: its success navigates on its own.
  if (!status.data.needsSetup && !setup.isSuccess) return <Navigate to="/login" replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setup.mutate(
      {
        name: name.trim(),
        email: email.trim(),
        password,
        ...(workspaceName.trim() ? { workspaceName: workspaceName.trim() } : {}),
      },
      { onSuccess: () => enter("/") },
    );
  };

  const alreadySetUp = setup.error instanceof ApiError && setup.error.code === "already_set_up";
  const message = formError(setup.error, ["name", "email", "password", "workspaceName"]);
  return (
    <AuthCard
      title="Set up Sightline"
      description="Create the owner account. It administers this server and owns the first workspace."
    >
      <form className="form" onSubmit={submit} aria-label="Set up Sightline">
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          value={name}
          error={fieldError(setup.error, "name")}
          onChange={(event) => setName(event.target.value)}
        />
        <TextField
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          error={fieldError(setup.error, "email")}
          onChange={(event) => setEmail(event.target.value)}
        />
        <NewPasswordField
          value={password}
          error={fieldError(setup.error, "password")}
          onChange={setPassword}
        />
        <TextField
          label="Workspace name"
          name="workspaceName"
          placeholder="e.g. Acme Services"
          hint="Optional: you can rename it later."
          value={workspaceName}
          error={fieldError(setup.error, "workspaceName")}
          onChange={(event) => setWorkspaceName(event.target.value)}
        />
        {message && (
          <Notice tone="danger">
            {message} {alreadySetUp && <Link to="/login">Go to sign in</Link>}
          </Notice>
        )}
        <button type="submit" className="button button-primary button-block" disabled={setup.isPending}>
          {setup.isPending ? "Setting up…" : "Create owner account"}
        </button>
      </form>
    </AuthCard>
  );
}
