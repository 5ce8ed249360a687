import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemSchema } from "../../platform/http/problem.js";
import { contextOf } from "../auth/context.js";
import { answerSchema } from "./ask.schemas.js";
import type { AskService } from "./ask.service.js";

export { answerSchema };

export const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

/** Aborts when the client goes away before its answer is complete. */
function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

export function registerAskRoutes(app: FastifyInstance, deps: { ask: AskService }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    "/ask",
    {
      config: { permission: "workspace.read" },
      schema: {
        operationId: "ask",
        summary: "Ask a question in plain language; get SQL, rows, a chart and an explanation",
        description:
          "Answered by the offline semantic parser, or by the configured language model (`AI_PROVIDER`); with a " +
          "model, a confident offline reading runs too and `disagreement` says when the results differ. The SQL " +
          "runs through the same guard and executor as `POST /sql` (read-only, the workspace's tables, row cap, " +
          `timeout). With \`conversationId\` the question continues that conversation (follow-ups such as "and in ` +
          '2023?" refer to its last answer); without, a new conversation starts. Progress is published on the ' +
          "WebSocket as `agent_typing`, `agent_update` (`stage`: planning, running_sql, building_chart), " +
          "`agent_response` and `error`. A question that cannot be answered is still stored in the conversation; " +
          "its problem names `conversationId` and `answerId`. With `clarification`, the chosen reading of an answer's " +
          "`clarification` runs exactly as that option's SQL, in the answer's conversation (`question` may be left " +
          "out: the clarified question is asked again).",
        tags: ["ask"],
        body: z.object({
          question: z
            .string()
            .min(1)
            .max(2_000)
            .optional()
            .describe("Required unless `clarification` is given."),
          conversationId: z.uuid().optional().describe("Continue this conversation of yours."),
          clarification: z
            .object({
              answerId: z.uuid().describe("The answer of yours that asked which reading was meant."),
              option: z.number().int().min(0).describe("The index of the chosen option."),
            })
            .optional()
            .describe("Answer a clarification: run the chosen option's SQL."),
          sourceId: z
            .uuid()
            .optional()
            .describe("Ask about one source: a live database source answers in its own database."),
        }),
        response: {
          200: answerSchema.extend({ conversationId: z.uuid(), answerId: z.uuid() }),
          408: problemSchema,
          502: problemSchema,
          503: problemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) =>
      deps.ask.ask(contextOf(request), { ...request.body, signal: clientGone(reply) }),
  );
}
