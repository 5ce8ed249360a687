import type { Command } from "commander";
import type { Module } from "../platform/module.js";
import { bootConfig, fail, onShutdown } from "./boot.js";

/** The jobs a `sightline worker` runs: all but those that need the files `serve` holds open. */
export function workerJobs(module: Pick<Module, "jobs">) {
  return (module.jobs ?? []).filter((job) => !job.serveOnly);
}

export function registerWorkerCommand(program: Command) {
  program
    .command("worker")
    .description("run job workers and the scheduler only (scale-out: needs DATABASE_URL, ideally REDIS_URL)")
    .action(async () => {
      const { config, log } = bootConfig();
      const { createModules } = await import("../modules/index.js");
      const { createPlatform } = await import("../platform/index.js");
      if (!config.DATABASE_URL) {
        fail(
          "`sightline worker` shares work with `sightline serve` through PostgreSQL: set DATABASE_URL (and REDIS_URL for BullMQ)",
        );
      }
      const platform = await createPlatform(config, log).catch((error: unknown) =>
        fail(error instanceof Error ? error.message : String(error)),
      );
      for (const module of createModules(platform)) {
        for (const job of workerJobs(module)) platform.jobs.define(job);
      }
      onShutdown(log, config.SHUTDOWN_TIMEOUT_MS, async () => {
        await platform.jobs.stop(config.SHUTDOWN_TIMEOUT_MS);
        await platform.close();
      });
      await platform.jobs.start();
      log.info({ jobs: platform.jobs.kind }, "worker running");
    });
}
