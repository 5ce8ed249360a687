import type { ReactNode } from "react";
import { isAdmin, useSession } from "../../app/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { NotFoundPage } from "../NotFoundPage.tsx";

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
