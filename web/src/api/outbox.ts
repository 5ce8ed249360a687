import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import type { MailRecord, MailSummary, Page } from "./types.ts";

const pageSize = 50;

export function useOutbox(filters: { to?: string | undefined }) {
  return useInfiniteQuery({
    queryKey: ["outbox", "list", filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<MailSummary>>(
        withQuery("/api/v1/outbox", { limit: pageSize, cursor: pageParam, to: filters.to }),
        {
          signal,
        },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useMail(id: string) {
  return useQuery({
    queryKey: ["outbox", "detail", id],
    queryFn: ({ signal }) => api.get<MailRecord>(`/api/v1/outbox/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useSendTestMail() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (to: string) => api.post<MailRecord>("/api/v1/outbox/test", { to }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["outbox", "list"] }),
  });
}
