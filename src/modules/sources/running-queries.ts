import { Conflict, NotFound } from "../../platform/errors.js";
import type { RequestContext } from "../auth/context.js";

/**
 * Queries running now under an id their client chose, so the same person in the same workspace
 * can stop them (`DELETE /sql/{queryId}`). Each caller's ids are its own: another person or
 * workspace cannot see or cancel them, and a finished query is forgotten at once.
 */
export function createRunningQueries() {
  const running = new Map<string, AbortController>();
  const keyOf = (ctx: Pick<RequestContext, "workspaceId" | "userId">, queryId: string) =>
    `${ctx.workspaceId}:${ctx.userId}:${queryId}`;

  return {
    /**
     * Starts tracking a query. Its signal aborts when it is cancelled or when `signal` (the
     * client's connection) aborts; call `done` when the query ends, however it ends.
     */
    track(
      ctx: Pick<RequestContext, "workspaceId" | "userId">,
      queryId: string | undefined,
      signal?: AbortSignal,
    ): { signal: AbortSignal; done: () => void } {
      const controller = new AbortController();
      const abort = () => controller.abort();
      signal?.addEventListener("abort", abort, { once: true });
      if (signal?.aborted) controller.abort();
      const key = queryId === undefined ? undefined : keyOf(ctx, queryId);
      if (key !== undefined) {
        if (running.has(key)) throw new Conflict("A query with this id is already running", { queryId });
        running.set(key, controller);
      }
      return {
        signal: controller.signal,
        done() {
          signal?.removeEventListener("abort", abort);
          if (key !== undefined && running.get(key) === controller) running.delete(key);
        },
      };
    },

    /** Stops a running query of the caller's; 404 when there is none by that id. */
    cancel(ctx: Pick<RequestContext, "workspaceId" | "userId">, queryId: string): void {
      const controller = running.get(keyOf(ctx, queryId));
      if (!controller) throw new NotFound("Running query", { queryId });
      controller.abort();
    },

    get size(): number {
      return running.size;
    },
  };
}

export type RunningQueries = ReturnType<typeof createRunningQueries>;
