import { Link } from "react-router";
import { useLogout } from "../api/auth.ts";
import { Icon } from "../components/Icon.tsx";
import { Menu, MenuSection, MenuSeparator } from "../components/Menu.tsx";
import { useLeaveSession, useSession } from "./session.ts";

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]?.[0]}${parts.at(-1)?.[0]}` : (parts[0]?.slice(0, 2) ?? "?");
  return letters.toUpperCase();
}

export function UserMenu() {
  const { user } = useSession();
  const logout = useLogout();
  const leave = useLeaveSession();

  // Signing out locally goes ahead even if the server cannot be told: the cookies expire anyway.
  const signOut = () => logout.mutate(undefined, { onSettled: () => leave("/login") });

  return (
    <Menu
      label="Account menu"
      className="user-menu"
      button={
        <span className="avatar" aria-hidden="true">
          {initials(user.name || user.email)}
        </span>
      }
    >
      <MenuSection>
        <span className="strong">{user.name}</span>
        <span className="muted small">{user.email}</span>
        {user.instanceAdmin && <span className="badge badge-accent menu-badge">Instance admin</span>}
      </MenuSection>
      <MenuSeparator />
      <Link role="menuitem" className="menu-item" to="/settings/devices">
        <Icon name="monitor" />
        Devices
      </Link>
      <button
        role="menuitem"
        type="button"
        className="menu-item"
        onClick={signOut}
        disabled={logout.isPending}
      >
        <Icon name="logout" />
        Sign out
      </button>
    </Menu>
  );
}
