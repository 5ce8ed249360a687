import type { JobsDeps } from "./core.js";
import { createEmbeddedJobs } from "./embedded.js";
import type { Jobs } from "./types.js";

export type { JobsDeps } from "./core.js";
export { shorthands } from "./cron.js";
export type * from "./types.js";

/** BullMQ when Redis is configured, else the embedded runner on the metadata database. */
export async function createJobs(deps: JobsDeps): Promise<Jobs> {
  if (deps.redis) {
    const { createBullJobs } = await import("./bullmq.js");
    return createBullJobs({ ...deps, redis: deps.redis });
  }
  return createEmbeddedJobs(deps);
}
