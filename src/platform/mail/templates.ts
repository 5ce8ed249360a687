import { Invalid } from "../errors.js";
import type { MailMessage } from "./types.js";

/** What an e-mail says; `renderEmail` turns it into matching HTML and plain-text bodies. */
export interface EmailContent {
  title: string;
  /** Subject line; defaults to the title. */
  subject?: string;
  /** Preview line mail clients show next to the subject; hidden in the body. */
  preheader?: string;
  /** Plain text; a line break inside a paragraph is kept. */
  paragraphs: string[];
  /** A one-time code or short value shown large, e.g. a sign-in code. */
  code?: string;
  button?: { label: string; url: string };
  footer?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const brand = "Sightline";
const colors = {
  page: "#f4f5f7",
  card: "#ffffff",
  text: "#1f2933",
  muted: "#6b7280",
  accent: "#2563eb",
  code: "#f1f5f9",
};
const font = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const mono = "SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace";

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const lines = (value: string) => escapeHtml(value).replace(/\r?\n/g, "<br>");

/** Links in e-mail must be absolute web or mail links; anything else (javascript:, data:) is refused. */
function safeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Invalid(`"${url}" is not an absolute URL`, { field: "button.url" });
  }
  if (!["http:", "https:", "mailto:"].includes(parsed.protocol)) {
    throw new Invalid(`Links in e-mail must use http, https or mailto, not ${parsed.protocol}`, {
      field: "button.url",
    });
  }
  return parsed.href;
}

/**
 * One layout for every e-mail: a table-based, inline-styled card (what Outlook and Gmail
 * render reliably) that narrows to the screen on phones, plus a plain-text twin.
 */
export function renderEmail(content: EmailContent): RenderedEmail {
  const url = content.button ? safeUrl(content.button.url) : undefined;
  const paragraph = (text: string) =>
    `<p style="margin:0 0 16px;font-family:${font};font-size:16px;line-height:24px;color:${colors.text};">${lines(text)}</p>`;

  const blocks = [
    `<h1 style="margin:0 0 20px;font-family:${font};font-size:22px;line-height:30px;font-weight:600;color:${colors.text};">${lines(content.title)}</h1>`,
    ...content.paragraphs.map(paragraph),
  ];
  if (content.code !== undefined) {
    blocks.push(
      `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr>` +
        `<td style="background:${colors.code};border-radius:6px;padding:14px 22px;font-family:${mono};font-size:26px;line-height:32px;letter-spacing:4px;font-weight:600;color:${colors.text};">${escapeHtml(content.code)}</td>` +
        `</tr></table>`,
    );
  }
  if (content.button && url) {
    const href = escapeHtml(url);
    blocks.push(
      `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr>` +
        `<td bgcolor="${colors.accent}" style="border-radius:6px;">` +
        `<a href="${href}" target="_blank" style="display:inline-block;padding:12px 24px;font-family:${font};font-size:16px;font-weight:600;line-height:20px;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(content.button.label)}</a>` +
        `</td></tr></table>` +
        `<p style="margin:0 0 16px;font-family:${font};font-size:13px;line-height:20px;color:${colors.muted};">If the button does not work, open this link: <a href="${href}" style="color:${colors.accent};word-break:break-all;">${href}</a></p>`,
    );
  }

  const subject = content.subject ?? content.title;
  const preheader = content.preheader
    ? `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:${colors.page};">${escapeHtml(content.preheader)}</div>`
    : "";
  const footer = content.footer
    ? `<tr><td class="sl-pad" style="padding:16px 40px 0;font-family:${font};font-size:12px;line-height:18px;color:${colors.muted};text-align:center;">${lines(content.footer)}</td></tr>`
    : "";

  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>${escapeHtml(subject)}</title>
<style>
@media only screen and (max-width: 620px) {
  .sl-card { width: 100% !important; }
  .sl-pad { padding-left: 20px !important; padding-right: 20px !important; }
}
</style>
</head>
<body style="margin:0;padding:0;background:${colors.page};">
${preheader}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${colors.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" class="sl-card" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;">
<tr><td class="sl-pad" style="padding:0 40px 16px;font-family:${font};font-size:18px;font-weight:700;color:${colors.accent};">${brand}</td></tr>
<tr><td class="sl-pad" style="background:${colors.card};border-radius:8px;padding:32px 40px 16px;">
${blocks.join("\n")}
</td></tr>
${footer}
</table>
</td></tr>
</table>
</body>
</html>
`;

  const text = [
    content.title,
    ...content.paragraphs,
    ...(content.code !== undefined ? [content.code] : []),
    ...(content.button && url ? [`${content.button.label}: ${url}`] : []),
    ...(content.footer ? [`--\n${content.footer}`] : []),
  ].join("\n\n");

  return { subject, html, text: `${text}\n` };
}

/** The parts of a message a template fills in; the caller adds recipients and attachments. */
export type TemplatedMessage = Required<Pick<MailMessage, "subject" | "text" | "html" | "template">>;

/** Renders `content` and names the template, so the outbox shows where a message came from. */
export function emailMessage(template: string, content: EmailContent): TemplatedMessage {
  const { subject, html, text } = renderEmail(content);
  return { template, subject, html, text };
}

/** The "send a test e-mail" message operators use to check the mail set-up. */
export function testEmail(options: { transport: "outbox" | "smtp"; sentAt: Date }): TemplatedMessage {
  const how =
    options.transport === "smtp"
      ? "It was delivered through the configured SMTP server, so e-mail from Sightline reaches real inboxes."
      : "No SMTP server is configured, so Sightline keeps e-mail in its outbox, where admins can read it.";
  return emailMessage("test", {
    title: "Your Sightline e-mail works",
    subject: "Sightline test e-mail",
    preheader: "A test message to check the mail set-up.",
    paragraphs: ["This is a test message sent from Sightline's operations page.", how],
    footer: `Sent ${options.sentAt.toISOString()}. You can ignore this message.`,
  });
}
