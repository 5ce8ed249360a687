import { useEffect } from "react";
import { Outlet, useNavigate } from "react-router";
import { onSignedOut } from "../api/client.ts";
import { isPublicPath, loginPath } from "./session.ts";

/** The top route: sends the user to sign in when the session ends while a signed-in page is open. */
export function Root() {
  const navigate = useNavigate();
  useEffect(
    () =>
      onSignedOut(() => {
        const { pathname, search } = window.location;
        if (!isPublicPath(pathname)) navigate(loginPath(pathname + search), { replace: true });
      }),
    [navigate],
  );
  return <Outlet />;
}
