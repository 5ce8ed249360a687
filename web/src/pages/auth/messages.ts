import { ApiError } from "../../api/client.ts";

/** "45 seconds", "3 minutes", "2 hours": how long to wait, rounded up. */
export function waitFor(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} second${Math.ceil(seconds) === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

const fixed: Record<string, string> = {
  invalid_credentials: "The e-mail address or password is not right.",
  email_not_verified: "This e-mail address is not verified yet.",
  account_disabled: "This account has been deactivated. Ask an administrator of your workspace.",
  code_expired: "This code has expired. Ask for a new one below.",
  signup_disabled: "Sign-up is closed on this server. Ask an administrator for an invitation.",
  already_set_up: "Sightline is already set up on this server. Sign in instead.",
  invalid_refresh_token: "Your session has ended. Sign in again.",
  csrf_failed: "Your session could not be confirmed. Reload the page and try again.",
};

/** What went wrong in words for the person at the form, from a problem's code and extensions. */
export function authErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const retryAfter = error.number("retryAfter");
  const later = retryAfter ? ` Try again in ${waitFor(retryAfter)}.` : " Try again later.";
  switch (error.code) {
    case "invalid_code": {
      const left = error.number("attemptsLeft");
      const rest = left === undefined ? "" : ` ${left} attempt${left === 1 ? "" : "s"} left.`;
      return `That code is not right.${rest}`;
    }
    case "verification_locked":
      return `Too many wrong codes.${later}`;
    case "account_locked":
      return `Too many failed sign-ins: this account is locked for now.${later}`;
    case "resend_cooldown":
      return `A code was sent moments ago.${retryAfter ? ` You can ask for another in ${waitFor(retryAfter)}.` : ""}`;
    case "rate_limited":
      return `Too many attempts.${later}`;
    case "validation_failed":
      return error.errors?.[0]?.message ?? error.detail ?? error.title;
  }
  return fixed[error.code] ?? error.detail ?? error.title;
}

/** The message for one field of a refused form (`body.password` → "password"). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors?.find((item) => item.path === field || item.path.endsWith(`.${field}`))?.message;
}

/** A form error that no field shows already. */
export function formError(error: unknown, fields: string[]): string | undefined {
  if (!error) return undefined;
  if (fields.some((field) => fieldError(error, field))) return undefined;
  return authErrorMessage(error);
}
