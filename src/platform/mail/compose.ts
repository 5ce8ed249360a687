import nodemailer, { type StreamSentMessageInfo } from "nodemailer";
import addressparser from "nodemailer/lib/addressparser";
import { z } from "zod";
import { Invalid } from "../errors.js";
import type { MailMessage } from "./types.js";

/** A message validated and rendered to RFC 822 by nodemailer, ready for any transport. */
export interface ComposedMessage {
  /** Bare addresses, as recorded and as the SMTP envelope uses them. */
  to: string[];
  cc: string[];
  subject: string;
  attachments: { filename: string; contentType: string; size: number }[];
  messageId: string;
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

const maxRecipients = 100;
// The HTML living-standard rule: accepts `admin@localhost`, rejects anything with spaces or two @.
const address = z.email({ pattern: z.regexes.html5Email });
const idempotencyKey = z.string().min(1).max(255);

/** Addresses of one field: each entry may be a list (`a@x.com, B <b@y.com>`). */
export function parseAddresses(input: string | string[] | undefined, field: string): string[] {
  const entries = input === undefined ? [] : Array.isArray(input) ? input : [input];
  const addresses: string[] = [];
  for (const entry of entries) {
    const parsed = addressparser(entry, { flatten: true });
    if (parsed.length === 0) throw new Invalid(`"${entry}" is not an e-mail address`, { field });
    for (const mailbox of parsed) {
      if (!address.safeParse(mailbox.address).success) {
        throw new Invalid(`"${mailbox.address || entry}" is not an e-mail address`, { field });
      }
      addresses.push(mailbox.address);
    }
  }
  return addresses;
}

/** The mailbox of the configured sender; a wrong MAIL_FROM fails at boot, not at the first e-mail. */
export function parseSender(from: string): string {
  const [mailbox, ...rest] = addressparser(from, { flatten: true });
  if (!mailbox || rest.length > 0 || !mailbox.address.includes("@")) {
    throw new Error(
      `MAIL_FROM must be one address such as "Sightline <sightline@example.com>", got "${from}"`,
    );
  }
  return mailbox.address;
}

/**
 * Builds messages with nodemailer's stream transport, so that the outbox and SMTP transports
 * accept exactly the same input and produce the same bytes.
 */
export function createComposer(from: string) {
  parseSender(from);
  const builder = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "windows",
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    async compose(message: MailMessage): Promise<ComposedMessage> {
      const to = parseAddresses(message.to, "to");
      const cc = parseAddresses(message.cc, "cc");
      if (to.length === 0) throw new Invalid("At least one recipient is required", { field: "to" });
      if (to.length + cc.length > maxRecipients) {
        throw new Invalid(`At most ${maxRecipients} recipients per message`, { field: "to" });
      }
      // Line breaks in a header would start a new header: collapse them.
      const subject = message.subject.replace(/\s*[\r\n]+\s*/g, " ").trim();
      if (!subject) throw new Invalid("The subject must not be empty", { field: "subject" });
      if (message.idempotencyKey !== undefined && !idempotencyKey.safeParse(message.idempotencyKey).success) {
        throw new Invalid("The idempotency key must be 1–255 characters", { field: "idempotencyKey" });
      }
      const attachments = (message.attachments ?? []).map((attachment, index) => {
        if (!attachment.filename.trim() || !attachment.contentType.trim()) {
          throw new Invalid("Every attachment needs a file name and a content type", {
            field: `attachments.${index}`,
          });
        }
        const size =
          typeof attachment.content === "string"
            ? Buffer.byteLength(attachment.content)
            : attachment.content.length;
        return { filename: attachment.filename, contentType: attachment.contentType, size };
      });

      let info: StreamSentMessageInfo;
      try {
        info = await builder.sendMail({
          from,
          to: message.to,
          ...(message.cc ? { cc: message.cc } : {}),
          subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          attachments: (message.attachments ?? []).map((attachment) => ({
            filename: attachment.filename,
            content: attachment.content,
            contentType: attachment.contentType,
            ...(attachment.cid ? { cid: attachment.cid } : {}),
          })),
        });
      } catch (error) {
        throw new Invalid(`The message could not be built: ${(error as Error).message}`);
      }
      if (!Buffer.isBuffer(info.message))
        throw new Error("nodemailer returned a stream despite buffer: true");
      return {
        to,
        cc,
        subject,
        attachments,
        messageId: info.messageId,
        envelope: { from: info.envelope.from || parseSender(from), to: info.envelope.to },
        raw: info.message,
      };
    },
  };
}

export type Composer = ReturnType<typeof createComposer>;
