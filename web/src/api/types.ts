/** Shapes of the API's JSON answers, as the browser receives them (dates are ISO strings). */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Health {
  status: "ok";
  version: string;
}

export interface Readiness {
  status: "ready" | "not_ready";
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
}

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

export interface Job {
  id: string;
  name: string;
  payload: unknown;
  status: JobStatus;
  priority: number;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  progress: unknown;
  result: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface JobRun {
  id: string;
  attempt: number;
  status: "running" | "completed" | "failed" | "cancelled";
  worker: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

export interface JobDetail extends Job {
  runs: JobRun[];
}

export interface Schedule {
  name: string;
  jobName: string;
  cron: string;
  timezone: string;
  payload: unknown;
  paused: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastJobId: string | null;
}

/** An outbox entry as lists show it: without bodies. */
export interface MailSummary {
  id: string;
  transport: "outbox" | "smtp";
  /** `sending`: the server's answer was never recorded; such a message is not sent again. */
  status: "stored" | "sending" | "sent" | "failed";
  idempotencyKey: string | null;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  template: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
  messageId: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface MailRecord extends MailSummary {
  text: string;
  html: string | null;
}
