import { z } from "zod";
import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import { workspaceDeletedEvent } from "../workspaces/index.js";
import { registerDraftsRoutes } from "./drafts.routes.js";
import {
  createDraftsService,
  DRAFT_ENGINE,
  DRAFT_JOB,
  type DraftsService,
  offlineDraftEngine,
} from "./drafts.service.js";

export { offlineDraft } from "./drafter.js";

const RETRIES = 2;

/** Reply drafts for client threads, made in the background and refined by feedback. */
export function createDraftsModule(platform: Platform): Module & { drafts: DraftsService } {
  platform.ai.registerOfflineEngine(DRAFT_ENGINE, offlineDraftEngine);
  const drafts = createDraftsService({
    db: platform.database.db,
    clock: platform.clock,
    jobs: platform.jobs,
    ai: platform.ai,
    mail: platform.mail,
    events: platform.events,
  });
  let unsubscribe: (() => void) | undefined;
  return {
    name: "drafts",
    drafts,
    routes(api) {
      registerDraftsRoutes(api, { drafts });
    },
    jobs: [
      {
        name: DRAFT_JOB,
        payload: z.object({ draftId: z.uuid(), version: z.number().int().min(1) }),
        retries: RETRIES,
        backoffMs: 2_000,
        handler: (payload, context) =>
          drafts.generate(payload.draftId, payload.version, { lastAttempt: context.attempt > RETRIES }),
      },
    ],
    async start() {
      unsubscribe = platform.events.subscribe((event) => {
        if (event.type !== workspaceDeletedEvent || !event.workspaceId) return;
        const workspaceId = event.workspaceId;
        drafts
          .removeWorkspace(workspaceId)
          .catch((error: unknown) =>
            platform.log.error({ err: error, workspaceId }, "could not remove a deleted workspace's drafts"),
          );
      });
    },
    async stop() {
      unsubscribe?.();
    },
  };
}
