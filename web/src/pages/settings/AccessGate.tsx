import type { ReactNode } from "react";
import { NoWorkspace } from "../../app/NoWorkspace.tsx";
import { isAdmin, useSession } from "../../app/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { NotFoundPage } from "../NotFoundPage.tsx";

/** Pages about the current workspace, for a user who has none: how to get one instead. */
export function WorkspaceOnly({ title, children }: { title: string; children: ReactNode }) {
  const { currentWorkspaceId } = useSession();
  if (currentWorkspaceId) return children;
  return (
    <>
      <PageHeader title={title} />
      <NoWorkspace />
    </>
  );
}

/** Workspace settings that only owners and admins may see. */
export function AdminOnly({ title, children }: { title: string; children: ReactNode }) {
  const { role } = useSession();
  if (isAdmin(role)) return children;
  return (
    <>
      <PageHeader title={title} />
      <EmptyState
        icon="shield"
        title="Admins only"
        description={`Your role in this workspace is ${role}. Ask an owner or admin if you need access.`}
      />
    </>
  );
}

/** Server-wide operations pages; to everyone else they do not exist (the API answers 404 too). */
export function InstanceAdminOnly({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return user.instanceAdmin ? children : <NotFoundPage />;
}
