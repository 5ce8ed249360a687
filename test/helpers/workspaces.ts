import type { App } from "../../src/app.js";
import type { Role } from "../../src/modules/workspaces/permissions.js";
import { latestMail, signUp, type TestSession } from "./auth.js";

/** The same caller, acting in another of its workspaces. */
export function inWorkspace(session: TestSession, workspaceId: string): TestSession {
  return { ...session, workspaceId, headers: { ...session.headers, "x-workspace-id": workspaceId } };
}

/** The token in the `/invite/<token>` link of the newest invitation e-mailed to `to`. */
export async function invitationToken(app: App, to: string): Promise<string> {
  const mail = await latestMail(app, to, "workspace.invitation");
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no invitation link in the e-mail to ${to}`);
  return token;
}

/** Invites `email` into the inviter's current workspace and returns the invitation. */
export async function invite(app: App, inviter: TestSession, email: string, role: Role) {
  const response = await app.http.inject({
    method: "POST",
    url: "/api/v1/invitations",
    headers: inviter.headers,
    payload: { email, role },
  });
  if (response.statusCode !== 201) throw new Error(`invite failed: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string; email: string; role: Role; status: string };
}

/** Accepts an invitation as `session`; the answer as it came. */
export function accept(app: App, session: TestSession, token: string, headers: Record<string, string> = {}) {
  return app.http.inject({
    method: "POST",
    url: "/api/v1/invitations/accept",
    headers: { ...session.headers, ...headers },
    payload: { token },
  });
}

/**
 * A new account that joined the inviter's current workspace through an e-mailed invitation,
 * as a person would; its headers point at that workspace.
 */
export async function addMember(app: App, inviter: TestSession, email: string, role: Role) {
  await invite(app, inviter, email, role);
  const token = await invitationToken(app, email);
  const session = await signUp(app, email);
  const accepted = await accept(app, session, token);
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.statusCode} ${accepted.body}`);
  return inWorkspace(session, inviter.workspaceId);
}
