import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { useLogin, useResendCode, useSetupStatus } from "../../api/auth.ts";
import type { SetupStatus } from "../../api/auth-types.ts";
import { ApiError } from "../../api/client.ts";
import { useEnterSession } from "../../app/session.ts";
import { TextField } from "../../components/Field.tsx";
import { Notice } from "../../components/Notice.tsx";
import { AuthCard } from "./AuthLayout.tsx";
import { fieldError, formError } from "./messages.ts";

const withParams = (path: string, params: Record<string, string | null | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
};

export function LoginPage() {
  const [params] = useSearchParams();
  const next = params.get("next");
  const setup = useSetupStatus();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const login = useLogin();
  const enter = useEnterSession();
  const navigate = useNavigate();

  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    login.mutate(
      { email: address, password },
      {
        onSuccess: (result) => {
          if (result.codeRequired) navigate(withParams("/login/code", { email: address, next }));
          else enter(next);
        },
      },
    );
  };

  const unverified = login.error instanceof ApiError && login.error.code === "email_not_verified";
  const message = formError(login.error, ["email", "password"]);

  return (
    <AuthCard
      title="Sign in to Sightline"
      footer={
        setup.data?.signupEnabled !== false && (
          <>
            New here? <Link to={withParams("/signup", { next })}>Create an account</Link>
          </>
        )
      }
    >
      {params.get("notice") === "password-reset" && (
        <Notice tone="success">Your password has been changed. Sign in with the new one.</Notice>
      )}
      {setup.data?.demo && (
        <DemoBox
          demo={setup.data.demo}
          onUse={(demo) => {
            setEmail(demo.email);
            setPassword(demo.password);
            login.reset();
          }}
        />
      )}
      <form className="form" onSubmit={submit} aria-label="Sign in">
        <TextField
          label="E-mail"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          error={fieldError(login.error, "email")}
          onChange={(event) => setEmail(event.target.value)}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          error={fieldError(login.error, "password")}
          onChange={(event) => setPassword(event.target.value)}
        />
        <div className="form-row-end">
          <Link to={withParams("/forgot-password", { email: email.trim() || undefined })} className="small">
            Forgot password?
          </Link>
        </div>
        {message && (
          <Notice tone="danger">
            {message}
            {unverified && <VerifyLink email={email.trim()} next={next} />}
          </Notice>
        )}
        <button type="submit" className="button button-primary button-block" disabled={login.isPending}>
          {login.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </AuthCard>
  );
}

/** For an account whose address was never verified: send a fresh code and go enter it. */
function VerifyLink({ email, next }: { email: string; next: string | null }) {
  const resend = useResendCode();
  const navigate = useNavigate();
  const go = () =>
    resend.mutate(
      { email, purpose: "registration" },
      // A code sent moments ago (resend_cooldown) is as good as a new one.
      { onSettled: () => navigate(withParams("/verify", { email, next })) },
    );
  return (
    <>
      {" "}
      <button type="button" className="link-button" onClick={go} disabled={resend.isPending}>
        Send a verification code
      </button>
    </>
  );
}

function DemoBox({
  demo,
  onUse,
}: {
  demo: NonNullable<SetupStatus["demo"]>;
  onUse: (demo: NonNullable<SetupStatus["demo"]>) => void;
}) {
  return (
    <section className="demo-box" aria-labelledby="demo-title">
      <h2 id="demo-title" className="demo-title">
        Demo workspace
      </h2>
      <p className="muted">This server runs in demo mode with sample data. Sign in with:</p>
      <dl className="demo-credentials">
        <dt>E-mail</dt>
        <dd>
          <code>{demo.email}</code>
        </dd>
        <dt>Password</dt>
        <dd>
          <code>{demo.password}</code>
        </dd>
      </dl>
      <button type="button" className="button button-small" onClick={() => onUse(demo)}>
        Use demo account
      </button>
    </section>
  );
}
