import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import type { DraftRecord, DraftsService, VersionRecord } from "./drafts.service.js";
import type { draftFeedback } from "./drafts.tables.js";

const errors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};
const statuses = ["queued", "generating", "ready", "revising", "approved", "rejected", "failed"] as const;
const idempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("A repeat with the same key returns the first answer and creates nothing new."),
});
const keyOf = (request: FastifyRequest) => {
  const key = request.headers["idempotency-key"];
  return typeof key === "string" && key ? key : undefined;
};

const messageSchema = z.object({
  sender: z.string().min(1).max(320),
  role: z.enum(["client", "agent"]),
  content: z.string().max(50_000),
  sentAt: z.iso.datetime({ offset: true }),
});

const draftSchema = z
  .object({
    id: z.uuid(),
    user: z.string(),
    status: z.enum(statuses),
    version: z.number().int().describe("The version being made, or the latest."),
    error: z.string().nullable(),
    rejectReason: z.string().nullable(),
    emailed: z.boolean().describe("The approved reply was e-mailed to the client."),
    thread: z.object({
      user: z.string(),
      threadId: z.string().nullable(),
      channel: z.string().nullable(),
      subject: z.string().nullable(),
      messages: z.array(messageSchema),
    }),
    versions: z.array(
      z.object({
        version: z.number().int(),
        subject: z.string(),
        body: z.string(),
        summaryOfChanges: z.string(),
        feedback: z.string().nullable(),
        engine: z.string(),
        createdAt: z.iso.datetime(),
      }),
    ),
    feedback: z.array(
      z.object({ version: z.number().int(), feedback: z.string(), createdAt: z.iso.datetime() }),
    ),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Draft" });

const draftOut = ({
  draft,
  versions,
  feedback,
}: {
  draft: DraftRecord;
  versions: VersionRecord[];
  feedback: (typeof draftFeedback.$inferSelect)[];
}) => ({
  id: draft.id,
  user: draft.user,
  status: draft.status,
  version: draft.version,
  error: draft.error,
  rejectReason: draft.rejectReason,
  emailed: draft.mailId !== null,
  thread: draft.thread,
  versions: versions.map((version) => ({
    version: version.version,
    subject: version.subject,
    body: version.body,
    summaryOfChanges: version.summaryOfChanges,
    feedback: version.feedback,
    engine: version.engine,
    createdAt: version.createdAt.toISOString(),
  })),
  feedback: feedback.map((entry) => ({
    version: entry.version,
    feedback: entry.feedback,
    createdAt: entry.createdAt.toISOString(),
  })),
  createdAt: draft.createdAt.toISOString(),
  updatedAt: draft.updatedAt.toISOString(),
});

export function registerDraftsRoutes(app: FastifyInstance, deps: { drafts: DraftsService }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { drafts } = deps;
  const read = { config: { permission: "workspace.read" as const } };
  const write = { config: { permission: "data.write" as const } };
  const draftId = z.object({ draftId: z.uuid() });

  typed.post(
    "/send-messages",
    {
      ...write,
      schema: {
        operationId: "sendMessages",
        summary: "Send a client thread; its reply is drafted in the background",
        tags: ["drafts"],
        headers: idempotencyHeaders,
        body: z.object({
          user: z.string().min(1).max(320).describe("Whose inbox the thread belongs to."),
          threadId: z.string().max(200).optional(),
          channel: z.string().max(50).optional(),
          subject: z.string().max(300).optional(),
          messages: z.array(messageSchema).min(1).max(200),
        }),
        response: { 202: z.object({ draftId: z.uuid(), status: z.literal("queued") }), ...errors },
      },
    },
    async (request, reply) => {
      const { user, threadId, channel, subject, messages } = request.body;
      const answer = await drafts.send(
        contextOf(request),
        { user, threadId: threadId ?? null, channel: channel ?? null, subject: subject ?? null, messages },
        keyOf(request),
      );
      return reply.status(202).send(answer);
    },
  );

  typed.post(
    "/process-feedback",
    {
      ...write,
      schema: {
        operationId: "processFeedback",
        summary: "Feedback on a ready draft: its next version is made in the background",
        tags: ["drafts"],
        headers: idempotencyHeaders,
        body: draftId.extend({ feedback: z.string().trim().min(1).max(5_000) }),
        response: {
          202: z.object({ draftId: z.uuid(), version: z.number().int(), status: z.literal("revising") }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await drafts.feedback(
            contextOf(request),
            request.body.draftId,
            request.body.feedback,
            keyOf(request),
          ),
        ),
  );

  typed.post(
    "/reject-draft",
    {
      ...write,
      schema: {
        operationId: "rejectDraft",
        summary: "Reject a draft (it is kept, for the record)",
        tags: ["drafts"],
        body: draftId.extend({ reason: z.string().max(2_000).optional() }),
        response: { 200: draftSchema, ...errors },
      },
    },
    async (request) => {
      const draft = await drafts.reject(contextOf(request), request.body.draftId, request.body.reason);
      return draftOut(await drafts.get(contextOf(request), draft.id));
    },
  );

  typed.post(
    "/approve-draft",
    {
      ...write,
      schema: {
        operationId: "approveDraft",
        summary: "Approve a ready draft; with `send`, e-mail it to the thread's client (once)",
        tags: ["drafts"],
        body: draftId.extend({
          send: z.boolean().optional(),
          to: z
            .email()
            .optional()
            .describe("The address to send to; by default the last client message's sender."),
        }),
        response: { 200: draftSchema, ...errors },
      },
    },
    async (request) => {
      const draft = await drafts.approve(contextOf(request), request.body.draftId, request.body);
      return draftOut(await drafts.get(contextOf(request), draft.id));
    },
  );

  typed.post(
    "/retry-draft",
    {
      ...write,
      schema: {
        operationId: "retryDraft",
        summary: "Make a failed draft's version again",
        tags: ["drafts"],
        body: draftId,
        response: { 202: draftSchema, ...errors },
      },
    },
    async (request, reply) => {
      const draft = await drafts.retry(contextOf(request), request.body.draftId);
      return reply.status(202).send(draftOut(await drafts.get(contextOf(request), draft.id)));
    },
  );

  typed.get(
    "/draft-messages",
    {
      ...read,
      schema: {
        operationId: "listDraftMessages",
        summary: "Drafts with their versions, feedback and thread, newest first",
        tags: ["drafts"],
        querystring: pageQuery.extend({
          user: z.string().max(320).optional(),
          status: z.enum(statuses).optional(),
        }),
        response: { 200: pageOf(draftSchema), ...errors },
      },
    },
    async (request) => {
      const page = await drafts.list(contextOf(request), request.query);
      return { items: page.items.map(draftOut), nextCursor: page.nextCursor };
    },
  );

  typed.get(
    "/draft-messages/:id",
    {
      ...read,
      schema: {
        operationId: "getDraftMessage",
        summary: "A draft with its versions, feedback and thread",
        tags: ["drafts"],
        params: z.object({ id: z.string() }),
        response: { 200: draftSchema, ...errors },
      },
    },
    async (request) => draftOut(await drafts.get(contextOf(request), request.params.id)),
  );

  const guidelinesSchema = z.object({
    tone: z.string().min(1).max(200),
    signature: z.string().max(2_000),
    dos: z.array(z.string().min(1).max(500)).max(20),
    donts: z.array(z.string().min(1).max(500)).max(20),
  });
  typed.get(
    "/draft-guidelines",
    {
      ...read,
      schema: {
        operationId: "getDraftGuidelines",
        summary: "The workspace's reply guidelines",
        tags: ["drafts"],
        response: { 200: guidelinesSchema, ...errors },
      },
    },
    async (request) => drafts.guidelines(contextOf(request)),
  );
  typed.put(
    "/draft-guidelines",
    {
      ...write,
      schema: {
        operationId: "setDraftGuidelines",
        summary: "Change the reply guidelines: tone, signature, do and don't",
        tags: ["drafts"],
        body: guidelinesSchema,
        response: { 200: guidelinesSchema, ...errors },
      },
    },
    async (request) => drafts.setGuidelines(contextOf(request), request.body),
  );
}
