import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createLlmSimulator } from "../src/simulators/llm/index.js";
import { startChildServer } from "./helpers/child-server.js";

/**
 * "Kill the worker during generation: after restart exactly one draft version exists." The real
 * server (`sightline serve`) drafts with a slow model (the LLM simulator); it is killed with -9
 * while the job waits for the model, and a new server on the same data finishes the draft.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const start = (env: Record<string, string>) =>
  startChildServer({ args: ["bin/sightline.js", "serve"], cwd: root, env: { LOG_LEVEL: "warn", ...env } });

describe("a draft whose server is killed during generation", () => {
  it("has exactly one version once a restarted server finishes it", async () => {
    const sim = await createLlmSimulator({
      delayMs: 2_500,
      respond: () => ({
        content: JSON.stringify({
          subject: "Re: Printer",
          body: "Hello Dana, someone is on the way.",
          summaryOfChanges: "First draft.",
        }),
      }),
    });
    const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-drafts-crash-"));
    const env = {
      DATA_DIR: dataDir,
      AI_PROVIDER: "openai",
      AI_BASE_URL: sim.url,
      OPENAI_API_KEY: "test",
      AI_MAX_RETRIES: "0",
    };
    const servers: Awaited<ReturnType<typeof start>>[] = [];
    try {
      const first = await start(env);
      servers.push(first);
      const setup = await fetch(`${first.url}/api/v1/setup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "owner@example.com", password: "owner password 1", name: "Owner" }),
      });
      expect(setup.status).toBe(201);
      const session = (await setup.json()) as { accessToken: string; workspaces: { id: string }[] };
      const headers = {
        authorization: `Bearer ${session.accessToken}`,
        "x-workspace-id": session.workspaces[0]?.id ?? "",
        "content-type": "application/json",
      };
      const sent = await fetch(`${first.url}/api/v1/send-messages`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          user: "owner@example.com",
          messages: [
            {
              sender: "dana@example.com",
              role: "client",
              content: "The printer is down. Help?",
              sentAt: "2026-12-01T09:00:00Z",
            },
          ],
        }),
      });
      expect(sent.status).toBe(202);
      const { draftId } = (await sent.json()) as { draftId: string };
      const draftOn = async (url: string) =>
        (await (await fetch(`${url}/api/v1/draft-messages/${draftId}`, { headers })).json()) as {
          status: string;
          versions: unknown[];
        };
      // The job is waiting for the model: kill the server.
      while ((await draftOn(first.url)).status !== "generating" || sim.requests.length === 0) await sleep(50);
      first.child.kill("SIGKILL");
      expect(await first.exited).toBeNull();

      const second = await start(env);
      servers.push(second);
      let draft = await draftOn(second.url);
      for (
        const deadline = Date.now() + 40_000;
        draft.status !== "ready" && Date.now() < deadline;
        await sleep(100)
      )
        draft = await draftOn(second.url);
      expect(draft.status, second.output.join("")).toBe("ready");
      expect(draft.versions).toHaveLength(1);
    } finally {
      for (const server of servers) if (server.child.exitCode === null) server.child.kill("SIGKILL");
      await Promise.all(servers.map((server) => server.exited));
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
