import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { NotFound } from "../../platform/errors.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { type Mailer, type MailRecord, testEmail } from "../../platform/mail/index.js";

const summaryShape = {
  id: z.uuid(),
  transport: z
    .enum(["outbox", "smtp"])
    .describe("`outbox`: kept here only; `smtp`: handed to the mail server."),
  status: z
    .enum(["stored", "sending", "sent", "failed"])
    .describe("`sending` means the server's answer was never recorded; such a message is not sent again."),
  idempotencyKey: z.string().nullable(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  template: z.string().nullable().describe("Template the message was rendered from."),
  attachments: z.array(
    z.object({ filename: z.string(), contentType: z.string(), size: z.number().int().describe("Bytes.") }),
  ),
  messageId: z.string().nullable().describe("The Message-ID header."),
  error: z
    .string()
    .nullable()
    .describe("Why the server refused the message, or which recipients it rejected."),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
};

const mailSummary = z.object(summaryShape).meta({ id: "OutboxMessageSummary" });
const mailMessage = z
  .object({ ...summaryShape, text: z.string(), html: z.string().nullable() })
  .meta({ id: "OutboxMessage" });

function summaryOf(record: MailRecord): z.infer<typeof mailSummary> {
  const { text: _text, html: _html, ...rest } = messageOf(record);
  return rest;
}

function messageOf(record: MailRecord): z.infer<typeof mailMessage> {
  return {
    ...record,
    createdAt: record.createdAt.toISOString(),
    sentAt: record.sentAt?.toISOString() ?? null,
  };
}

/** The mail outbox: every e-mail Sightline stored or sent, and a test e-mail to check delivery. */
export function registerOutboxRoutes(app: FastifyInstance, deps: { mail: Mailer }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    "/outbox",
    {
      schema: {
        operationId: "listOutbox",
        summary: "List e-mails, newest first",
        description: "Every message Sightline stored in its outbox or sent over SMTP, without bodies.",
        tags: ["operations"],
        querystring: pageQuery.extend({
          to: z
            .string()
            .trim()
            .min(1)
            .optional()
            .describe("Only messages with a recipient address containing this text (case-insensitive)."),
        }),
        response: { 200: pageOf(mailSummary), 400: problemSchema },
      },
    },
    async (request) => {
      const { limit, cursor, to } = request.query;
      const page = await deps.mail.list({ limit, ...(cursor ? { cursor } : {}), ...(to ? { to } : {}) });
      return { items: page.items.map(summaryOf), nextCursor: page.nextCursor };
    },
  );

  typed.get(
    "/outbox/:id",
    {
      schema: {
        operationId: "getOutboxMessage",
        summary: "Read one e-mail, with its text and HTML bodies",
        tags: ["operations"],
        params: z.object({ id: z.string().describe("Message id.") }),
        response: { 200: mailMessage, 404: problemSchema },
      },
    },
    async (request) => {
      const record = await deps.mail.get(request.params.id);
      if (!record) throw new NotFound("E-mail", { id: request.params.id });
      return messageOf(record);
    },
  );

  typed.post(
    "/outbox/test",
    {
      schema: {
        operationId: "sendTestEmail",
        summary: "Send a test e-mail through the configured transport",
        tags: ["operations"],
        body: z.object({ to: z.email({ pattern: z.regexes.html5Email }).describe("Recipient address.") }),
        response: { 201: mailMessage, 400: problemSchema, 502: problemSchema },
      },
    },
    async (request, reply) => {
      const record = await deps.mail.send({
        to: request.body.to,
        ...testEmail({ transport: deps.mail.transport, sentAt: new Date() }),
      });
      return reply.status(201).send(messageOf(record));
    },
  );
}
