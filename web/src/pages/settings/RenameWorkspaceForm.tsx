import { type FormEvent, useState } from "react";
import type { Workspace } from "../../api/auth-types.ts";
import { useRenameWorkspace } from "../../api/workspaces.ts";
import { TextField } from "../../components/Field.tsx";
import { Notice } from "../../components/Notice.tsx";
import { fieldError, formError } from "../auth/messages.ts";
import { workspaceNameProblem } from "./workspace-name.ts";

export function RenameWorkspaceForm({ workspace }: { workspace: Workspace }) {
  const [name, setName] = useState(workspace.name);
  const [problem, setProblem] = useState<string>();
  const rename = useRenameWorkspace();
  const message = formError(rename.error, ["name"]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const invalid = workspaceNameProblem(name);
    setProblem(invalid);
    if (invalid) return;
    rename.mutate({ id: workspace.id, name: name.trim() }, { onSuccess: (saved) => setName(saved.name) });
  };

  return (
    <form className="card rename-form section" onSubmit={submit} aria-label="Rename workspace" noValidate>
      <div>
        <h2 className="card-title">Rename workspace</h2>
        <p className="muted">Members see the new name in their workspace switcher and in invitations.</p>
      </div>
      <div className="rename-controls">
        <TextField
          label="Workspace name"
          name="name"
          autoComplete="off"
          value={name}
          error={problem ?? fieldError(rename.error, "name")}
          onChange={(event) => {
            setName(event.target.value);
            setProblem(undefined);
            if (rename.isSuccess || rename.isError) rename.reset();
          }}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={rename.isPending || name.trim() === workspace.name}
        >
          {rename.isPending ? "Saving…" : "Save name"}
        </button>
      </div>
      {message && <Notice tone="danger">{message}</Notice>}
      {rename.isSuccess && <Notice tone="success">Workspace renamed to {rename.data.name}.</Notice>}
    </form>
  );
}
