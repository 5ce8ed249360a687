import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EventAccess } from "./events/ws.routes.js";
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
  /** Runs once the routes are registered, before the server takes requests (seeding, checks). */
  start?: () => Promise<void>;
  /** Runs at shutdown after the workers stopped: close what the module opened. */
  stop?: () => Promise<void>;
  /** Decides which events a WebSocket client may receive; one module (auth) provides it. */
  authorizeEvents?: (request: FastifyRequest) => Promise<EventAccess>;
}
