import { useState } from "react";
import { useSwitchWorkspace } from "../api/auth.ts";
import { Icon } from "../components/Icon.tsx";
import { Menu, MenuSeparator } from "../components/Menu.tsx";
import { RoleBadge } from "../pages/settings/RoleBadge.tsx";
import { CreateWorkspaceDialog } from "./CreateWorkspaceDialog.tsx";
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
            {session.role && <RoleBadge role={session.role} />}
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
