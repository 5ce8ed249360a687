import { type ReactNode, useEffect } from "react";
import { Link, Outlet } from "react-router";
import { ThemeToggle } from "../../app/ThemeToggle.tsx";
import { Icon } from "../../components/Icon.tsx";

/** Public pages: no sidebar, one card in the middle. */
export function AuthLayout() {
  return (
    <div className="auth-page">
      <header className="auth-top">
        <Link to="/login" className="brand" aria-label="Sightline">
          <Icon name="logo" className="brand-mark" />
          <span className="brand-name">Sightline</span>
        </Link>
        <ThemeToggle />
      </header>
      <main className="auth-main">
        <Outlet />
      </main>
    </div>
  );
}

export function AuthCard({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Sightline`;
  }, [title]);
  return (
    <>
      <section className="auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title" className="auth-title">
          {title}
        </h1>
        {description && <p className="auth-description">{description}</p>}
        {children}
      </section>
      {footer && <div className="auth-footer">{footer}</div>}
    </>
  );
}
