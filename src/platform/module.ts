import type { FastifyInstance } from "fastify";
import type { JobDefinition } from "./jobs/types.js";

/**
 * A capability: its HTTP routes (registered under `/api/v1`) and its background jobs.
 * `app.ts` registers each module; modules reach each other only through their index.ts.
 */
export interface Module {
  name: string;
  routes?: (app: FastifyInstance) => Promise<void> | void;
  // biome-ignore lint/suspicious/noExplicitAny: each job has its own payload type; the runner validates it with the job's schema.
  jobs?: JobDefinition<any>[];
}
