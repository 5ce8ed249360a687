import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { Unauthorized } from "../../platform/errors.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import type { Membership } from "../workspaces/index.js";
import {
  codeField,
  codeSentSchema,
  deviceSchema,
  emailField,
  membershipSchema,
  nameField,
  passwordField,
  sessionSchema,
  userSchema,
} from "./auth.schemas.js";
import type { AuthService, SignedIn } from "./auth.service.js";
import { type Authenticator, assertCsrf, cookieNames, wantsCookies } from "./authenticate.js";
import { metaOf, personOf, principalOf } from "./context.js";
import { type Devices, deviceLifetimeMs } from "./devices.js";
import type { AuthLimits } from "./rate-limits.js";
import { publicUser } from "./users.store.js";

const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  423: problemSchema,
  429: problemSchema,
};

export function membershipOut(membership: Membership): z.infer<typeof membershipSchema> {
  return { ...membership, createdAt: membership.createdAt.toISOString() };
}

/** The session as the API answers it; the web app gets cookies as well. */
export function sessionReply(
  authenticator: Authenticator,
  request: FastifyRequest,
  reply: FastifyReply,
  signedIn: SignedIn,
): z.infer<typeof sessionSchema> {
  if (wantsCookies(request)) authenticator.setSessionCookies(reply, signedIn);
  if (signedIn.deviceCookie)
    authenticator.setDeviceCookie(reply, signedIn.deviceCookie, deviceLifetimeMs / 1000);
  return {
    user: signedIn.user,
    workspaces: signedIn.workspaces.map(membershipOut),
    accessToken: signedIn.accessToken,
    refreshToken: signedIn.refreshToken,
    tokenType: "Bearer" as const,
    expiresIn: signedIn.expiresIn,
  };
}

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: {
    auth: AuthService;
    authenticator: Authenticator;
    limits: AuthLimits;
    devices: Devices;
  },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { auth, authenticator, limits } = deps;
  const open = { auth: "public" as const };
  const limit = (request: FastifyRequest, endpoint: string, email?: string) =>
    limits.check(endpoint, request.ip, email);

  const session = (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) =>
    sessionReply(authenticator, request, reply, signedIn);

  typed.post(
    "/auth/register",
    {
      config: open,
      schema: {
        operationId: "register",
        summary: "Create an account; a 6-digit code is e-mailed to confirm the address",
        description:
          "The answer is the same whether or not the address already has an account; its owner is told by e-mail.",
        tags: ["auth"],
        body: z.object({
          email: emailField,
          password: passwordField,
          name: nameField,
          accountType: z
            .enum(["personal", "business"])
            .describe("`business` accounts always confirm sign-in with an e-mailed code."),
        }),
        response: { 202: z.object({ message: z.string(), email: z.string() }), ...problems },
      },
    },
    async (request, reply) => {
      await limit(request, "register", request.body.email);
      return reply.status(202).send(await auth.register(request.body, metaOf(request)));
    },
  );

  typed.post(
    "/auth/verify-registration",
    {
      config: open,
      schema: {
        operationId: "verifyRegistration",
        summary: "Confirm the e-mail address with the code; signs in",
        description: "Three wrong codes invalidate the code and lock verification for 15 minutes (429).",
        tags: ["auth"],
        body: z.object({ email: emailField, code: codeField }),
        response: { 200: sessionSchema, 409: problemSchema, ...problems },
      },
    },
    async (request, reply) => {
      await limit(request, "verify-registration", request.body.email);
      return session(request, reply, await auth.verifyRegistration(request.body, metaOf(request)));
    },
  );

  typed.post(
    "/auth/login",
    {
      config: open,
      schema: {
        operationId: "login",
        summary: "Check the password; e-mails a sign-in code unless the browser is trusted",
        description:
          "`codeRequired: true`: finish with `POST /auth/verify-login`. Business accounts always get a code. " +
          "Five wrong passwords in a row lock the account for 15 minutes (423).",
        tags: ["auth"],
        body: z.object({ email: emailField, password: z.string().min(1).max(128) }),
        response: {
          200: z.union([
            codeSentSchema.extend({ codeRequired: z.literal(true) }),
            sessionSchema.extend({ codeRequired: z.literal(false) }),
          ]),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      await limit(request, "login", request.body.email);
      const outcome = await auth.login(request.body, metaOf(request), authenticator.deviceCookie(request));
      if (outcome.codeRequired) return outcome;
      return { codeRequired: false as const, ...session(request, reply, outcome) };
    },
  );

  typed.post(
    "/auth/verify-login",
    {
      config: open,
      schema: {
        operationId: "verifyLogin",
        summary: "Finish signing in with the e-mailed code",
        description: "`trustDevice`: this browser skips the code for 30 days (personal accounts).",
        tags: ["auth"],
        body: z.object({ email: emailField, code: codeField, trustDevice: z.boolean().optional() }),
        response: { 200: sessionSchema, ...problems },
      },
    },
    async (request, reply) => {
      await limit(request, "verify-login", request.body.email);
      return session(request, reply, await auth.verifyLogin(request.body, metaOf(request)));
    },
  );

  typed.post(
    "/auth/resend-otp",
    {
      config: open,
      schema: {
        operationId: "resendCode",
        summary: "Send a new code (at most one a minute)",
        tags: ["auth"],
        body: z.object({ email: emailField, purpose: z.enum(["registration", "login", "password_reset"]) }),
        response: { 202: codeSentSchema, ...problems },
      },
    },
    async (request, reply) => {
      await limit(request, "resend-otp", request.body.email);
      return reply.status(202).send(await auth.resend(request.body, metaOf(request)));
    },
  );

  typed.post(
    "/auth/password-reset/request",
    {
      config: open,
      schema: {
        operationId: "requestPasswordReset",
        summary: "E-mail a password reset code",
        description: "The answer is the same whether or not the address has an account.",
        tags: ["auth"],
        body: z.object({ email: emailField }),
        response: { 202: codeSentSchema, ...problems },
      },
    },
    async (request, reply) => {
      await limit(request, "password-reset", request.body.email);
      return reply.status(202).send(await auth.requestPasswordReset(request.body, metaOf(request)));
    },
  );

  typed.post(
    "/auth/password-reset/confirm",
    {
      config: open,
      schema: {
        operationId: "confirmPasswordReset",
        summary: "Set a new password with the code; signs out every session",
        tags: ["auth"],
        body: z.object({ email: emailField, code: codeField, password: passwordField }),
        response: { 200: z.object({ message: z.string() }), ...problems },
      },
    },
    async (request) => {
      await limit(request, "password-reset-confirm", request.body.email);
      return auth.confirmPasswordReset(request.body, metaOf(request));
    },
  );

  const refreshBody = z
    .object({
      refreshToken: z.string().min(1).optional().describe("Omit to use the web app's refresh cookie."),
    })
    .nullish();

  /** The refresh token from the body, or from the cookie (then the CSRF token must match). */
  function refreshTokenOf(
    request: FastifyRequest,
    body: { refreshToken?: string | undefined } | null | undefined,
  ) {
    if (body?.refreshToken) return body.refreshToken;
    const cookie = request.cookies[cookieNames.refresh];
    if (cookie) assertCsrf(request);
    return cookie;
  }

  typed.post(
    "/auth/refresh",
    {
      config: open,
      schema: {
        operationId: "refreshSession",
        summary: "Exchange a refresh token for new tokens (the old one stops working)",
        description:
          "Presenting a refresh token that was already exchanged signs that session out everywhere.",
        tags: ["auth"],
        body: refreshBody,
        response: { 200: sessionSchema, ...problems },
      },
    },
    async (request, reply) => {
      await limit(request, "refresh");
      const token = refreshTokenOf(request, request.body);
      if (!token) throw new Unauthorized("No refresh token: sign in", "invalid_refresh_token");
      try {
        return session(request, reply, await auth.refresh(token, metaOf(request)));
      } catch (error) {
        if (wantsCookies(request)) authenticator.clearSessionCookies(reply);
        throw error;
      }
    },
  );

  typed.post(
    "/auth/logout",
    {
      config: open,
      schema: {
        operationId: "logout",
        summary: "End the session",
        tags: ["auth"],
        body: refreshBody,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await limit(request, "logout");
      const token = refreshTokenOf(request, request.body);
      let sessionId: string | undefined;
      if (!token) sessionId = (await authenticator.principal(request).catch(() => undefined))?.sessionId;
      await auth.logout({ refreshToken: token, sessionId }, metaOf(request));
      authenticator.clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    "/auth/me",
    {
      config: { auth: "user" },
      schema: {
        operationId: "getMe",
        summary: "The signed-in user, their workspaces and the current one",
        tags: ["auth"],
        response: {
          200: z.object({
            user: userSchema,
            workspaces: z.array(membershipSchema),
            currentWorkspaceId: z.uuid().nullable().describe("Null when the user belongs to no workspace."),
            role: z
              .enum(["owner", "admin", "analyst", "viewer"])
              .nullable()
              .describe("Role in the current workspace."),
            via: z.enum(["session", "api_key"]),
          }),
          401: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const who = principalOf(request);
      // A workspace named in x-workspace-id that is not yours is a 404, as on every route;
      // belonging to no workspace at all is an answer (null), not an error.
      const named = request.headers["x-workspace-id"];
      const ctx = await authenticator.context(request, who).catch((error: unknown) => {
        if (typeof named === "string" && named) throw error;
        return undefined;
      });
      const all = await auth.memberships(who.user.id);
      const visible = who.apiKey
        ? all.filter((membership) => membership.id === who.apiKey?.workspaceId)
        : all;
      return {
        user: publicUser(who.user),
        workspaces: visible.map(membershipOut),
        currentWorkspaceId: ctx?.workspaceId ?? null,
        role: ctx?.role ?? null,
        via: who.via,
      };
    },
  );

  typed.get(
    "/auth/devices",
    {
      config: { auth: "user" },
      schema: {
        operationId: "listDevices",
        summary: "Browsers trusted to sign in without a code",
        tags: ["auth"],
        querystring: pageQuery,
        response: { 200: pageOf(deviceSchema), 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => {
      const who = personOf(request);
      const current = deps.devices.idOf(authenticator.deviceCookie(request));
      const page = await deps.devices.list(who.user.id, request.query);
      return {
        items: page.items.map((device) => ({
          id: device.id,
          name: device.name,
          userAgent: device.userAgent,
          ip: device.ip,
          lastSeenAt: device.lastSeenAt.toISOString(),
          createdAt: device.createdAt.toISOString(),
          expiresAt: device.expiresAt.toISOString(),
          current: device.id === current,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  typed.delete(
    "/auth/devices/:id",
    {
      config: { auth: "user" },
      schema: {
        operationId: "revokeDevice",
        summary: "Stop trusting a browser: its next sign-in needs a code",
        tags: ["auth"],
        params: z.object({ id: z.string() }),
        response: { 204: z.null(), 401: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      await auth.revokeDevice(personOf(request).user, request.params.id, metaOf(request));
      return reply.status(204).send(null);
    },
  );
}
