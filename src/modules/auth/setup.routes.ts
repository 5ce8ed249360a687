import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemSchema } from "../../platform/http/problem.js";
import { sessionReply } from "./auth.routes.js";
import { emailField, nameField, passwordField, sessionSchema } from "./auth.schemas.js";
import type { Authenticator } from "./authenticate.js";
import { metaOf } from "./context.js";
import type { FirstRun } from "./first-run.js";
import type { AuthLimits } from "./rate-limits.js";

/** First run: whether the server has an account yet, and creating the first one. */
export function registerSetupRoutes(
  app: FastifyInstance,
  deps: {
    firstRun: FirstRun;
    authenticator: Authenticator;
    limits: AuthLimits;
    signupEnabled: boolean;
    demoEnabled: boolean;
  },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { firstRun } = deps;
  const open = { auth: "public" as const };

  typed.get(
    "/setup",
    {
      config: open,
      schema: {
        operationId: "getSetupStatus",
        summary: "Whether the server still needs its first account",
        tags: ["auth"],
        response: {
          200: z.object({
            needsSetup: z.boolean().describe("No account exists yet: the web app shows the set-up page."),
            signupEnabled: z.boolean(),
            demo: z
              .object({ email: z.string(), password: z.string() })
              .nullable()
              .describe("The demo sign-in, when the server runs with `--demo`."),
          }),
        },
      },
    },
    async () => ({
      needsSetup: await firstRun.needsSetup(),
      signupEnabled: deps.signupEnabled,
      demo: deps.demoEnabled && (await firstRun.demoExists()) ? firstRun.demoSignIn : null,
    }),
  );

  typed.post(
    "/setup",
    {
      config: open,
      schema: {
        operationId: "setUp",
        summary: "Create the first account: owner of the first workspace and operator of the server",
        description:
          "Only while no account exists (409 `already_set_up` after). The calling browser is trusted.",
        tags: ["auth"],
        body: z.object({
          email: emailField,
          password: passwordField,
          name: nameField,
          workspaceName: z.string().trim().min(1).max(100).optional(),
        }),
        response: { 201: sessionSchema, 400: problemSchema, 409: problemSchema, 429: problemSchema },
      },
    },
    async (request, reply) => {
      await deps.limits.check("setup", request.ip);
      const signedIn = await firstRun.setup(request.body, metaOf(request));
      return reply.status(201).send(sessionReply(deps.authenticator, request, reply, signedIn));
    },
  );
}
