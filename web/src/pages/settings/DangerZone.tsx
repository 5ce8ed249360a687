import { type FormEvent, useState } from "react";
import type { Workspace } from "../../api/auth-types.ts";
import { useDeleteWorkspace } from "../../api/workspaces.ts";
import { useLeaveWorkspace } from "../../app/session.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { TextField } from "../../components/Field.tsx";
import { confirmsName } from "./workspace-name.ts";

/** Deleting the workspace, for its owners. */
export function DangerZone({ workspace }: { workspace: Workspace }) {
  const [deleting, setDeleting] = useState(false);
  return (
    <section className="section" aria-labelledby="danger-zone-heading">
      <h2 id="danger-zone-heading" className="section-title">
        Danger zone
      </h2>
      <div className="card danger-zone">
        <div>
          <h3 className="card-title">Delete workspace</h3>
          <p className="muted">
            Deletes {workspace.name} for everyone in it, with its memberships, invitations and API keys. This
            cannot be undone.
          </p>
        </div>
        <button type="button" className="button button-danger" onClick={() => setDeleting(true)}>
          Delete workspace
        </button>
      </div>
      <Dialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete ${workspace.name}?`}
        description={
          <p>
            <strong>{workspace.name}</strong> and everything in it are deleted at once, for every member. Its
            API keys stop working. This cannot be undone.
          </p>
        }
      >
        <DeleteWorkspaceForm workspace={workspace} onCancel={() => setDeleting(false)} />
      </Dialog>
    </section>
  );
}

/** Asks for the workspace's name before deleting it, so a slip of the mouse cannot. */
function DeleteWorkspaceForm({ workspace, onCancel }: { workspace: Workspace; onCancel: () => void }) {
  const [typed, setTyped] = useState("");
  const remove = useDeleteWorkspace();
  const leaveWorkspace = useLeaveWorkspace();
  const confirmed = confirmsName(typed, workspace.name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed) return;
    remove.mutate(workspace.id, { onSuccess: () => leaveWorkspace(workspace.id) });
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Delete workspace">
      <TextField
        label={`Type ${workspace.name} to confirm`}
        name="confirm"
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
      />
      {remove.isError && <ErrorState error={remove.error} />}
      <DialogActions>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="button button-danger-solid"
          disabled={!confirmed || remove.isPending}
        >
          {remove.isPending ? "Deleting…" : "Delete workspace"}
        </button>
      </DialogActions>
    </form>
  );
}
