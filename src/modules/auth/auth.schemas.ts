import { z } from "zod";
import { roles } from "../workspaces/index.js";

export const emailField = z
  .email({ pattern: z.regexes.html5Email })
  .max(254)
  .describe("E-mail address (case does not matter).");
export const passwordField = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(128, "must be at most 128 characters")
  .describe("8 to 128 characters.");
export const codeField = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "must be the 6 digits from the e-mail")
  .describe("The 6-digit code from the e-mail.");
export const nameField = z.string().trim().min(1).max(100).describe("Display name.");

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    accountType: z.enum(["personal", "business"]),
    emailVerified: z.boolean(),
    instanceAdmin: z.boolean().describe("Operates this server: sees the outbox, jobs and schedules."),
    isDemo: z.boolean().describe("The demo account of `sightline serve --demo`."),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "User" });

export const membershipSchema = z
  .object({
    id: z.uuid().describe("Workspace id."),
    name: z.string(),
    role: z.enum(roles),
    isDemo: z.boolean().describe("The labelled demo workspace."),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "WorkspaceMembership" });

export const sessionSchema = z
  .object({
    user: userSchema,
    workspaces: z.array(membershipSchema),
    accessToken: z.string().describe("JWT for `Authorization: Bearer`, valid 15 minutes."),
    refreshToken: z.string().describe("Exchange at `POST /auth/refresh`; valid 30 days, used once."),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().describe("Seconds until the access token expires."),
  })
  .meta({ id: "Session" });

export const codeSentSchema = z
  .object({ message: z.string(), maskedEmail: z.string().describe("`te***@example.com`") })
  .meta({ id: "CodeSent" });

export const deviceSchema = z
  .object({
    id: z.uuid(),
    name: z.string().describe('"Chrome on Linux", from the user agent.'),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    lastSeenAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    current: z.boolean().describe("The browser making this request."),
  })
  .meta({ id: "TrustedDevice" });
