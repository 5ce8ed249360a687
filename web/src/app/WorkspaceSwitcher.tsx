import { type FormEvent, useState } from "react";
import { useSwitchWorkspace } from "../api/auth.ts";
import { useCreateWorkspace } from "../api/workspaces.ts";
import { Dialog, DialogActions } from "../components/Dialog.tsx";
import { ErrorState } from "../components/ErrorState.tsx";
import { TextField } from "../components/Field.tsx";
import { Icon } from "../components/Icon.tsx";
import { Menu, MenuSeparator } from "../components/Menu.tsx";
import { RoleBadge } from "../pages/settings/RoleBadge.tsx";
import { useSession } from "./session.ts";

/** Lists the user's workspaces; switching keeps the choice and reloads every query for the new one. */
export function WorkspaceSwitcher() {
  const session = useSession();
  const switchWorkspace = useSwitchWorkspace();
  const [creating, setCreating] = useState(false);
  const current = session.workspaces.find((workspace) => workspace.id === session.currentWorkspaceId);

  const switchTo = (id: string) => {
    if (id === session.currentWorkspaceId) return;
    void switchWorkspace(id);
  };

  return (
    <>
      <Menu
        label={`Switch workspace (current: ${current?.name ?? "none"})`}
        className="workspace-switcher"
        align="start"
        button={
          <>
            <span className="workspace-mark" aria-hidden="true">
              <Icon name="building" />
            </span>
            <span className="workspace-name">{current?.name ?? "No workspace"}</span>
            <RoleBadge role={session.role} />
            <Icon name="chevron" className="chevron" />
          </>
        }
      >
        <div className="menu-heading">Workspaces</div>
        {session.workspaces.map((workspace) => (
          <button
            key={workspace.id}
            type="button"
            role="menuitemradio"
            aria-checked={workspace.id === session.currentWorkspaceId}
            className="menu-item"
            onClick={() => switchTo(workspace.id)}
          >
            <span className="menu-check">
              {workspace.id === session.currentWorkspaceId && <Icon name="check" />}
            </span>
            <span className="menu-item-label">{workspace.name}</span>
            <span className="muted small">{workspace.role}</span>
          </button>
        ))}
        <MenuSeparator />
        <button type="button" role="menuitem" className="menu-item" onClick={() => setCreating(true)}>
          <Icon name="plus" />
          Create workspace
        </button>
      </Menu>
      <CreateWorkspaceDialog open={creating} onClose={() => setCreating(false)} onCreated={switchTo} />
    </>
  );
}

function CreateWorkspaceDialog({
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
