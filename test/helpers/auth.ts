import type { App } from "../../src/app.js";

/** A signed-in caller for `app.http.inject`: its tokens, user and current workspace. */
export interface TestSession {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; name: string; instanceAdmin: boolean };
  workspaceId: string;
  headers: Record<string, string>;
}

export const testPassword = "correct horse battery";

function sessionOf(body: {
  accessToken: string;
  refreshToken: string;
  user: TestSession["user"];
  workspaces: { id: string }[];
}): TestSession {
  const workspaceId = body.workspaces[0]?.id ?? "";
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    user: body.user,
    workspaceId,
    headers: { authorization: `Bearer ${body.accessToken}`, "x-workspace-id": workspaceId },
  };
}

/** The first account of a fresh server: owner of its workspace and instance admin. */
export async function setUpOwner(app: App, email = "owner@example.com"): Promise<TestSession> {
  const response = await app.http.inject({
    method: "POST",
    url: "/api/v1/setup",
    payload: { email, password: testPassword, name: "Olivia Owner", workspaceName: "Acme" },
  });
  if (response.statusCode !== 201) throw new Error(`setup failed: ${response.statusCode} ${response.body}`);
  return sessionOf(response.json());
}

/** The newest e-mail to `to` (optionally of one template), read from the outbox. */
export async function latestMail(app: App, to: string, template?: string) {
  const page = await app.platform.mail.list({ limit: 50, to });
  const summary = page.items.find((item) => !template || item.template === template);
  if (!summary) throw new Error(`no ${template ?? ""} e-mail to ${to}`);
  const mail = await app.platform.mail.get(summary.id);
  if (!mail) throw new Error("e-mail vanished");
  return mail;
}

/** The 6-digit code of the newest e-mail of a template to `to`. */
export async function latestCode(app: App, to: string, template: string): Promise<string> {
  const mail = await latestMail(app, to, template);
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in ${template} e-mail to ${to}`);
  return code;
}

/** Registers and verifies an account through the API, as a person would. */
export async function signUp(
  app: App,
  email: string,
  options: { name?: string; accountType?: "personal" | "business" } = {},
): Promise<TestSession> {
  const registered = await app.http.inject({
    method: "POST",
    url: "/api/v1/auth/register",
    payload: {
      email,
      password: testPassword,
      name: options.name ?? email.split("@")[0],
      accountType: options.accountType ?? "personal",
    },
  });
  if (registered.statusCode !== 202) throw new Error(`register failed: ${registered.body}`);
  const code = await latestCode(app, email, "auth.verification");
  const verified = await app.http.inject({
    method: "POST",
    url: "/api/v1/auth/verify-registration",
    payload: { email, code },
  });
  if (verified.statusCode !== 200) throw new Error(`verify failed: ${verified.body}`);
  return sessionOf(verified.json());
}

/** Signs in with password and e-mailed code. */
export async function logIn(app: App, email: string, password = testPassword): Promise<TestSession> {
  const login = await app.http.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  if (!login.json().codeRequired) return sessionOf(login.json());
  const code = await latestCode(app, email, "auth.login_code");
  const verified = await app.http.inject({
    method: "POST",
    url: "/api/v1/auth/verify-login",
    payload: { email, code },
  });
  if (verified.statusCode !== 200) throw new Error(`verify-login failed: ${verified.body}`);
  return sessionOf(verified.json());
}

/** Brings `invitee` into a workspace with a role, through an e-mailed invitation they accept. */
export async function addMember(
  app: App,
  inviter: TestSession,
  workspaceId: string,
  invitee: TestSession,
  role: "owner" | "admin" | "analyst" | "viewer",
): Promise<void> {
  const invited = await app.http.inject({
    method: "POST",
    url: "/api/v1/invitations",
    headers: { ...inviter.headers, "x-workspace-id": workspaceId },
    payload: { email: invitee.user.email, role },
  });
  if (invited.statusCode !== 201) throw new Error(`invite failed: ${invited.body}`);
  const mail = await latestMail(app, invitee.user.email, "workspace.invitation");
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error("no invitation link in the e-mail");
  const accepted = await app.http.inject({
    method: "POST",
    url: "/api/v1/invitations/accept",
    headers: invitee.headers,
    payload: { token },
  });
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`);
}

/** The same caller acting in another of their workspaces. */
export function inWorkspace(session: TestSession, workspaceId: string): TestSession {
  return { ...session, workspaceId, headers: { ...session.headers, "x-workspace-id": workspaceId } };
}

/** A multipart/form-data body with one file, as a browser's upload form sends it. */
export async function multipartFile(
  field: string,
  fileName: string,
  content: string | Buffer,
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  form.append(field, new Blob([typeof content === "string" ? content : new Uint8Array(content)]), fileName);
  const encoded = new Response(form);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { "content-type": encoded.headers.get("content-type") ?? "" },
  };
}
