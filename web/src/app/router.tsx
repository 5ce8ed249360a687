import { createBrowserRouter } from "react-router";
import { HomePage } from "../pages/HomePage.tsx";
import { JobDetailPage } from "../pages/jobs/JobDetailPage.tsx";
import { JobsPage } from "../pages/jobs/JobsPage.tsx";
import { NotFoundPage } from "../pages/NotFoundPage.tsx";
import { MailPage } from "../pages/outbox/MailPage.tsx";
import { OutboxPage } from "../pages/outbox/OutboxPage.tsx";
import { RouteErrorPage } from "../pages/RouteErrorPage.tsx";
import { SchedulesPage } from "../pages/SchedulesPage.tsx";
import { Layout } from "./Layout.tsx";

export const router = createBrowserRouter([
  {
    path: "/",
    element: <Layout />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          { path: "jobs", element: <JobsPage /> },
          { path: "jobs/:id", element: <JobDetailPage /> },
          { path: "schedules", element: <SchedulesPage /> },
          { path: "outbox", element: <OutboxPage /> },
          { path: "outbox/:id", element: <MailPage /> },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
