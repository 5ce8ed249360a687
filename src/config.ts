import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const bool = (fallback: boolean) => z.stringbool().default(fallback);
const optionalString = () => z.string().min(1).optional();

/**
 * Every environment variable Sightline reads. docs/configuration.md is generated from this
 * schema (`npm run docs:config`), and a test fails when the two disagree.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe("HTTP port to listen on."),
  HOST: z.string().default("0.0.0.0").describe("Interface to bind; `127.0.0.1` keeps Sightline local."),
  PUBLIC_URL: z
    .url()
    .optional()
    .describe("Address users reach Sightline at, used in e-mail links. Default `http://localhost:PORT`."),
  DATA_DIR: z
    .string()
    .default("./data")
    .describe(
      "Directory for the embedded metadata database, warehouse files, uploads and the generated secret key.",
    ),
  DATABASE_URL: z
    .url()
    .optional()
    .describe("PostgreSQL connection string for metadata. Unset: embedded PGlite under DATA_DIR."),
  REDIS_URL: z
    .url()
    .optional()
    .describe("Redis connection string. Set: jobs run on BullMQ, events and rate limits go through Redis."),
  SECRET_KEY: z
    .string()
    .min(32, "must be at least 32 characters")
    .optional()
    .describe(
      "Key for signing tokens and encrypting secrets at rest. Unset: generated once into DATA_DIR/secret.key (mode 0600).",
    ),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("Minimum level of log lines written to standard output (JSON, one line each)."),
  CORS_ORIGINS: z
    .string()
    .default("")
    .describe("Comma-separated origins allowed to call the API from a browser. Empty: same origin only."),
  RATE_LIMIT_MAX: z.coerce
    .number()
    .int()
    .positive()
    .default(600)
    .describe("Requests per client IP per window."),
  RATE_LIMIT_WINDOW_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe("Rate limit window in ms."),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15_000)
    .describe("On SIGTERM, how long in-flight requests and running jobs may take to finish before exit."),
  RUN_WORKERS: bool(true).describe(
    "Run job workers inside `sightline serve`. Set false when separate `sightline worker` processes do the work.",
  ),
  ALERT_RETRY_BACKOFF_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe(
      "First wait before an alert check or a subscription delivery that failed is tried again; each next wait doubles (3 retries).",
    ),
  JOBS_CONCURRENCY: z.coerce
    .number()
    .int()
    .positive()
    .default(4)
    .describe("Default number of jobs of one kind a process runs at once."),
  JOB_LEASE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(30_000)
    .describe(
      "Embedded jobs on PostgreSQL: a running job whose worker stops renewing its lease this long is retried.",
    ),
  JOB_POLL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(500)
    .describe("Embedded jobs: how often idle workers look for due jobs."),
  AI_PROVIDER: z
    .enum(["offline", "openai", "anthropic", "groq", "openrouter", "ollama"])
    .default("offline")
    .describe("Language model provider. `offline` uses deterministic built-in engines with no network."),
  AI_MODEL: optionalString().describe(
    "Model name for the provider (e.g. `gpt-4o-mini`, `claude-sonnet-4-5`).",
  ),
  AI_BASE_URL: z
    .url()
    .optional()
    .describe("Override the provider's API base URL (proxies, self-hosted gateways)."),
  AI_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000).describe("Timeout of one model call."),
  AI_MAX_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(2)
    .describe("Retries of a model call on 408, 429 and 5xx, honouring Retry-After."),
  OPENAI_API_KEY: optionalString().describe("API key for `AI_PROVIDER=openai`."),
  ANTHROPIC_API_KEY: optionalString().describe("API key for `AI_PROVIDER=anthropic`."),
  GROQ_API_KEY: optionalString().describe("API key for `AI_PROVIDER=groq`."),
  OPENROUTER_API_KEY: optionalString().describe("API key for `AI_PROVIDER=openrouter`."),
  OLLAMA_BASE_URL: z
    .url()
    .default("http://127.0.0.1:11434/v1")
    .describe("OpenAI-compatible base URL of an Ollama server for `AI_PROVIDER=ollama`."),
  SMTP_HOST: optionalString().describe(
    "SMTP server. Unset: mail is kept in the outbox, readable in the app.",
  ),
  SMTP_PORT: z.coerce.number().int().positive().default(587).describe("SMTP port."),
  SMTP_SECURE: bool(false).describe("Use implicit TLS (port 465). Otherwise STARTTLS is used when offered."),
  SMTP_USER: optionalString().describe("SMTP user name."),
  SMTP_PASSWORD: optionalString().describe("SMTP password."),
  MAIL_FROM: z.string().default("Sightline <sightline@localhost>").describe("From address of every e-mail."),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024)
    .describe("Largest file an upload may be, in bytes; larger uploads are refused with 413."),
  UPLOAD_MAX_UNCOMPRESSED_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024 * 1024)
    .describe(
      "Most bytes an uploaded Excel workbook (a zip) may expand to; more, or an entry compressed over 100:1, is refused with 413 `archive_too_large`.",
    ),
  SQL_MAX_ROWS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe("Most rows a query returns to the API; exports are not capped."),
  SQL_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe("A query running longer is stopped."),
  SQLITE_ALLOWED_DIRS: z
    .string()
    .default("")
    .describe(
      "Comma-separated directories whose SQLite files users may connect as sources (read-only). Empty: SQLite connections are off.",
    ),
  DB_CONNECT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe("How long connecting to a source database may take before it counts as unreachable."),
  SQL_EXPORT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(3_600_000)
    .describe("An export (`POST /sql/export`) running longer, the download included, is stopped."),
  SQL_CACHE_MAX_ENTRIES: z.coerce
    .number()
    .int()
    .min(0)
    .default(1_000)
    .describe("Most query results kept in the in-memory result cache (per process); 0 turns the cache off."),
  SQL_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1024 * 1024)
    .describe("Approximate memory the result cache may use, in bytes; 0 turns the cache off."),
  DEMO: bool(false).describe(
    "Create the labelled demo workspace and its demo sign-in at start (`sightline serve --demo` sets it).",
  ),
  SIGNUP_ENABLED: bool(true).describe(
    "Let anyone with an e-mail address create an account. False: people join by invitation only.",
  ),
  AUTH_RATE_LIMIT_IP: z.coerce
    .number()
    .int()
    .positive()
    .default(60)
    .describe("Requests to one auth endpoint per client IP per AUTH_RATE_LIMIT_WINDOW_MS."),
  AUTH_RATE_LIMIT_ACCOUNT: z.coerce
    .number()
    .int()
    .positive()
    .default(20)
    .describe("Requests to one auth endpoint per e-mail address per AUTH_RATE_LIMIT_WINDOW_MS."),
  AUTH_RATE_LIMIT_WINDOW_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(900_000)
    .describe("Window of the per-IP and per-account auth rate limits, in ms."),
  CHROMIUM_PATH: z
    .string()
    .default("/usr/bin/chromium")
    .describe("Chromium executable for browser tests and PDF rendering."),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line naming the variable and the problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "configuration");
    const got = input[name] === undefined ? "" : ` (got ${JSON.stringify(redactValue(name, input[name]))})`;
    throw new ConfigError(`Invalid configuration: ${name}: ${issue?.message ?? "invalid"}${got}`);
  }
  return parsed.data;
}

function redactValue(name: string, value: string): string {
  return /KEY|SECRET|PASSWORD|TOKEN/.test(name) ? "[redacted]" : value;
}

export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, "");
}

/** SECRET_KEY, or the key generated once into DATA_DIR/secret.key and reused after. */
export function resolveSecretKey(config: Config): string {
  if (config.SECRET_KEY) return config.SECRET_KEY;
  mkdirSync(config.DATA_DIR, { recursive: true });
  const file = path.join(config.DATA_DIR, "secret.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = randomBytes(32).toString("base64url");
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return key;
}

/** Markdown reference of every variable, generated from the schema. */
export function configDocs(): string {
  const lines = [
    "# Configuration",
    "",
    "Sightline reads its configuration from environment variables, checked at start: an invalid value",
    "stops the process with one line naming the variable. Every variable is optional; the defaults",
    "run Sightline fully offline on embedded services.",
    "",
    "This page is generated from `src/config.ts` by `npm run docs:config`.",
    "",
    "| Variable | Default | Description |",
    "| --- | --- | --- |",
  ];
  for (const [name, schema] of Object.entries(configSchema.shape)) {
    const def = defaultOf(schema);
    const description = (schema.description ?? "").replace(/\|/g, "\\|");
    lines.push(`| \`${name}\` | ${def === undefined ? "—" : `\`${def}\``} | ${description} |`);
  }
  return `${lines.join("\n")}\n`;
}

function defaultOf(schema: z.ZodType): string | undefined {
  if (schema instanceof z.ZodDefault) {
    const value = schema.def.defaultValue;
    return value === "" ? '""' : String(value);
  }
  return undefined;
}
