import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "./helpers/child-server.js";
import { createTestDatabase, hasPostgres, hasRedis, redisTestUrl } from "./helpers/services.js";

/**
 * Acceptance: "Kill -9 the server while a job runs; after restart the job completes and its
 * effect happened exactly once." The server is the real app in a child process (see
 * fixtures/slow-effect-server.ts); its job sends one e-mail with an idempotency key.
 */
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "slow-effect-server.ts");
const postgresAvailable = await hasPostgres();
const redisAvailable = await hasRedis();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Server = ChildServer;

/** Starts the fixture server and waits until it answers /healthz. */
const startServer = (env: Record<string, string>): Promise<Server> =>
  startChildServer({
    args: ["--import", "tsx", fixture],
    cwd: path.resolve(path.dirname(fixture), "../.."),
    env: { LOG_LEVEL: "info", SHUTDOWN_TIMEOUT_MS: "3000", ...env },
  });

/** The operator's access token: both servers share DATA_DIR, so its secret key and database. */
let authorization = "";

async function signInOperator(server: Server): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "operator@example.com", password: "operator password", name: "Operator" }),
  });
  expect(response.status).toBe(201);
  authorization = `Bearer ${((await response.json()) as { accessToken: string }).accessToken}`;
}

async function jobOf(server: Server, id: string) {
  const response = await fetch(`${server.url}/api/v1/jobs/${id}`, { headers: { authorization } });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    status: string;
    attempts: number;
    runs: { attempt: number; status: string; worker: string }[];
  };
}

async function waitForStatus(server: Server, id: string, status: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobOf(server, id);
    if (job.status === status) return job;
    if (Date.now() > deadline) {
      throw new Error(
        `job ${id} is ${job.status}, not ${status}, after ${timeoutMs} ms:\n${server.output.join("")}`,
      );
    }
    await sleep(50);
  }
}

/** The crash scenario against a server configured by `env` (DATA_DIR is added). */
async function killDuringJobAndRestart(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-crash-"));
  const servers: Server[] = [];
  try {
    const first = await startServer({ ...env, DATA_DIR: dataDir });
    servers.push(first);
    await signInOperator(first);
    const enqueued = await fetch(`${first.url}/api/v1/fixture/slow-effect`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify({ to: "ops@example.com" }),
    });
    expect(enqueued.status).toBe(202);
    const { jobId } = (await enqueued.json()) as { jobId: string };
    await waitForStatus(first, jobId, "running", 10_000);
    // Claimed is not yet running: wait until the attempt itself has started.
    while ((await jobOf(first, jobId)).runs.length === 0) await sleep(20);

    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull();

    const second = await startServer({ ...env, DATA_DIR: dataDir });
    servers.push(second);
    const done = await waitForStatus(second, jobId, "completed", 30_000);
    expect(done.attempts).toBe(2);
    expect(done.runs.map((run) => [run.attempt, run.status])).toEqual([
      [1, "failed"],
      [2, "completed"],
    ]);

    const outbox = await fetch(`${second.url}/api/v1/outbox?limit=200`, { headers: { authorization } });
    expect(outbox.status).toBe(200);
    const { items } = (await outbox.json()) as { items: { idempotencyKey: string | null; to: string[] }[] };
    const effects = items.filter((message) => message.idempotencyKey === `fixture:${jobId}`);
    expect(effects).toHaveLength(1);
    expect(effects[0]?.to).toEqual(["ops@example.com"]);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  } finally {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill("SIGKILL");
    await Promise.all(servers.map((server) => server.exited));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("a job survives kill -9 of its server and its effect happens once", () => {
  it("embedded on PGlite: the restarted process reclaims the job at start", async () => {
    await killDuringJobAndRestart({});
  }, 90_000);

  it.skipIf(!postgresAvailable)(
    "embedded on PostgreSQL: the job is reclaimed when its lease expires",
    async () => {
      const database = await createTestDatabase();
      try {
        await killDuringJobAndRestart({ DATABASE_URL: database.url, JOB_LEASE_MS: "1500" });
      } finally {
        await database.drop();
      }
    },
    90_000,
  );

  it.skipIf(!postgresAvailable || !redisAvailable)(
    "BullMQ on Redis: stalled-job detection hands the job to the restarted worker",
    async () => {
      const database = await createTestDatabase();
      try {
        await killDuringJobAndRestart({
          DATABASE_URL: database.url,
          REDIS_URL: redisTestUrl,
          JOB_LEASE_MS: "1500",
        });
      } finally {
        await database.drop();
      }
    },
    90_000,
  );
});
