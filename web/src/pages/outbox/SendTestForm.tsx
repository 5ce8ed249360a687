import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/client.ts";
import { useSendTestMail } from "../../api/outbox.ts";
import { Icon } from "../../components/Icon.tsx";

/** Sends a test e-mail through the configured transport, to check delivery end to end. */
export function SendTestForm() {
  const [to, setTo] = useState("");
  const send = useSendTestMail();
  const error = send.error instanceof ApiError ? send.error : undefined;
  const fieldError = error?.errors?.find((item) => item.path === "to" || item.path.endsWith(".to"));
  const formError =
    send.isError && !fieldError ? (error?.detail ?? error?.title ?? send.error.message) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate(to.trim());
  };

  return (
    <form className="card send-test" onSubmit={submit} noValidate aria-label="Send test e-mail">
      <div className="send-test-text">
        <h2 className="card-title">Send a test e-mail</h2>
        <p className="muted">Checks that mail leaves Sightline through the configured transport.</p>
      </div>
      <div className="send-test-controls">
        <div className="field">
          <input
            type="email"
            name="to"
            className={fieldError ? "input invalid" : "input"}
            placeholder="name@example.com"
            aria-label="Recipient"
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError || formError ? "send-test-error" : undefined}
            value={to}
            onChange={(event) => {
              setTo(event.target.value);
              if (send.isError || send.isSuccess) send.reset();
            }}
          />
          {(fieldError || formError) && (
            <p id="send-test-error" className="field-error" role="alert">
              {fieldError?.message ?? formError}
            </p>
          )}
          {send.isSuccess && (
            <p className="field-success" role="status">
              Sent to {send.data.to.join(", ")}. <Link to={`/outbox/${send.data.id}`}>View message</Link>
            </p>
          )}
        </div>
        <button type="submit" className="button button-primary" disabled={send.isPending}>
          <Icon name="send" />
          {send.isPending ? "Sending…" : "Send test e-mail"}
        </button>
      </div>
    </form>
  );
}
