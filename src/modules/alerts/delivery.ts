import { Invalid } from "../../platform/errors.js";
import type { Jobs } from "../../platform/jobs/index.js";
import type { Mailer } from "../../platform/mail/index.js";
import type { RequestContext } from "../auth/context.js";
import type { MemberDirectory } from "../auth/index.js";

/** Fails a check or a delivery with a reason, so that it is retried and, past the last try, reported. */
export class DeliveryFailed extends Error {}

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** A short HTML e-mail: a heading, paragraphs, an optional inline image and a link. */
export function emailHtml(input: {
  heading: string;
  paragraphs: string[];
  imageCid?: string;
  link?: { href: string; label: string };
}) {
  return [
    `<div style="font-family: -apple-system, Segoe UI, Roboto, Arial, sans-serif; color: #1f2937; max-width: 680px">`,
    `<h2 style="margin: 0 0 12px">${escapeHtml(input.heading)}</h2>`,
    ...input.paragraphs.map((text) => `<p style="margin: 0 0 10px">${escapeHtml(text)}</p>`),
    input.imageCid
      ? `<img src="cid:${input.imageCid}" alt="Chart" style="max-width: 100%; border: 1px solid #e4e7ec; border-radius: 8px">`
      : "",
    input.link ? `<p><a href="${escapeHtml(input.link.href)}">${escapeHtml(input.link.label)}</a></p>` : "",
    `<p style="color: #6b7280; font-size: 12px">Sent by Sightline.</p>`,
    "</div>",
  ].join("");
}

/**
 * The context a scheduled check runs in: its creator's, with the role they hold now. A creator who
 * left the workspace can no longer read its data: the check fails closed.
 */
export async function creatorContext(
  directory: MemberDirectory,
  workspaceId: string,
  userId: string,
): Promise<RequestContext> {
  const role = await directory.roleOf(workspaceId, userId);
  if (!role) throw new DeliveryFailed("its creator is no longer a member of the workspace");
  return {
    workspaceId,
    userId,
    role,
    actor: { type: "system", label: "scheduled delivery" },
    meta: { ip: null, userAgent: null },
  };
}

/** The e-mail addresses of the recipients who are still members; at least one, or the delivery fails. */
export async function recipientEmails(
  directory: MemberDirectory,
  workspaceId: string,
  userIds: string[],
): Promise<string[]> {
  const members = await directory.members(workspaceId);
  const emails = members.filter((member) => userIds.includes(member.userId)).map((member) => member.email);
  if (emails.length === 0)
    throw new DeliveryFailed("none of its recipients is a member of the workspace any more");
  return emails;
}

/** Sends one e-mail per recipient, each once per key: a retried job sends nothing twice. */
export async function sendEach(
  mail: Mailer,
  emails: string[],
  key: string,
  message: Omit<Parameters<Mailer["send"]>[0], "to" | "idempotencyKey">,
) {
  const ids: string[] = [];
  for (const email of emails)
    ids.push((await mail.send({ ...message, to: email, idempotencyKey: `${key}:${email}` })).id);
  return ids;
}

/** Recipients must be members of the workspace; none named means the author. */
export async function memberRecipients(
  directory: MemberDirectory,
  ctx: RequestContext,
  recipients: string[] | undefined,
) {
  const wanted = recipients?.length ? recipients : [ctx.userId];
  const members = new Set((await directory.members(ctx.workspaceId)).map((member) => member.userId));
  const outside = wanted.filter((id) => !members.has(id));
  if (outside.length)
    throw new Invalid("Recipients must be members of the workspace", { field: "recipients", outside });
  return [...new Set(wanted)];
}

/** Tells the author that a check or a delivery failed, once per job; the ids of the e-mails sent. */
export async function tellAuthor(
  deps: { mail: Mailer; directory: MemberDirectory },
  item: { workspaceId: string; createdBy: string },
  key: string,
  message: { subject: string; template: string; lines: string[]; link?: { href: string; label: string } },
): Promise<string[]> {
  const author = (await deps.directory.members(item.workspaceId)).find(
    (member) => member.userId === item.createdBy,
  );
  if (!author) return [];
  return sendEach(deps.mail, [author.email], key, {
    subject: message.subject,
    template: message.template,
    text: `${message.lines.join("\n\n")}${message.link ? `\n\n${message.link.href}` : ""}`,
    html: emailHtml({
      heading: message.subject,
      paragraphs: message.lines,
      ...(message.link ? { link: message.link } : {}),
    }),
  });
}

/**
 * Creates or changes the platform schedule that runs a check or a delivery; a cron the scheduler
 * refuses is a 400 after `undo` puts the row back as it was.
 */
export async function scheduleOrUndo(
  jobs: Pick<Jobs, "schedules">,
  schedule: {
    name: string;
    jobName: string;
    cron: string;
    timezone: string;
    payload: unknown;
    paused: boolean;
  },
  undo: () => Promise<unknown>,
): Promise<void> {
  try {
    await jobs.schedules.upsert(schedule);
  } catch (error) {
    await undo();
    throw new Invalid(`The schedule is not valid: ${(error as Error).message}`, { field: "cron" });
  }
}
