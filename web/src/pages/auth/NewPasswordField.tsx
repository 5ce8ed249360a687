import { TextField } from "../../components/Field.tsx";

/** A password being chosen: the server's rule (8–128 characters) stated and checked in the browser too. */
export function NewPasswordField(props: {
  label?: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      label={props.label ?? "Password"}
      name="password"
      type="password"
      autoComplete="new-password"
      required
      minLength={8}
      maxLength={128}
      hint="At least 8 characters."
      value={props.value}
      error={props.error}
      onChange={(event) => props.onChange(event.target.value)}
    />
  );
}
