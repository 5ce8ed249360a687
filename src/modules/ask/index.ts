import type { Platform } from "../../platform/index.js";
import type { Module } from "../../platform/module.js";
import { joinsFor, type SourcesModule } from "../sources/index.js";
import { workspaceDeletedEvent } from "../workspaces/index.js";
import { registerAskRoutes } from "./ask.routes.js";
import { type AskData, type AskSource, createSchemaScopes } from "./ask.scope.js";
import { type AnswerPresenter, ASK_MAX_ROWS, createAskService } from "./ask.service.js";
import { chooseChart, suggestFollowups } from "./chart.js";
import { registerConversationsRoutes } from "./conversations.routes.js";
import { createConversationsService } from "./conversations.service.js";
import { ASK_SQL_ENGINE, createLlmEngine, offlineSqlEngine } from "./llm-engine.js";
import { createOfflineEngine } from "./offline/index.js";
import { registerQueriesRoutes } from "./queries.routes.js";
import { createQueriesService } from "./queries.service.js";
import { buildSchemaIndex } from "./schema-index.js";
import { withVerifiedAnswers } from "./verified.js";

export { type AskService, createAskService } from "./ask.service.js";
export { ASK_SQL_ENGINE, createLlmEngine, offlineSqlEngine } from "./llm-engine.js";
export type * from "./types.js";

const presenter: AnswerPresenter = {
  chart: ({ plan, columns, rows }) => chooseChart(plan, columns, rows),
  followups: ({ plan, schema }) => suggestFollowups(plan, schema),
};

/** The ask module's view of the sources module: its catalog, warehouse, joins and guarded `sql()`. */
function askData(platform: Platform, sources: SourcesModule): AskData {
  return {
    async sources(ctx) {
      const all: AskSource[] = [];
      let cursor: string | undefined;
      do {
        const page = await sources.sources.list(ctx, { limit: 200, ...(cursor ? { cursor } : {}) });
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return all;
    },
    warehouse: (workspaceId) => sources.warehouses.get(workspaceId),
    sql: (ctx, input) => sources.sources.sql(ctx, input),
    joins: (workspaceId) => joinsFor(platform.database.db, workspaceId),
  };
}

/**
 * Plain-language questions: `POST /ask`, conversations and saved queries. The offline engine
 * answers unless AI_PROVIDER names a model; then the LLM engine answers and the offline one
 * checks it. The offline engine also answers the platform's `ask.sql` calls under AI_PROVIDER=offline.
 */
export function createAskModule(platform: Platform, deps: { sources: SourcesModule }): Module {
  const { db } = platform.database;
  const data = askData(platform, deps.sources);
  const offline = createOfflineEngine();
  platform.ai.registerOfflineEngine(ASK_SQL_ENGINE, offlineSqlEngine(offline));
  const llm = platform.ai.provider === "offline" ? undefined : createLlmEngine(platform.ai);
  const scopes = createSchemaScopes({ data, build: buildSchemaIndex });
  const queries = createQueriesService({
    db,
    clock: platform.clock,
    check: async (ctx, sql, sourceId) => void (await data.sql(ctx, { sql, maxRows: 1, sourceId })),
  });
  const conversations = createConversationsService({
    db,
    clock: platform.clock,
    run: (ctx, sql, sourceId) => data.sql(ctx, { sql, maxRows: ASK_MAX_ROWS, sourceId }),
    history: queries.ownOfAnswers,
  });
  const ask = createAskService({
    clock: platform.clock,
    events: platform.events,
    log: platform.log,
    data,
    scopes,
    conversations,
    queries,
    // A question a person verified before gets the verified SQL, whichever engine answers.
    engines: llm
      ? { primary: withVerifiedAnswers(llm), offline: withVerifiedAnswers(offline) }
      : { primary: withVerifiedAnswers(offline) },
    present: presenter,
  });
  let unsubscribe: (() => void) | undefined;
  return {
    name: "ask",
    routes(api) {
      registerAskRoutes(api, { ask });
      registerConversationsRoutes(api, { conversations });
      registerQueriesRoutes(api, { queries });
    },
    async start() {
      unsubscribe = platform.events.subscribe((event) => {
        if (event.type !== workspaceDeletedEvent || !event.workspaceId) return;
        const workspaceId = event.workspaceId;
        scopes.forget(workspaceId);
        Promise.all([conversations.removeWorkspace(workspaceId), queries.removeWorkspace(workspaceId)]).catch(
          (error: unknown) =>
            platform.log.error(
              { err: error, workspaceId },
              "could not remove a deleted workspace's questions",
            ),
        );
      });
    },
    async stop() {
      unsubscribe?.();
    },
  };
}
