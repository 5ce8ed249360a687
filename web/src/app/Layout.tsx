import { NavLink, Outlet } from "react-router";
import { useHealth } from "../api/system.ts";
import { Icon, type IconName } from "../components/Icon.tsx";
import { ThemeToggle } from "./ThemeToggle.tsx";

const sections: { to: string; label: string; icon: IconName }[] = [
  { to: "/", label: "Home", icon: "home" },
  { to: "/jobs", label: "Jobs", icon: "jobs" },
  { to: "/schedules", label: "Schedules", icon: "clock" },
  { to: "/outbox", label: "Outbox", icon: "mail" },
];

export function Layout() {
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="sidebar-inner">
          <NavLink to="/" className="brand" aria-label="Sightline home">
            <Icon name="logo" className="brand-mark" />
            <span className="brand-name">Sightline</span>
          </NavLink>
          <nav className="nav" aria-label="Main">
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
          </nav>
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <ServerStatus />
          <div className="topbar-actions">
            <a className="topbar-link" href="/docs">
              API docs
            </a>
            <ThemeToggle />
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
      {label}
    </span>
  );
}
