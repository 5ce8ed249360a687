import { Link, useParams } from "react-router";
import { useMe } from "../../api/auth.ts";
import type { InvitationLookup } from "../../api/auth-types.ts";
import { readCookie } from "../../api/client.ts";
import { useAcceptInvitation, useInvitationLookup } from "../../api/members.ts";
import { useEnterSession } from "../../app/session.ts";
import { Detail, DetailList } from "../../components/DetailList.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { Time } from "../../components/Time.tsx";
import { RoleBadge } from "../settings/RoleBadge.tsx";
import { AuthCard } from "./AuthLayout.tsx";
import { authErrorMessage } from "./messages.ts";

const closed: Record<Exclude<InvitationLookup["status"], "pending">, string> = {
  accepted: "This invitation has already been accepted.",
  revoked: "This invitation was withdrawn. Ask the person who invited you for a new one.",
  expired: "This invitation has expired. Ask the person who invited you for a new one.",
};

export function InvitePage() {
  const { token = "" } = useParams();
  const lookup = useInvitationLookup(token);
  // Without the CSRF cookie nobody is signed in here: no need to ask the server.
  const me = useMe({ enabled: Boolean(readCookie("sl_csrf")) });
  const accept = useAcceptInvitation();
  const enter = useEnterSession();
  const here = `/invite/${encodeURIComponent(token)}`;

  if (lookup.isPending) return <Loading label="Looking up the invitation…" />;
  if (lookup.isError) {
    return (
      <AuthCard title="Invitation">
        <ErrorState error={lookup.error} />
        <Link to="/login">Go to sign in</Link>
      </AuthCard>
    );
  }

  const invite = lookup.data;
  const inviter = invite.invitedBy;
  const signedIn = me.data;
  return (
    <AuthCard
      title={`Join ${invite.workspaceName}`}
      description={
        <>
          {inviter ? `${inviter} invited` : "You are invited:"} <strong>{invite.email}</strong> to work in{" "}
          <strong>{invite.workspaceName}</strong> on Sightline.
        </>
      }
    >
      <div className="invite-details">
        <DetailList>
          <Detail label="Workspace">{invite.workspaceName}</Detail>
          <Detail label="Role">
            <RoleBadge role={invite.role} />
          </Detail>
          <Detail label="Expires">
            <Time value={invite.expiresAt} />
          </Detail>
        </DetailList>
      </div>
      {invite.status !== "pending" ? (
        <Notice tone="warning">{closed[invite.status]}</Notice>
      ) : signedIn ? (
        <div className="form">
          <p className="muted">
            Signed in as <strong>{signedIn.user.email}</strong>.
          </p>
          {accept.isError && <Notice tone="danger">{authErrorMessage(accept.error)}</Notice>}
          <button
            type="button"
            className="button button-primary button-block"
            disabled={accept.isPending}
            onClick={() => accept.mutate(token, { onSuccess: (membership) => enter("/", membership.id) })}
          >
            {accept.isPending ? "Joining…" : `Accept and join ${invite.workspaceName}`}
          </button>
        </div>
      ) : me.isFetching ? (
        <Loading />
      ) : (
        <div className="form">
          <Link className="button button-primary button-block" to={`/login?next=${encodeURIComponent(here)}`}>
            Sign in to accept
          </Link>
          <Link className="button button-block" to={`/signup?next=${encodeURIComponent(here)}`}>
            Create an account
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
