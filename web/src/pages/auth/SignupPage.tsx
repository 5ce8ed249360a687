import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useRegister, useSetupStatus } from "../../api/auth.ts";
import type { AccountType } from "../../api/auth-types.ts";
import { TextField } from "../../components/Field.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { Segmented } from "../../components/Segmented.tsx";
import { AuthCard } from "./AuthLayout.tsx";
import { fieldError, formError } from "./messages.ts";
import { NewPasswordField } from "./NewPasswordField.tsx";

const accountTypes: { value: AccountType; label: string }[] = [
  { value: "personal", label: "Personal" },
  { value: "business", label: "Business" },
];

const accountHints: Record<AccountType, string> = {
  personal:
    "For yourself. A new browser is confirmed with a code sent by e-mail; browsers you trust skip it.",
  business: "For a company. Every sign-in is confirmed with a code sent by e-mail.",
};

export function SignupPage() {
  const [params] = useSearchParams();
  const next = params.get("next");
  const setup = useSetupStatus();
  const navigate = useNavigate();
  const register = useRegister();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [accountType, setAccountType] = useState<AccountType>("personal");
  const signIn = next ? `/login?next=${encodeURIComponent(next)}` : "/login";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    register.mutate(
      { name: name.trim(), email: address, password, accountType },
      {
        onSuccess: () => {
          const search = new URLSearchParams({ email: address });
          if (next) search.set("next", next);
          navigate(`/verify?${search}`);
        },
      },
    );
  };

  if (setup.isPending) return <Loading />;
  if (setup.data?.signupEnabled === false) {
    return (
      <AuthCard
        title="Sign-up is closed"
        description="This server only admits people an administrator invites."
      >
        <Link className="button button-primary button-block" to={signIn}>
          Sign in
        </Link>
      </AuthCard>
    );
  }

  const message = formError(register.error, ["name", "email", "password", "accountType"]);
  return (
    <AuthCard
      title="Create your account"
      description="Sightline answers questions about your business data."
      footer={
        <>
          Already have an account? <Link to={signIn}>Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} aria-label="Create account">
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          error={fieldError(register.error, "name")}
          onChange={(event) => setName(event.target.value)}
        />
        <TextField
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          error={fieldError(register.error, "email")}
          onChange={(event) => setEmail(event.target.value)}
        />
        <NewPasswordField
          value={password}
          error={fieldError(register.error, "password")}
          onChange={setPassword}
        />
        <div className="form-field">
          <span className="form-label">Account type</span>
          <Segmented
            label="Account type"
            options={accountTypes}
            value={accountType}
            onChange={setAccountType}
          />
          <p className="form-hint">{accountHints[accountType]}</p>
        </div>
        {message && <Notice tone="danger">{message}</Notice>}
        <button type="submit" className="button button-primary button-block" disabled={register.isPending}>
          {register.isPending ? "Creating account…" : "Create account"}
        </button>
      </form>
    </AuthCard>
  );
}
