import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useConfirmPasswordReset, useRequestPasswordReset } from "../../api/auth.ts";
import { TextField } from "../../components/Field.tsx";
import { Notice } from "../../components/Notice.tsx";
import { AuthCard } from "./AuthLayout.tsx";
import { CodeForm, ResendCode } from "./CodeForm.tsx";
import { fieldError, formError } from "./messages.ts";
import { NewPasswordField } from "./NewPasswordField.tsx";

/** Two steps: ask for a code by e-mail, then the code and a new password. */
export function ForgotPasswordPage() {
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const request = useRequestPasswordReset();

  if (request.isSuccess) return <ResetStep email={email.trim()} maskedEmail={request.data.maskedEmail} />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate({ email: email.trim() });
  };
  const message = formError(request.error, ["email"]);
  return (
    <AuthCard
      title="Reset your password"
      description="Enter the e-mail address of your account and we will send you a code to set a new password."
      footer={<Link to="/login">Back to sign in</Link>}
    >
      <form className="form" onSubmit={submit} aria-label="Request password reset">
        <TextField
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          error={fieldError(request.error, "email")}
          onChange={(event) => setEmail(event.target.value)}
        />
        {message && <Notice tone="danger">{message}</Notice>}
        <button type="submit" className="button button-primary button-block" disabled={request.isPending}>
          {request.isPending ? "Sending…" : "Send reset code"}
        </button>
      </form>
    </AuthCard>
  );
}

function ResetStep({ email, maskedEmail }: { email: string; maskedEmail: string }) {
  const [password, setPassword] = useState("");
  const confirm = useConfirmPasswordReset();
  const navigate = useNavigate();
  const passwordError = fieldError(confirm.error, "password");

  const submit = (code: string) =>
    confirm.mutate(
      { email, code, password },
      { onSuccess: () => navigate(`/login?${new URLSearchParams({ notice: "password-reset", email })}`) },
    );

  return (
    <AuthCard
      title="Choose a new password"
      description={
        <>
          If an account exists for this address, we sent a 6-digit code to <strong>{maskedEmail}</strong>.
          Signing in again is needed everywhere afterwards.
        </>
      }
      footer={<Link to="/login">Back to sign in</Link>}
    >
      <CodeForm
        label="Set new password"
        submitLabel="Set new password"
        pendingLabel="Saving…"
        pending={confirm.isPending}
        error={passwordError ? null : confirm.error}
        onSubmit={submit}
      >
        <NewPasswordField
          label="New password"
          value={password}
          error={passwordError}
          onChange={setPassword}
        />
      </CodeForm>
      <ResendCode email={email} purpose="password_reset" />
    </AuthCard>
  );
}
