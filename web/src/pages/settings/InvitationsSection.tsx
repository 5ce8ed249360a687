import { useState } from "react";
import type { Invitation } from "../../api/auth-types.ts";
import { useInvitations, useResendInvitation, useRevokeInvitation } from "../../api/members.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";
import { RoleBadge } from "./RoleBadge.tsx";

export function InvitationsSection() {
  const invitations = useInvitations();
  const resend = useResendInvitation();
  const revoke = useRevokeInvitation();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const rows = invitations.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: Column<Invitation>[] = [
    { key: "email", header: "E-mail", render: (invite) => <span className="strong">{invite.email}</span> },
    { key: "role", header: "Role", width: "8rem", render: (invite) => <RoleBadge role={invite.role} /> },
    {
      key: "status",
      header: "Status",
      width: "8rem",
      render: (invite) => <StatusBadge status={invite.status} />,
    },
    {
      key: "by",
      header: "Invited by",
      width: "10rem",
      render: (invite) => invite.invitedBy?.name ?? <span className="muted">—</span>,
    },
    {
      key: "expires",
      header: "Expires",
      width: "9rem",
      render: (invite) => <Time value={invite.expiresAt} />,
    },
    {
      key: "actions",
      header: "",
      width: "11rem",
      align: "right",
      render: (invite) =>
        invite.status === "pending" || invite.status === "expired" ? (
          <div className="row-actions">
            <button
              type="button"
              className="button button-small"
              aria-label={`Resend invitation to ${invite.email}`}
              disabled={resend.isPending && resend.variables === invite.id}
              onClick={() => resend.mutate(invite.id)}
            >
              {resend.isSuccess && resend.variables === invite.id ? "Sent" : "Resend"}
            </button>
            {invite.status === "pending" && (
              <button
                type="button"
                className="button button-small button-danger"
                aria-label={`Revoke invitation to ${invite.email}`}
                onClick={() => setRevoking(invite)}
              >
                Revoke
              </button>
            )}
          </div>
        ) : null,
    },
  ];

  return (
    <section className="section" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading" className="section-title">
        Invitations
      </h2>
      {resend.isError && <ErrorState error={resend.error} />}
      {invitations.isPending ? (
        <Loading />
      ) : invitations.isError ? (
        <ErrorState error={invitations.error} onRetry={() => invitations.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon="mail" title="No invitations yet" description="Invitations you send appear here." />
      ) : (
        <>
          <Table label="Invitations" columns={columns} rows={rows} rowKey={(invite) => invite.id} />
          <Pagination
            hasNextPage={invitations.hasNextPage}
            isFetchingNextPage={invitations.isFetchingNextPage}
            fetchNextPage={invitations.fetchNextPage}
          />
        </>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke invitation?"
        confirmLabel="Revoke invitation"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        <p>
          The link sent to <strong>{revoking?.email}</strong> will stop working.
        </p>
      </ConfirmDialog>
    </section>
  );
}
