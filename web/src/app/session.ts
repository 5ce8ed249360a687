import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import { useNavigate } from "react-router";
import type { Me, Role } from "../api/auth-types.ts";
import { setWorkspaceId } from "../api/current-workspace.ts";

/** The signed-in user, their workspaces and role; provided by the auth guard around the shell. */
export const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error("useSession is used outside the signed-in shell");
  return me;
}

export const isAdmin = (role: Role | null) => role === "owner" || role === "admin";

/** Who may upload and delete data (the server's `data.write` permission). */
export const canWriteData = (role: Role | null) => isAdmin(role) || role === "analyst";

/** Pages anyone can open signed out; everything else sits behind the auth guard. */
const publicPaths = ["/setup", "/signup", "/verify", "/login", "/forgot-password", "/invite/", "/shared/"];

export function isPublicPath(pathname: string): boolean {
  return publicPaths.some(
    (path) => pathname === path || pathname.startsWith(path.endsWith("/") ? path : `${path}/`),
  );
}

/** `next` as a same-site path, or undefined: a link must not send a user elsewhere after signing in. */
export function safeNext(value: string | null | undefined): string | undefined {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return undefined;
  return value;
}

export function loginPath(next: string | undefined): string {
  const target = safeNext(next);
  return target && target !== "/" ? `/login?next=${encodeURIComponent(target)}` : "/login";
}

/** Starts over in a fresh session: forget the last user's data and workspace, then go on. */
export function useEnterSession() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return (next?: string | null, workspaceId?: string) => {
    setWorkspaceId(workspaceId ?? null);
    client.clear();
    navigate(safeNext(next) ?? "/", { replace: true });
  };
}

/**
 * After leaving or deleting workspace `gone`: works in another of the user's workspaces (none left:
 * the pages say how to get one), starting from Home with nothing cached from the old one.
 */
export function useLeaveWorkspace() {
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  return (gone: string) => {
    const next = session.workspaces.find((workspace) => workspace.id !== gone);
    setWorkspaceId(next?.id ?? null);
    // Dropped, not reset: a reset would fetch the gone workspace again while its page is still open.
    client.removeQueries({ queryKey: ["workspaces", "detail", gone] });
    navigate("/", { replace: true });
    void client.resetQueries();
  };
}

/** Leaves the signed-in area and drops its cached data. */
export function useLeaveSession() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return (to = "/login") => {
    setWorkspaceId(null);
    navigate(to, { replace: true });
    // After navigating, so the shell's queries are gone before the cache is.
    queueMicrotask(() => client.clear());
  };
}
