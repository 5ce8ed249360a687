import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { NotFound } from "../../platform/errors.js";
import { decodeCursor, encodeCursor, pageOf, pageQuery } from "../../platform/http/pagination.js";
import { problemSchema } from "../../platform/http/problem.js";
import { shorthands } from "../../platform/jobs/index.js";
import type { JobRecord, JobRun, Jobs, ScheduleRecord } from "../../platform/jobs/types.js";

const jobStatus = z.enum(["queued", "running", "completed", "failed", "cancelled"]);
const isoOrNull = z.iso.datetime().nullable();

const jobShape = {
  id: z.uuid(),
  name: z.string(),
  payload: z.unknown().describe("The job's input, as validated by its schema."),
  status: jobStatus,
  priority: z.number().int().describe("Higher runs first among due jobs."),
  runAt: z.iso.datetime().describe("Not run before this time (delay or retry backoff)."),
  attempts: z.number().int().describe("Attempts started so far."),
  maxAttempts: z.number().int(),
  idempotencyKey: z.string().nullable(),
  progress: z.unknown().describe("Last progress the job reported (0–100 or any JSON)."),
  result: z.unknown().describe("What the job returned, once completed."),
  error: z.string().nullable().describe("Error of the last failed attempt."),
  createdAt: z.iso.datetime(),
  startedAt: isoOrNull,
  finishedAt: isoOrNull,
};
const job = z.object(jobShape).meta({ id: "Job" });

const jobRun = z
  .object({
    id: z.uuid(),
    attempt: z.number().int(),
    status: z.enum(["running", "completed", "failed", "cancelled"]),
    worker: z.string().describe("host:pid:instance of the worker that ran the attempt."),
    startedAt: z.iso.datetime(),
    finishedAt: isoOrNull,
    durationMs: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: "JobRun" });

const jobWithRuns = z.object({ ...jobShape, runs: z.array(jobRun) }).meta({ id: "JobWithRuns" });

const schedule = z
  .object({
    name: z.string(),
    jobName: z.string(),
    cron: z.string(),
    timezone: z.string(),
    payload: z.unknown(),
    paused: z.boolean(),
    nextRunAt: isoOrNull.describe("Null while paused."),
    lastRunAt: isoOrNull,
    lastJobId: z.uuid().nullable(),
  })
  .meta({ id: "Schedule" });

const scheduleBody = z.object({
  jobName: z.string().min(1).describe("Name of the job the schedule enqueues."),
  cron: z
    .string()
    .min(1)
    .describe(
      `5 fields (minute hour day month weekday), 6 with seconds first, or a shorthand: ${Object.keys(shorthands).join(", ")}.`,
    ),
  timezone: z.string().min(1).optional().describe("IANA time zone the cron is read in. Default UTC."),
  payload: z.unknown().optional().describe("Payload of each run, validated by the job's schema. Default {}."),
  paused: z.boolean().optional().describe("Omitted: a new schedule runs, an existing one keeps its state."),
});

const schedulerStatus = z
  .object({
    kind: z
      .enum(["embedded", "bullmq"])
      .describe("`embedded`: jobs in the metadata database; `bullmq`: Redis."),
    running: z.number().int(),
    queued: z.number().int(),
    schedules: z.number().int(),
    activeSchedules: z.number().int().describe("Schedules that are not paused."),
    nextRunAt: isoOrNull.describe("The soonest run of an active schedule."),
  })
  .meta({ id: "SchedulerStatus" });

const jobParams = z.object({ id: z.string().describe("Job id.") });
const scheduleParams = z.object({ name: z.string().min(1).max(200).describe("Schedule name.") });
const errors = { 400: problemSchema, 404: problemSchema };

const iso = (date: Date | null) => date?.toISOString() ?? null;

function jobOf(record: JobRecord): z.infer<typeof job> {
  return {
    ...record,
    runAt: record.runAt.toISOString(),
    createdAt: record.createdAt.toISOString(),
    startedAt: iso(record.startedAt),
    finishedAt: iso(record.finishedAt),
  };
}

function runOf(run: JobRun): z.infer<typeof jobRun> {
  const { jobId: _jobId, ...rest } = run;
  return { ...rest, startedAt: run.startedAt.toISOString(), finishedAt: iso(run.finishedAt) };
}

function scheduleOf(record: ScheduleRecord): z.infer<typeof schedule> {
  return { ...record, nextRunAt: iso(record.nextRunAt), lastRunAt: iso(record.lastRunAt) };
}

