import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { useResendCode } from "../../api/auth.ts";
import type { OtpPurpose } from "../../api/auth-types.ts";
import { ApiError } from "../../api/client.ts";
import { TextField } from "../../components/Field.tsx";
import { Notice } from "../../components/Notice.tsx";
import { authErrorMessage } from "./messages.ts";
import { useCountdown } from "./useCountdown.ts";

const codeLength = 6;

/** The 6-digit code from an e-mail, plus any extra fields; locks itself while the server says so. */
export function CodeForm({
  label,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  children,
}: {
  label: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (code: string) => void;
  children?: ReactNode;
}) {
  const [code, setCode] = useState("");
  const [lockedFor, lock] = useCountdown(0);

  useEffect(() => {
    if (error instanceof ApiError && error.code === "verification_locked") {
      lock(error.number("retryAfter") ?? 60);
    }
  }, [error, lock]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.length === codeLength) onSubmit(code);
  };

  return (
    <form className="form" onSubmit={submit} aria-label={label} noValidate>
      <TextField
        label="Verification code"
        name="code"
        className="code-input"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={codeLength}
        placeholder="000000"
        autoFocus
        required
        value={code}
        onChange={(event) => setCode(event.target.value.replace(/\D/g, "").slice(0, codeLength))}
      />
      {children}
      {error ? <Notice tone="danger">{authErrorMessage(error)}</Notice> : null}
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={pending || code.length !== codeLength || lockedFor > 0}
      >
        {pending ? pendingLabel : lockedFor > 0 ? `Try again in ${lockedFor} s` : submitLabel}
      </button>
    </form>
  );
}

/** "Send a new code", allowed once a minute (the server says so too, with `resend_cooldown`). */
export function ResendCode({ email, purpose }: { email: string; purpose: OtpPurpose }) {
  const resend = useResendCode();
  const [wait, restart] = useCountdown(60);

  const send = () =>
    resend.mutate(
      { email, purpose },
      {
        onSuccess: () => restart(60),
        onError: (error) => {
          const retryAfter = error instanceof ApiError ? error.number("retryAfter") : undefined;
          if (retryAfter) restart(retryAfter);
        },
      },
    );

  return (
    <div className="resend">
      <span className="muted">Didn’t get the e-mail?</span>
      <button type="button" className="link-button" onClick={send} disabled={wait > 0 || resend.isPending}>
        {resend.isPending ? "Sending…" : wait > 0 ? `Resend code in ${wait} s` : "Resend code"}
      </button>
      {resend.isSuccess && (
        <Notice tone="success">A new code is on its way to {resend.data.maskedEmail}.</Notice>
      )}
      {resend.isError && <Notice tone="danger">{authErrorMessage(resend.error)}</Notice>}
    </div>
  );
}
