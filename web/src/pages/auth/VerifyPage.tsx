import { Link, useSearchParams } from "react-router";
import { useVerifyRegistration } from "../../api/auth.ts";
import { useEnterSession } from "../../app/session.ts";
import { AuthCard } from "./AuthLayout.tsx";
import { CodeForm, ResendCode } from "./CodeForm.tsx";

/** Step two of sign-up: the code sent to the new address proves it, and signs the user in. */
export function VerifyPage() {
  const [params] = useSearchParams();
  const email = params.get("email") ?? "";
  const next = params.get("next");
  const verify = useVerifyRegistration();
  const enter = useEnterSession();

  if (!email) {
    return (
      <AuthCard title="Verify your e-mail" description="Start from the sign-up form: it sends the code.">
        <Link className="button button-primary button-block" to="/signup">
          Create an account
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Check your e-mail"
      description={
        <>
          We sent a 6-digit code to <strong>{email}</strong>. Enter it to finish creating your account.
        </>
      }
      footer={
        <>
          Wrong address? <Link to="/signup">Start again</Link>
        </>
      }
    >
      <CodeForm
        label="Verify e-mail"
        submitLabel="Verify e-mail"
        pendingLabel="Verifying…"
        pending={verify.isPending}
        error={verify.error}
        onSubmit={(code) => verify.mutate({ email, code }, { onSuccess: () => enter(next) })}
      />
      <ResendCode email={email} purpose="registration" />
    </AuthCard>
  );
}
