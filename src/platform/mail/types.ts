export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
  /** Content id for inline images (`<img src="cid:...">`). */
  cid?: string;
}

export interface MailMessage {
  to: string | string[];
  cc?: string | string[];
  subject: string;
  text: string;
  html?: string;
  /** Name of the template the message was rendered from, kept for the outbox view. */
  template?: string;
  attachments?: MailAttachment[];
  /** A key already used returns the message sent before and sends nothing. */
  idempotencyKey?: string;
}

export interface MailRecord {
  id: string;
  idempotencyKey: string | null;
  transport: "outbox" | "smtp";
  /** `sending`: handed to SMTP and not yet confirmed; such a message is never sent again. */
  status: "stored" | "sending" | "sent" | "failed";
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  template: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
  messageId: string | null;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface Mailer {
  readonly transport: "outbox" | "smtp";
  send(message: MailMessage): Promise<MailRecord>;
  list(query: {
    limit: number;
    cursor?: string;
    to?: string;
  }): Promise<{ items: MailRecord[]; nextCursor: string | null }>;
  get(id: string): Promise<MailRecord | undefined>;
  /** Checks the transport answers (SMTP connection and greeting). */
  verify(): Promise<void>;
  close(): Promise<void>;
}
