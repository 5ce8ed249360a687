import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useVerifyLogin } from "../../api/auth.ts";
import { useEnterSession } from "../../app/session.ts";
import { Checkbox } from "../../components/Field.tsx";
import { AuthCard } from "./AuthLayout.tsx";
import { CodeForm, ResendCode } from "./CodeForm.tsx";

/** Step two of signing in on an untrusted device: the code from the e-mail. */
export function LoginCodePage() {
  const [params] = useSearchParams();
  const email = params.get("email") ?? "";
  const next = params.get("next");
  const [trustDevice, setTrustDevice] = useState(false);
  const verify = useVerifyLogin();
  const enter = useEnterSession();
  const back = next ? `/login?next=${encodeURIComponent(next)}` : "/login";

  if (!email) {
    return (
      <AuthCard title="Enter your code" description="Sign in with your e-mail and password first.">
        <Link className="button button-primary button-block" to={back}>
          Sign in
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Enter your code"
      description={
        <>
          For your security we sent a 6-digit code to <strong>{email}</strong>.
        </>
      }
      footer={<Link to={back}>Use another account</Link>}
    >
      <CodeForm
        label="Sign-in code"
        submitLabel="Sign in"
        pendingLabel="Signing in…"
        pending={verify.isPending}
        error={verify.error}
        onSubmit={(code) => verify.mutate({ email, code, trustDevice }, { onSuccess: () => enter(next) })}
      >
        <Checkbox
          name="trustDevice"
          label="Trust this device for 30 days"
          hint="Sign-ins here skip the code until then (personal accounts; business accounts always confirm by code). Leave it unticked on a shared computer."
          checked={trustDevice}
          onChange={setTrustDevice}
        />
      </CodeForm>
      <ResendCode email={email} purpose="login" />
    </AuthCard>
  );
}
