import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** The process's Prometheus registry and the metrics platform code records into. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request latency by route",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobsTotal: new Counter({
      name: "jobs_total",
      help: "Job attempts finished, by job name and outcome",
      labelNames: ["name", "outcome"],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "job_duration_seconds",
      help: "Duration of job attempts",
      labelNames: ["name", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    aiTokens: new Counter({
      name: "ai_tokens_total",
      help: "Language model tokens used, by provider, model and kind (input|output)",
      labelNames: ["provider", "model", "kind"],
      registers: [registry],
    }),
    aiCalls: new Counter({
      name: "ai_calls_total",
      help: "Language model calls, by provider, model and outcome",
      labelNames: ["provider", "model", "outcome"],
      registers: [registry],
    }),
    mailSent: new Counter({
      name: "mail_sent_total",
      help: "E-mails handed to the transport, by transport and outcome",
      labelNames: ["transport", "outcome"],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
