import { Link, useLocation } from "react-router";
import { EmptyState } from "../components/EmptyState.tsx";
import { PageHeader } from "../components/PageHeader.tsx";

export function NotFoundPage() {
  const location = useLocation();
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        icon="alert"
        title="There is nothing at this address"
        description={
          <>
            <code>{location.pathname}</code> is not a page in Sightline. Check the link, or start again from
            Home.
          </>
        }
        action={
          <Link className="button button-primary" to="/">
            Go to Home
          </Link>
        }
      />
    </>
  );
}
