/** Shapes of the identity API's answers: accounts, sessions, workspaces, keys and audit. */

export type Role = "owner" | "admin" | "analyst" | "viewer";
export const roles: Role[] = ["owner", "admin", "analyst", "viewer"];
export type AccountType = "personal" | "business";
export type OtpPurpose = "registration" | "login" | "password_reset";

export interface User {
  id: string;
  email: string;
  name: string;
  accountType: AccountType;
  emailVerified: boolean;
  instanceAdmin: boolean;
  isDemo: boolean;
  createdAt: string;
}

export interface WorkspaceMembership {
  id: string;
  name: string;
  role: Role;
  isDemo: boolean;
  createdAt?: string;
}

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  workspaces: WorkspaceMembership[];
}

export interface SetupStatus {
  needsSetup: boolean;
  signupEnabled: boolean;
  demo: { email: string; password: string } | null;
}

export interface Me {
  user: User;
  workspaces: WorkspaceMembership[];
  /** Null when the user belongs to no workspace (the last one was left or deleted). */
  currentWorkspaceId: string | null;
  /** The role in the current workspace; null with it. */
  role: Role | null;
  via: "session" | "api_key";
}

/** `codeRequired: false` carries a whole Session: this device or account needs no code. */
export type LoginResult =
  | { codeRequired: true; message: string; maskedEmail: string }
  | ({ codeRequired: false } & Session);

export interface CodeSent {
  message: string;
  maskedEmail: string;
}

export interface Registered {
  message: string;
  email: string;
}

export interface Device {
  id: string;
  name: string;
  userAgent: string | null;
  ip: string | null;
  lastSeenAt: string | null;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

export interface Workspace {
  id: string;
  name: string;
  /** Your role in it. */
  role: Role;
  isDemo: boolean;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface PersonRef {
  id: string;
  name: string;
}

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  invitedBy: PersonRef | null;
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
}

export interface InvitationLookup {
  workspaceName: string;
  /** The inviter's name. */
  invitedBy: string | null;
  email: string;
  role: Role;
  status: InvitationStatus;
  expiresAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdBy: PersonRef | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKey {
  /** The whole key; the server never shows it again. */
  secret: string;
}

export interface AuditEvent {
  id: string;
  action: string;
  actor: { type: "user" | "api_key" | "system"; id: string | null; label: string | null };
  target: { type: string; id: string | null; label: string | null } | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown> | null;
  createdAt: string;
}
