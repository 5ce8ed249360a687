import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditEvent } from "./auth-types.ts";
import { api, withQuery } from "./client.ts";
import type { Page } from "./types.ts";

export interface AuditFilters {
  action?: string | undefined;
  actorId?: string | undefined;
  targetId?: string | undefined;
  /** ISO timestamps. */
  from?: string | undefined;
  to?: string | undefined;
}

export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ["audit", filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>(
        withQuery("/api/v1/audit-events", { limit: 50, cursor: pageParam, ...filters }),
        {
          signal,
        },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
