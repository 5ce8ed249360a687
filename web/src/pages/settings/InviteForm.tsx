import { type FormEvent, useState } from "react";
import { type Role, roles } from "../../api/auth-types.ts";
import { useInvite } from "../../api/members.ts";
import { SelectField, TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";
import { fieldError, formError } from "../auth/messages.ts";
import { roleLabels } from "./RoleBadge.tsx";

export function InviteForm({ owner }: { owner: boolean }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("analyst");
  const invite = useInvite();
  const options = roles
    .filter((value) => owner || value !== "owner")
    .map((value) => ({ value, label: roleLabels[value] }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail("") });
  };
  const message = formError(invite.error, ["email", "role"]);

  return (
    <form className="card invite-form" onSubmit={submit} aria-label="Invite member">
      <div>
        <h2 className="card-title">Invite member</h2>
        <p className="muted">They get an e-mail with a link to join this workspace.</p>
      </div>
      <div className="invite-controls">
        <TextField
          label="E-mail"
          name="email"
          type="email"
          required
          placeholder="name@example.com"
          value={email}
          error={fieldError(invite.error, "email")}
          onChange={(event) => {
            setEmail(event.target.value);
            if (invite.isSuccess || invite.isError) invite.reset();
          }}
        />
        <SelectField label="Role" value={role} options={options} onChange={setRole} />
        <button type="submit" className="button button-primary" disabled={invite.isPending || !email.trim()}>
          <Icon name="send" />
          {invite.isPending ? "Sending…" : "Send invitation"}
        </button>
      </div>
      {message && <Notice tone="danger">{message}</Notice>}
      {invite.isSuccess && <Notice tone="success">Invitation sent to {invite.data.email}.</Notice>}
    </form>
  );
}
