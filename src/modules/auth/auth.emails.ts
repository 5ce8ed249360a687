import { emailMessage, type TemplatedMessage } from "../../platform/mail/index.js";

/** Every e-mail of the identity layer: one function each, HTML and text from one layout. */
const ignore = "If this wasn't you, you can ignore this e-mail; nothing changes until the code is used.";

export function verificationEmail(input: { name: string; code: string; minutes: number }): TemplatedMessage {
  return emailMessage("auth.verification", {
    title: "Confirm your e-mail address",
    subject: `${input.code} is your Sightline verification code`,
    preheader: `Your code expires in ${input.minutes} minutes.`,
    paragraphs: [
      `Hi ${input.name},`,
      `Enter this code to finish creating your Sightline account. It expires in ${input.minutes} minutes and works once.`,
    ],
    code: input.code,
    footer: ignore,
  });
}

export function duplicateRegistrationEmail(input: { name: string; loginUrl: string; resetUrl: string }) {
  return emailMessage("auth.duplicate_registration", {
    title: "Someone tried to sign up with your e-mail",
    subject: "Sign-up attempt with your Sightline e-mail address",
    paragraphs: [
      `Hi ${input.name},`,
      "Someone just tried to create a new Sightline account with this e-mail address. You already have an account, so nothing was created.",
      `If it was you, sign in instead. If you forgot your password, reset it: ${input.resetUrl}`,
    ],
    button: { label: "Sign in", url: input.loginUrl },
    footer: "If it wasn't you, no action is needed: your account is unchanged.",
  });
}

export function welcomeEmail(input: { name: string; workspaceName: string; appUrl: string }) {
  return emailMessage("auth.welcome", {
    title: `Welcome to Sightline, ${input.name}`,
    subject: "Welcome to Sightline",
    paragraphs: [
      "Your e-mail address is confirmed and your account is ready.",
      `We created the workspace "${input.workspaceName}" for you. Connect a data source, ask a question in plain language, and pin the answers to a dashboard.`,
    ],
    button: { label: "Open Sightline", url: input.appUrl },
  });
}

export function loginCodeEmail(input: {
  name: string;
  code: string;
  minutes: number;
  device: string;
  ip: string | null;
}) {
  return emailMessage("auth.login_code", {
    title: "Your sign-in code",
    subject: `${input.code} is your Sightline sign-in code`,
    preheader: `Expires in ${input.minutes} minutes.`,
    paragraphs: [
      `Hi ${input.name},`,
      `Someone signed in to your account with your password from ${input.device}${input.ip ? ` (IP ${input.ip})` : ""}. Enter this code to finish signing in. It expires in ${input.minutes} minutes.`,
    ],
    code: input.code,
    footer: "If this wasn't you, your password is known to someone else: reset it now.",
  });
}

export function lockoutEmail(input: { name: string; minutes: number; resetUrl: string; ip: string | null }) {
  return emailMessage("auth.lockout", {
    title: "Your account is locked for a while",
    subject: "Sightline: too many failed sign-in attempts",
    paragraphs: [
      `Hi ${input.name},`,
      `After 5 wrong passwords in a row${input.ip ? ` (the last from IP ${input.ip})` : ""}, sign-in to your account is blocked for ${input.minutes} minutes.`,
      "If that wasn't you, someone may be guessing your password. Choose a new one once the lock ends.",
    ],
    button: { label: "Reset your password", url: input.resetUrl },
  });
}

export function passwordResetEmail(input: { name: string; code: string; minutes: number }) {
  return emailMessage("auth.password_reset", {
    title: "Reset your password",
    subject: `${input.code} is your Sightline password reset code`,
    paragraphs: [
      `Hi ${input.name},`,
      `Enter this code with your new password. It expires in ${input.minutes} minutes. Resetting signs you out everywhere.`,
    ],
    code: input.code,
    footer: ignore,
  });
}

export function passwordChangedEmail(input: { name: string; loginUrl: string }) {
  return emailMessage("auth.password_changed", {
    title: "Your password was changed",
    subject: "Your Sightline password was changed",
    paragraphs: [
      `Hi ${input.name},`,
      "Your password was just reset, and every session and trusted device was signed out.",
      "If you didn't do this, reset your password again at once and tell your workspace admin.",
    ],
    button: { label: "Sign in", url: input.loginUrl },
  });
}

export type { TemplatedMessage };
