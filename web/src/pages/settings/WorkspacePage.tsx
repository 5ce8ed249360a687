import type { Workspace } from "../../api/auth-types.ts";
import { useWorkspace } from "../../api/workspaces.ts";
import { canWriteData, isAdmin, useSession } from "../../app/session.ts";
import { Detail, DetailList } from "../../components/DetailList.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { formatDate, formatDateTime } from "../../components/format.ts";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Guidelines } from "../drafts/DraftsPage.tsx";
import { DangerZone } from "./DangerZone.tsx";
import { RenameWorkspaceForm } from "./RenameWorkspaceForm.tsx";
import { RoleBadge } from "./RoleBadge.tsx";

/** The current workspace: its details, and renaming (admins) or deleting it (owners). */
export function WorkspacePage() {
  const { currentWorkspaceId } = useSession();
  return (
    <>
      <PageHeader title="Workspace" description="The workspace you are working in, as its members see it." />
      {/* The router's WorkspaceOnly gate shows the way to a workspace when there is none. */}
      {currentWorkspaceId && <WorkspaceSettings id={currentWorkspaceId} />}
    </>
  );
}

function WorkspaceSettings({ id }: { id: string }) {
  const workspace = useWorkspace(id);
  if (workspace.isPending) return <Loading />;
  if (workspace.isError) return <ErrorState error={workspace.error} onRetry={() => workspace.refetch()} />;
  const { data } = workspace;
  return (
    <>
      <section className="card" aria-labelledby="workspace-details-heading">
        <h2 id="workspace-details-heading" className="card-title workspace-title">
          {data.name}
          {data.isDemo && <span className="badge badge-warning">Demo workspace</span>}
        </h2>
        <p className="muted workspace-subtitle">
          {data.isDemo
            ? "Set up by this server's demo mode, for trying Sightline out. It cannot be deleted."
            : "Its data, members and API keys are kept apart from your other workspaces."}
        </p>
        <Details workspace={data} />
        {!isAdmin(data.role) && (
          <p className="muted small workspace-note">
            Only owners and admins of this workspace can rename it.
          </p>
        )}
      </section>
      {isAdmin(data.role) && <RenameWorkspaceForm workspace={data} />}
      {canWriteData(data.role) && <Guidelines folded={false} />}
      {data.role === "owner" && !data.isDemo && <DangerZone workspace={data} />}
    </>
  );
}

function Details({ workspace }: { workspace: Workspace }) {
  return (
    <DetailList>
      <Detail label="Your role">
        <RoleBadge role={workspace.role} />
      </Detail>
      <Detail label="Created">
        <time dateTime={workspace.createdAt} title={formatDateTime(workspace.createdAt)}>
          {formatDate(workspace.createdAt)}
        </time>
      </Detail>
      <Detail label="Workspace ID">
        <code className="mono small">{workspace.id}</code>
      </Detail>
    </DetailList>
  );
}