/** Operators' view of background work: jobs with their runs, and the schedules that enqueue them. */
export function registerJobsRoutes(app: FastifyInstance, deps: { jobs: Jobs }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { jobs } = deps;
  const tags = ["operations"];

  typed.get(
    "/jobs",
    {
      schema: {
        operationId: "listJobs",
        summary: "List jobs, newest first",
        tags,
        querystring: pageQuery.extend({
          name: z.string().min(1).optional().describe("Only jobs of this name."),
          status: jobStatus.optional().describe("Only jobs in this status."),
        }),
        response: { 200: pageOf(job), 400: problemSchema },
      },
    },
    async (request) => {
      const { limit, cursor, name, status } = request.query;
      const page = await jobs.list({
        limit,
        ...(cursor ? { cursor } : {}),
        ...(name ? { name } : {}),
        ...(status ? { status } : {}),
      });
      return { items: page.items.map(jobOf), nextCursor: page.nextCursor };
    },
  );

  typed.get(
    "/jobs/:id",
    {
      schema: {
        operationId: "getJob",
        summary: "Get a job with its runs (one per attempt)",
        tags,
        params: jobParams,
        response: { 200: jobWithRuns, ...errors },
      },
    },
    async (request) => {
      const record = await jobs.get(request.params.id);
      if (!record) throw new NotFound("Job", { jobId: request.params.id });
      return { ...jobOf(record), runs: (await jobs.runs(record.id)).map(runOf) };
    },
  );

  typed.post(
    "/jobs/:id/cancel",
    {
      schema: {
        operationId: "cancelJob",
        summary: "Cancel a job",
        description:
          "A queued job is cancelled at once. A running one is asked to stop: its status turns `cancelled` " +
          "when the handler has stopped. A finished job is returned unchanged.",
        tags,
        params: jobParams,
        response: { 200: job, ...errors },
      },
    },
    async (request) => jobOf(await jobs.cancel(request.params.id)),
  );

  typed.get(
    "/schedules",
    {
      schema: {
        operationId: "listSchedules",
        summary: "List schedules by name",
        tags,
        querystring: pageQuery,
        response: { 200: pageOf(schedule), 400: problemSchema },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.object({ name: z.string() }));
      const all = (await jobs.schedules.list()).filter((record) => !after || record.name > after.name);
      const items = all.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(scheduleOf),
        nextCursor: all.length > limit && last ? encodeCursor({ name: last.name }) : null,
      };
    },
  );

  typed.put(
    "/schedules/:name",
    {
      schema: {
        operationId: "putSchedule",
        summary: "Create or change a schedule",
        description: "Takes effect at once in every worker; no restart needed.",
        tags,
        params: scheduleParams,
        body: scheduleBody,
        response: { 200: schedule, 400: problemSchema },
      },
    },
    async (request) => {
      const { jobName, cron, timezone, payload, paused } = request.body;
      const record = await jobs.schedules.upsert({
        name: request.params.name,
        jobName,
        cron,
        ...(timezone ? { timezone } : {}),
        ...(payload !== undefined ? { payload } : {}),
        ...(paused !== undefined ? { paused } : {}),
      });
      return scheduleOf(record);
    },
  );

  for (const action of ["pause", "resume"] as const) {
    typed.post(
      `/schedules/:name/${action}`,
      {
        schema: {
          operationId: `${action}Schedule`,
          summary: action === "pause" ? "Pause a schedule" : "Resume a paused schedule",
          tags,
          params: scheduleParams,
          response: { 200: schedule, ...errors },
        },
      },
      async (request) => scheduleOf(await jobs.schedules[action](request.params.name)),
    );
  }

  typed.delete(
    "/schedules/:name",
    {
      schema: {
        operationId: "deleteSchedule",
        summary: "Remove a schedule",
        description: "Jobs it already enqueued are kept.",
        tags,
        params: scheduleParams,
        response: { 204: z.null().describe("Removed."), ...errors },
      },
    },
    async (request, reply) => {
      await jobs.schedules.remove(request.params.name);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    "/scheduler/status",
    {
      schema: {
        operationId: "getSchedulerStatus",
        summary: "What the job system is doing now",
        tags,
        response: { 200: schedulerStatus },
      },
    },
    async () => {
      const status = await jobs.status();
      return { ...status, nextRunAt: iso(status.nextRunAt) };
    },
  );
}
