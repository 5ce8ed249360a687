import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useMe, useSetupStatus } from "../api/auth.ts";
import { ApiError } from "../api/client.ts";
import { ErrorState } from "../components/ErrorState.tsx";
import { Loading } from "../components/Loading.tsx";
import { loginPath, SessionContext } from "./session.ts";

/** Renders its children only for a signed-in user; otherwise first-run setup or the sign-in page. */
export function AuthGuard({ children }: { children: ReactNode }) {
  const location = useLocation();
  const setup = useSetupStatus();
  const me = useMe({ enabled: setup.data?.needsSetup === false });

  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (me.error instanceof ApiError && me.error.status === 401) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }
  const error = setup.error ?? me.error;
  if (error) {
    return (
      <div className="auth-page">
        <div className="auth-main">
          <ErrorState error={error} onRetry={() => (setup.isError ? setup.refetch() : me.refetch())} />
        </div>
      </div>
    );
  }
  if (!me.data) {
    return (
      <div className="auth-page auth-page-center">
        <Loading label="Opening Sightline…" />
      </div>
    );
  }
  return <SessionContext.Provider value={me.data}>{children}</SessionContext.Provider>;
}
