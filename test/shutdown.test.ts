import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createModules } from "../src/modules/index.js";
import { createTestApp } from "./helpers/app.js";

describe("graceful shutdown", () => {
  it("finishes in-flight requests and running jobs before closing", async () => {
    const finished: string[] = [];
    const app = await createTestApp({
      modules: (platform) => [
        ...createModules(platform),
        {
          name: "slow",
          routes(api) {
            api.get("/slow", { config: { auth: "public" } }, async () => {
              await new Promise((resolve) => setTimeout(resolve, 400));
              finished.push("request");
              return { ok: true };
            });
          },
          jobs: [
            {
              name: "slow.job",
              payload: z.object({}),
              async handler() {
                await new Promise((resolve) => setTimeout(resolve, 600));
                finished.push("job");
              },
            },
          ],
        },
      ],
    });
    await app.startWorkers();
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.http.server.address() as AddressInfo;
    const job = await app.platform.jobs.enqueue("slow.job", {});
    while ((await app.platform.jobs.get(job.id))?.status !== "running") {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const request = fetch(`http://127.0.0.1:${port}/api/v1/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await app.dispose();
    const response = await request;
    expect(response.status).toBe(200);
    expect(finished.sort()).toEqual(["job", "request"]);
  });
});
