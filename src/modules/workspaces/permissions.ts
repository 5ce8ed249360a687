import { Forbidden } from "../../platform/errors.js";

export const roles = ["owner", "admin", "analyst", "viewer"] as const;
export type Role = (typeof roles)[number];

const everyone: readonly Role[] = roles;
const editors: readonly Role[] = ["owner", "admin", "analyst"];
const admins: readonly Role[] = ["owner", "admin"];
const owners: readonly Role[] = ["owner"];

/**
 * The permission matrix: which roles may do what in a workspace. docs/security.md prints this
 * table, and a test fails when the two disagree. Routes name a permission; nothing else checks roles.
 */
export const permissionMatrix = {
  "workspace.read": { roles: everyone, description: "See the workspace, its members and its data" },
  "data.write": {
    roles: editors,
    description: "Add and change sources, questions, dashboards, alerts and drafts",
  },
  "workspace.update": { roles: admins, description: "Rename the workspace and change its settings" },
  "members.manage": { roles: admins, description: "Invite, remove and change the role of members" },
  "apiKeys.manage": { roles: admins, description: "Create and revoke API keys" },
  "audit.read": { roles: admins, description: "Read the audit log" },
  "owners.manage": { roles: owners, description: "Grant or take away the owner role" },
  "workspace.delete": { roles: owners, description: "Delete the workspace and everything in it" },
} as const satisfies Record<string, { roles: readonly Role[]; description: string }>;

export type Permission = keyof typeof permissionMatrix;

export function can(role: Role, permission: Permission): boolean {
  return (permissionMatrix[permission].roles as readonly Role[]).includes(role);
}

export function assertCan(role: Role, permission: Permission): void {
  if (!can(role, permission)) {
    throw new Forbidden(
      `Your role (${role}) does not allow this: ${permissionMatrix[permission].description}`,
    );
  }
}

/** Ranks roles so that nobody hands out more than they hold. */
export const roleRank: Record<Role, number> = { owner: 4, admin: 3, analyst: 2, viewer: 1 };

export function lowerRole(a: Role, b: Role): Role {
  return roleRank[a] <= roleRank[b] ? a : b;
}

/** The matrix as Markdown, for docs/security.md. */
export function permissionTable(): string {
  const lines = [
    `| Permission | What it allows | ${roles.join(" | ")} |`,
    `| --- | --- | ${roles.map(() => ":---:").join(" | ")} |`,
  ];
  for (const [name, entry] of Object.entries(permissionMatrix)) {
    const cells = roles.map((role) => ((entry.roles as readonly Role[]).includes(role) ? "✓" : "—"));
    lines.push(`| \`${name}\` | ${entry.description} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
