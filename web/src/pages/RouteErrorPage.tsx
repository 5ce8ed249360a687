import { isRouteErrorResponse, useRouteError } from "react-router";
import { ErrorState } from "../components/ErrorState.tsx";
import { PageHeader } from "../components/PageHeader.tsx";

/** Shown in the shell when a page throws while rendering. */
export function RouteErrorPage() {
  const error = useRouteError();
  const shown = isRouteErrorResponse(error) ? new Error(`${error.status} ${error.statusText}`) : error;
  return (
    <>
      <PageHeader title="Something went wrong" />
      <ErrorState error={shown} onRetry={() => window.location.reload()} />
    </>
  );
}
