import type { Role } from "../../api/auth-types.ts";

const tones: Record<Role, string> = { owner: "accent", admin: "info", analyst: "neutral", viewer: "neutral" };

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span className={`badge badge-${tones[role]} badge-role`} data-role={role}>
      {role}
    </span>
  );
}

export const roleLabels: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  analyst: "Analyst",
  viewer: "Viewer",
};
