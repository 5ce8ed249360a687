import type { ReactNode } from "react";
import { createBrowserRouter } from "react-router";
import { AlertsPage } from "../pages/alerts/AlertsPage.tsx";
import { AskPage } from "../pages/ask/AskPage.tsx";
import { AuthLayout } from "../pages/auth/AuthLayout.tsx";
import { ForgotPasswordPage } from "../pages/auth/ForgotPasswordPage.tsx";
import { InvitePage } from "../pages/auth/InvitePage.tsx";
import { LoginCodePage } from "../pages/auth/LoginCodePage.tsx";
import { LoginPage } from "../pages/auth/LoginPage.tsx";
import { SetupPage } from "../pages/auth/SetupPage.tsx";
import { SignupPage } from "../pages/auth/SignupPage.tsx";
import { VerifyPage } from "../pages/auth/VerifyPage.tsx";
import { DashboardPage } from "../pages/dashboards/DashboardPage.tsx";
import { DashboardsPage } from "../pages/dashboards/DashboardsPage.tsx";
import { SharedDashboardPage } from "../pages/dashboards/SharedDashboardPage.tsx";
import { DraftsPage } from "../pages/drafts/DraftsPage.tsx";
import { HomePage } from "../pages/HomePage.tsx";
import { JobDetailPage } from "../pages/jobs/JobDetailPage.tsx";
import { JobsPage } from "../pages/jobs/JobsPage.tsx";
import { NotFoundPage } from "../pages/NotFoundPage.tsx";
import { MailPage } from "../pages/outbox/MailPage.tsx";
import { OutboxPage } from "../pages/outbox/OutboxPage.tsx";
import { RouteErrorPage } from "../pages/RouteErrorPage.tsx";
import { RelationshipsPage } from "../pages/relationships/RelationshipsPage.tsx";
import { SchedulesPage } from "../pages/SchedulesPage.tsx";
import { InstanceAdminOnly, WorkspaceOnly } from "../pages/settings/AccessGate.tsx";
import { ApiKeysPage } from "../pages/settings/ApiKeysPage.tsx";
import { AuditPage } from "../pages/settings/AuditPage.tsx";
import { DevicesPage } from "../pages/settings/DevicesPage.tsx";
import { MembersPage } from "../pages/settings/MembersPage.tsx";
import { WorkspacePage } from "../pages/settings/WorkspacePage.tsx";
import { ConnectPage } from "../pages/sources/ConnectPage.tsx";
import { SourceDetailPage } from "../pages/sources/SourceDetailPage.tsx";
import { SourcesPage } from "../pages/sources/SourcesPage.tsx";
import { SqlPage } from "../pages/sql/SqlPage.tsx";
import { AuthGuard } from "./AuthGuard.tsx";
import { Layout } from "./Layout.tsx";
import { Root } from "./Root.tsx";

const operator = (element: ReactNode) => <InstanceAdminOnly>{element}</InstanceAdminOnly>;
const workspaceOnly = (title: string, element: ReactNode) => (
  <WorkspaceOnly title={title}>{element}</WorkspaceOnly>
);

export const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      { path: "shared/:token", element: <SharedDashboardPage />, errorElement: <RouteErrorPage /> },
      {
        element: <AuthLayout />,
        children: [
          {
            errorElement: <RouteErrorPage />,
            children: [
              { path: "setup", element: <SetupPage /> },
              { path: "signup", element: <SignupPage /> },
              { path: "verify", element: <VerifyPage /> },
              { path: "login", element: <LoginPage /> },
              { path: "login/code", element: <LoginCodePage /> },
              { path: "forgot-password", element: <ForgotPasswordPage /> },
              { path: "invite/:token", element: <InvitePage /> },
            ],
          },
        ],
      },
      {
        path: "/",
        element: (
          <AuthGuard>
            <Layout />
          </AuthGuard>
        ),
        children: [
          {
            errorElement: <RouteErrorPage />,
            children: [
              { index: true, element: <HomePage /> },
              { path: "ask", element: workspaceOnly("Ask", <AskPage />) },
              { path: "dashboards", element: workspaceOnly("Dashboards", <DashboardsPage />) },
              { path: "alerts", element: workspaceOnly("Alerts", <AlertsPage />) },
              { path: "drafts", element: workspaceOnly("Drafts", <DraftsPage />) },
              { path: "dashboards/:id", element: workspaceOnly("Dashboard", <DashboardPage />) },
              { path: "sources", element: workspaceOnly("Sources", <SourcesPage />) },
              { path: "sources/connect", element: workspaceOnly("Connect a database", <ConnectPage />) },
              { path: "sources/:id", element: workspaceOnly("Source", <SourceDetailPage />) },
              { path: "relationships", element: workspaceOnly("Relationships", <RelationshipsPage />) },
              { path: "sql", element: workspaceOnly("SQL", <SqlPage />) },
              { path: "jobs", element: operator(<JobsPage />) },
              { path: "jobs/:id", element: operator(<JobDetailPage />) },
              { path: "schedules", element: operator(<SchedulesPage />) },
              { path: "outbox", element: operator(<OutboxPage />) },
              { path: "outbox/:id", element: operator(<MailPage />) },
              { path: "settings/workspace", element: workspaceOnly("Workspace", <WorkspacePage />) },
              { path: "settings/members", element: workspaceOnly("Members", <MembersPage />) },
              { path: "settings/api-keys", element: workspaceOnly("API keys", <ApiKeysPage />) },
              { path: "settings/audit", element: workspaceOnly("Audit log", <AuditPage />) },
              { path: "settings/devices", element: <DevicesPage /> },
              { path: "*", element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
