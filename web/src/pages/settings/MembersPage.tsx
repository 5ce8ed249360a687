import { useState } from "react";
import { type Member, type Role, roles } from "../../api/auth-types.ts";
import { useChangeRole, useMembers, useRemoveMember } from "../../api/members.ts";
import { isAdmin, useLeaveWorkspace, useSession } from "../../app/session.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";
import { InvitationsSection } from "./InvitationsSection.tsx";
import { InviteForm } from "./InviteForm.tsx";
import { RoleBadge, roleLabels } from "./RoleBadge.tsx";

export function MembersPage() {
  const session = useSession();
  const admin = isAdmin(session.role);
  const owner = session.role === "owner";
  const members = useMembers();
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const leaveWorkspace = useLeaveWorkspace();
  const [removing, setRemoving] = useState<Member | null>(null);
  const rows = members.data?.pages.flatMap((page) => page.items) ?? [];
  const workspace = session.workspaces.find((item) => item.id === session.currentWorkspaceId);
  const leaving = removing?.userId === session.user.id;
  const soleOwner = owner && rows.filter((member) => member.role === "owner").length === 1;

  // Admins manage everyone but owners; only owners manage owners. Nobody edits their own role here.
  const canManage = (member: Member) =>
    admin && member.userId !== session.user.id && (owner || member.role !== "owner");

  const confirmRemove = () => {
    if (!removing) return;
    remove.mutate(removing.userId, {
      onSuccess: () => {
        setRemoving(null);
        if (leaving && session.currentWorkspaceId) leaveWorkspace(session.currentWorkspaceId);
      },
    });
  };

  const columns: Column<Member>[] = [
    {
      key: "name",
      header: "Member",
      render: (member) => (
        <div className="cell-stack">
          <span className="strong">
            {member.name}
            {member.userId === session.user.id && <span className="muted"> (you)</span>}
          </span>
          <span className="muted small">{member.email}</span>
        </div>
      ),
    },
    {
      key: "role",
      header: "Role",
      width: "11rem",
      render: (member) =>
        canManage(member) ? (
          <select
            className="input select select-small"
            aria-label={`Role of ${member.name}`}
            value={member.role}
            disabled={changeRole.isPending && changeRole.variables?.userId === member.userId}
            onChange={(event) =>
              changeRole.mutate({ userId: member.userId, role: event.target.value as Role })
            }
          >
            {roles.map((role) => (
              <option key={role} value={role} disabled={role === "owner" && !owner}>
                {roleLabels[role]}
              </option>
            ))}
          </select>
        ) : (
          <RoleBadge role={member.role} />
        ),
    },
    { key: "joined", header: "Joined", width: "9rem", render: (member) => <Time value={member.joinedAt} /> },
    {
      key: "actions",
      header: "",
      width: "10rem",
      align: "right",
      render: (member) =>
        member.userId === session.user.id ? (
          <button
            type="button"
            className="button button-small button-danger"
            disabled={soleOwner}
            title={soleOwner ? "Make someone else an owner first: a workspace needs one." : undefined}
            onClick={() => setRemoving(member)}
          >
            Leave workspace
          </button>
        ) : canManage(member) ? (
          <button
            type="button"
            className="button button-small button-danger"
            aria-label={`Remove ${member.name}`}
            onClick={() => setRemoving(member)}
          >
            Remove
          </button>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title="Members"
        description={`People in ${workspace?.name ?? "this workspace"} and what each may do.`}
      />
      {admin && <InviteForm owner={owner} />}
      <section className="section" aria-labelledby="members-heading">
        <h2 id="members-heading" className="section-title">
          Members
        </h2>
        {changeRole.isError && <ErrorState error={changeRole.error} />}
        {members.isPending ? (
          <Loading />
        ) : members.isError ? (
          <ErrorState error={members.error} onRetry={() => members.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState icon="users" title="No members" description="Invite someone to work with you." />
        ) : (
          <>
            <Table label="Members" columns={columns} rows={rows} rowKey={(member) => member.userId} />
            <Pagination
              hasNextPage={members.hasNextPage}
              isFetchingNextPage={members.isFetchingNextPage}
              fetchNextPage={members.fetchNextPage}
            />
          </>
        )}
      </section>
      {admin && <InvitationsSection />}
      <ConfirmDialog
        open={removing !== null}
        title={leaving ? "Leave workspace?" : `Remove ${removing?.name ?? "member"}?`}
        confirmLabel={leaving ? "Leave workspace" : "Remove member"}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={confirmRemove}
        onCancel={() => {
          setRemoving(null);
          remove.reset();
        }}
      >
        {leaving ? (
          <p>
            You will lose access to <strong>{workspace?.name}</strong> until someone invites you again.
          </p>
        ) : (
          <p>
            <strong>{removing?.email}</strong> will lose access to {workspace?.name ?? "this workspace"} at
            once.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
