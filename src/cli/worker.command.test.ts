import { describe, expect, it } from "vitest";
import { createTestApp } from "../../test/helpers/app.js";
import { createModules } from "../modules/index.js";
import { workerJobs } from "./worker.command.js";

describe("sightline worker", () => {
  it("leaves the jobs that work on the warehouse files to serve", async () => {
    let all: string[] = [];
    let names: string[] = [];
    const app = await createTestApp({
      modules: (platform) => {
        const modules = createModules(platform);
        all = modules.flatMap((module) => (module.jobs ?? []).map((job) => job.name));
        names = modules.flatMap((module) => workerJobs(module).map((job) => job.name));
        return modules;
      },
    });
    try {
      expect(names).not.toContain("sources.ingest");
      expect(names).not.toContain("sources.analyse");
      expect(names).not.toContain("sources.import");
      expect(all).toEqual(expect.arrayContaining(["sources.ingest", "sources.analyse", "sources.import"]));
    } finally {
      await app.dispose();
    }
  });
});
