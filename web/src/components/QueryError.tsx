import { ApiError } from "../api/client.ts";
import { ErrorState } from "./ErrorState.tsx";
import { Notice } from "./Notice.tsx";

/** Why a query did not run: cancelled, refused by the SQL guard (with its reason), or another failure. */
export function QueryError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === "query_cancelled") {
    return <Notice>Query cancelled.</Notice>;
  }
  if (error instanceof ApiError && error.code === "sql_refused") {
    const reason = error.extensions.reason;
    return (
      <Notice tone="danger">
        <span className="strong">Query refused.</span> {error.detail ?? error.title}
        {typeof reason === "string" && (
          <span className="refusal-reason">
            Reason: <code>{reason}</code>
          </span>
        )}
      </Notice>
    );
  }
  return <ErrorState error={error} />;
}
