import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client.ts";
import { authErrorMessage, fieldError, formError, waitFor } from "./messages.ts";

const problem = (code: string, extensions: Record<string, unknown> = {}, status = 400) =>
  new ApiError({ title: "Error", status, code, detail: `server says ${code}`, extensions });

describe("auth error messages", () => {
  it("counts the attempts left after a wrong code", () => {
    expect(authErrorMessage(problem("invalid_code", { attemptsLeft: 2 }))).toBe(
      "That code is not right. 2 attempts left.",
    );
    expect(authErrorMessage(problem("invalid_code", { attemptsLeft: 1 }))).toBe(
      "That code is not right. 1 attempt left.",
    );
  });

  it("says how long a lockout lasts", () => {
    expect(authErrorMessage(problem("verification_locked", { retryAfter: 600 }, 429))).toBe(
      "Too many wrong codes. Try again in 10 minutes.",
    );
    expect(authErrorMessage(problem("account_locked", { retryAfter: 30 }, 423))).toMatch(/in 30 seconds\.$/);
    expect(authErrorMessage(problem("resend_cooldown", { retryAfter: 42 }, 429))).toBe(
      "A code was sent moments ago. You can ask for another in 42 seconds.",
    );
  });

  it("falls back to the server's detail for codes it does not know", () => {
    expect(authErrorMessage(problem("something_new"))).toBe("server says something_new");
  });

  it("puts field errors on their field and leaves the form error for the rest", () => {
    const error = new ApiError({
      title: "Bad Request",
      status: 400,
      code: "validation_failed",
      errors: [{ path: "body.password", message: "must be at least 8 characters" }],
    });
    expect(fieldError(error, "password")).toBe("must be at least 8 characters");
    expect(fieldError(error, "email")).toBeUndefined();
    expect(formError(error, ["email", "password"])).toBeUndefined();
    expect(formError(error, ["email"])).toBe("must be at least 8 characters");
  });

  it("rounds waits up to readable units", () => {
    expect(waitFor(1)).toBe("1 second");
    expect(waitFor(59)).toBe("59 seconds");
    expect(waitFor(61)).toBe("2 minutes");
    expect(waitFor(3600)).toBe("1 hour");
    expect(waitFor(3601)).toBe("2 hours");
  });
});
