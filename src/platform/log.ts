import { type Logger, pino } from "pino";

export type { Logger };

const secretKeys = [
  "password",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "secret",
  "secretKey",
  "privateKey",
  "authorization",
  "cookie",
  "smtpPassword",
];

/** Paths pino blanks out: a secret under any of these key names, at the top or two levels down. */
export const redactPaths = [
  ...secretKeys,
  ...secretKeys.map((key) => `*.${key}`),
  ...secretKeys.map((key) => `*.*.${key}`),
  'req.headers["x-api-key"]',
  "req.headers.authorization",
  "req.headers.cookie",
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: redactPaths, censor: "[redacted]" },
      base: { service: "sightline" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
