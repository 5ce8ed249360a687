import { ApiError } from "../api/client.ts";
import { Icon } from "./Icon.tsx";

/** A failed request or render: what went wrong, and the request id to quote when reporting it. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const apiError = error instanceof ApiError ? error : undefined;
  const title = apiError ? apiError.title : "Something went wrong";
  // Asking again will not change a 4xx answer (bar a timeout or a rate limit).
  const retryable =
    !apiError || apiError.status < 400 || apiError.status >= 500 || [408, 429].includes(apiError.status);
  const detail = apiError ? apiError.detail : error instanceof Error ? error.message : String(error);
  return (
    <div className="error-state" role="alert" data-testid="error-state">
      <Icon name="alert" className="error-icon" />
      <div className="error-body">
        <h2>
          {title}
          {apiError && apiError.status > 0 && <span className="error-status">{apiError.status}</span>}
        </h2>
        {detail && <p>{detail}</p>}
        {apiError?.requestId && (
          <p className="error-meta">
            Request ID <code>{apiError.requestId}</code>
          </p>
        )}
      </div>
      {onRetry && retryable && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
