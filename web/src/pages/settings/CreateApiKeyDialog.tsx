import { type FormEvent, useRef, useState } from "react";
import { useCreateApiKey } from "../../api/api-keys.ts";
import type { CreatedApiKey, Role } from "../../api/auth-types.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";
import { fieldError, formError } from "../auth/messages.ts";
import { roleLabels } from "./RoleBadge.tsx";

const keyRoles: Role[] = ["admin", "analyst", "viewer"];
const expiries = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
];

/** Creates a key, then shows its secret once: the server keeps only a hash. */
export function CreateApiKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title={created ? "Copy your new API key" : "Create API key"}>
      {created ? (
        <SecretStep apiKey={created} onDone={close} />
      ) : (
        <CreateForm onCancel={close} onCreated={setCreated} />
      )}
    </Dialog>
  );
}

function CreateForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("analyst");
  const [expiry, setExpiry] = useState("90");
  const create = useCreateApiKey();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), role, ...(expiry === "never" ? {} : { expiresInDays: Number(expiry) }) },
      { onSuccess: onCreated },
    );
  };
  const message = formError(create.error, ["name", "role", "expiresInDays"]);
  return (
    <form className="form" onSubmit={submit} aria-label="Create API key">
      <TextField
        label="Name"
        name="name"
        required
        maxLength={100}
        placeholder="e.g. Nightly export"
        hint="Say what uses the key, so you know what breaks when you revoke it."
        value={name}
        error={fieldError(create.error, "name")}
        onChange={(event) => setName(event.target.value)}
      />
      <div className="form-columns">
        <SelectField
          label="Role"
          value={role}
          options={keyRoles.map((value) => ({ value, label: roleLabels[value] }))}
          onChange={setRole}
        />
        <SelectField label="Expires after" value={expiry} options={expiries} onChange={setExpiry} />
      </div>
      {message && <Notice tone="danger">{message}</Notice>}
      <DialogActions>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={create.isPending || !name.trim()}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </DialogActions>
    </form>
  );
}

function SecretStep({ apiKey, onDone }: { apiKey: CreatedApiKey; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey.secret);
      setCopied("yes");
    } catch {
      // No clipboard access (permissions, plain HTTP): select the text so the user can copy it.
      input.current?.select();
      setCopied("failed");
    }
  };
  return (
    <div className="form">
      <Notice tone="warning">
        This is the only time the key is shown. Copy it now and keep it somewhere safe: it cannot be shown
        again.
      </Notice>
      <div className="secret-row">
        <input
          ref={input}
          className="input mono secret-input"
          readOnly
          aria-label="API key secret"
          value={apiKey.secret}
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={copy}>
          <Icon name={copied === "yes" ? "check" : "copy"} />
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
      </div>
      {copied === "failed" && (
        <p className="form-hint">Copying is blocked here: press Ctrl+C (⌘C) to copy.</p>
      )}
      <p className="form-hint">
        Use it as <code>x-api-key: {apiKey.prefix}…</code> with role <strong>{apiKey.role}</strong>.
      </p>
      <DialogActions>
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </DialogActions>
    </div>
  );
}
