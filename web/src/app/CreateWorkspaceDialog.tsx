import { type FormEvent, useState } from "react";
import { useCreateWorkspace } from "../api/workspaces.ts";
import { Dialog, DialogActions } from "../components/Dialog.tsx";
import { ErrorState } from "../components/ErrorState.tsx";
import { TextField } from "../components/Field.tsx";

/** Creates a workspace the user will own; `onCreated` gets its id (to switch to it). */
export function CreateWorkspaceDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create workspace"
      description="A separate space for its own data, members and keys. You will be its owner."
    >
      <CreateWorkspaceForm
        onCancel={onClose}
        onCreated={(id) => {
          onClose();
          onCreated(id);
        }}
      />
    </Dialog>
  );
}

function CreateWorkspaceForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (id: string) => void;
}) {
  const [name, setName] = useState("");
  const create = useCreateWorkspace();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() }, { onSuccess: (workspace) => onCreated(workspace.id) });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Create workspace">
      <TextField
        label="Workspace name"
        name="name"
        required
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      {create.isError && <ErrorState error={create.error} />}
      <DialogActions>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={create.isPending || !name.trim()}>
          {create.isPending ? "Creating…" : "Create workspace"}
        </button>
      </DialogActions>
    </form>
  );
}
