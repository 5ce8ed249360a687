import { useState } from "react";
import { useSwitchWorkspace } from "../api/auth.ts";
import { EmptyState } from "../components/EmptyState.tsx";
import { Icon } from "../components/Icon.tsx";
import { CreateWorkspaceDialog } from "./CreateWorkspaceDialog.tsx";

/** For a user who belongs to no workspace (the last one was left or deleted): how to get one. */
export function NoWorkspace() {
  const switchWorkspace = useSwitchWorkspace();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <EmptyState
        icon="building"
        title="You are not in any workspace"
        description="Create a workspace of your own, or accept an invitation from someone who works in one: open the link in the e-mail they sent."
        action={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            <Icon name="plus" />
            Create workspace
          </button>
        }
      />
      <CreateWorkspaceDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => void switchWorkspace(id)}
      />
    </>
  );
}
