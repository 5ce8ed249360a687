import { NavLink, Outlet } from "react-router";
import { useHealth } from "../api/system.ts";
import { Icon, type IconName } from "../components/Icon.tsx";
import { isAdmin, useSession } from "./session.ts";
import { ThemeToggle } from "./ThemeToggle.tsx";
import { UserMenu } from "./UserMenu.tsx";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher.tsx";

interface Section {
  to: string;
  label: string;
  icon: IconName;
}

const main: Section[] = [
  { to: "/ask", label: "Ask", icon: "chat" },
  { to: "/dashboards", label: "Dashboards", icon: "table" },
  { to: "/alerts", label: "Alerts", icon: "alert" },
  { to: "/drafts", label: "Drafts", icon: "mail" },
  { to: "/", label: "Home", icon: "home" },
  { to: "/sources", label: "Sources", icon: "database" },
  { to: "/relationships", label: "Relationships", icon: "link" },
  { to: "/sql", label: "SQL", icon: "code" },
];
/** Instance-wide operations, for instance admins only. */
const operations: Section[] = [
  { to: "/jobs", label: "Jobs", icon: "jobs" },
  { to: "/schedules", label: "Schedules", icon: "clock" },
  { to: "/outbox", label: "Outbox", icon: "mail" },
];

function settingsFor(admin: boolean): Section[] {
  return [
    { to: "/settings/workspace", label: "Workspace", icon: "building" },
    { to: "/settings/members", label: "Members", icon: "users" },
    ...(admin
      ? [
          { to: "/settings/api-keys", label: "API keys", icon: "key" as const },
          { to: "/settings/audit", label: "Audit log", icon: "shield" as const },
        ]
      : []),
    { to: "/settings/devices", label: "Devices", icon: "monitor" },
  ];
}

function NavGroup({ title, sections }: { title?: string; sections: Section[] }) {
  return (
    <div className="nav-group">
      {title && <h2 className="nav-group-title">{title}</h2>}
      {sections.map((section) => (
        <NavLink
          key={section.to}
          to={section.to}
          end={section.to === "/"}
          className="nav-link"
          title={section.label}
        >
          <Icon name={section.icon} />
          <span className="nav-label">{section.label}</span>
        </NavLink>
      ))}
    </div>
  );
}

export function Layout() {
  const session = useSession();
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="sidebar-inner">
          <NavLink to="/" className="brand" aria-label="Sightline home">
            <Icon name="logo" className="brand-mark" />
            <span className="brand-name">Sightline</span>
          </NavLink>
          <nav className="nav" aria-label="Main">
            <NavGroup sections={main} />
            {session.user.instanceAdmin && <NavGroup title="Operations" sections={operations} />}
            <NavGroup title="Settings" sections={settingsFor(isAdmin(session.role))} />
          </nav>
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <WorkspaceSwitcher />
          <div className="topbar-actions">
            <ServerStatus />
            <a className="topbar-link" href="/docs">
              API docs
            </a>
            <ThemeToggle />
            <UserMenu />
          </div>
        </header>
        <main className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

function ServerStatus() {
  const health = useHealth({ refetchInterval: 30_000 });
  const state = health.isError ? "down" : health.isSuccess ? "up" : "unknown";
  const label = health.isError
    ? "Server unreachable"
    : health.isSuccess
      ? `Connected · v${health.data.version}`
      : "Connecting…";
  return (
    <span className={`server-status server-status-${state}`} role="status">
      <span className="dot" aria-hidden="true" />
      <span className="server-status-label">{label}</span>
    </span>
  );
}
