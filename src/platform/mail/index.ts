import nodemailer, { type SMTPPoolSentMessageInfo } from "nodemailer";
import type { Db } from "../db/index.js";
import { Upstream } from "../errors.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { type ComposedMessage, createComposer } from "./compose.js";
import { createMailStore, type MailContent } from "./store.js";
import type { Mailer, MailMessage, MailRecord } from "./types.js";

export {
  type EmailContent,
  emailMessage,
  type RenderedEmail,
  renderEmail,
  type TemplatedMessage,
  testEmail,
} from "./templates.js";
export type { MailAttachment, Mailer, MailMessage, MailRecord } from "./types.js";

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
}

export interface MailerOptions {
  db: Db;
  log: Logger;
  metrics: Metrics;
  /** From address of every message, e.g. `Sightline <sightline@example.com>`. */
  from: string;
  /** Unset: messages are kept in the outbox (mail_messages) and never leave the machine. */
  smtp?: SmtpOptions;
}

/**
 * Sends e-mail through SMTP, or keeps it in the outbox when no SMTP server is configured.
 * Either way every message is recorded in mail_messages, where admins read it.
 */
export async function createMailer(options: MailerOptions): Promise<Mailer> {
  const { log, metrics, from, smtp } = options;
  const composer = createComposer(from);
  const store = createMailStore(options.db);
  const transport = smtp ? "smtp" : "outbox";
  const smtpTransport = smtp
    ? nodemailer.createTransport({
        pool: true,
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? "" } } : {}),
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 60_000,
      })
    : undefined;

  function contentOf(message: MailMessage, composed: ComposedMessage): MailContent {
    return {
      transport,
      status: smtpTransport ? "sending" : "stored",
      from,
      to: composed.to,
      cc: composed.cc,
      subject: composed.subject,
      text: message.text,
      html: message.html ?? null,
      template: message.template ?? null,
      attachments: composed.attachments,
      // For SMTP the Message-ID is recorded once the server has accepted the message.
      messageId: smtpTransport ? null : composed.messageId,
      error: null,
      sentAt: smtpTransport ? null : new Date(),
    };
  }

  /** Writes the row that owns this send, or returns the earlier record its key already names. */
  async function claim(
    message: MailMessage,
    composed: ComposedMessage,
  ): Promise<{ record: MailRecord; owned: boolean }> {
    const content = contentOf(message, composed);
    const key = message.idempotencyKey ?? null;
    const inserted = await store.insert(key, content);
    if (inserted) return { record: inserted, owned: true };
    const existing = key === null ? undefined : await store.byKey(key);
    if (!existing) throw new Error("mail message was neither inserted nor found by its idempotency key");
    // A "sending" row may already be in the recipient's inbox: the process stopped between the
    // server's answer and our update, and SMTP cannot tell us which. Sending it again risks a
    // duplicate the user sees, so an ambiguous send stays at most once; only a known failure is retried.
    if (existing.status !== "failed") return { record: existing, owned: false };
    const retried = await store.claimFailed(existing.id, content);
    if (retried) return { record: retried, owned: true };
    return { record: (await store.get(existing.id)) ?? existing, owned: false };
  }

  async function deliver(record: MailRecord, composed: ComposedMessage): Promise<MailRecord> {
    if (!smtpTransport) {
      metrics.mailSent.labels(transport, "stored").inc();
      log.info(
        { mailId: record.id, recipients: record.to.length + record.cc.length },
        "mail stored in the outbox",
      );
      return record;
    }
    let info: SMTPPoolSentMessageInfo;
    try {
      // The composed bytes go out as they are, so the recorded Message-ID is the one delivered.
      info = await smtpTransport.sendMail({ envelope: composed.envelope, raw: composed.raw });
    } catch (error) {
      const reason = (error as Error).message;
      await store.update(record.id, { status: "failed", error: reason });
      metrics.mailSent.labels(transport, "failed").inc();
      log.warn({ mailId: record.id, err: error }, "mail server refused the message");
      throw new Upstream(`The mail server did not accept the message: ${reason}`, { mailId: record.id });
    }
    const rejected = (info.rejected ?? []).map(String);
    const sent = await store.update(record.id, {
      status: "sent",
      messageId: composed.messageId,
      sentAt: new Date(),
      error: rejected.length > 0 ? `Rejected recipients: ${rejected.join(", ")}` : null,
    });
    metrics.mailSent.labels(transport, "sent").inc();
    log.info(
      { mailId: record.id, recipients: info.accepted?.length ?? 0, rejected: rejected.length },
      "mail sent",
    );
    return sent;
  }

  return {
    transport,

    async send(message) {
      const composed = await composer.compose(message);
      const { record, owned } = await claim(message, composed);
      if (!owned) {
        metrics.mailSent.labels(transport, "duplicate").inc();
        return record;
      }
      return deliver(record, composed);
    },

    list: (query) => store.list(query),

    get: (id) => store.get(id),

    async verify() {
      if (!smtpTransport) return store.ping();
      try {
        await smtpTransport.verify();
      } catch (error) {
        throw new Upstream(`The mail server does not answer: ${(error as Error).message}`);
      }
    },

    async close() {
      smtpTransport?.close();
    },
  };
}
