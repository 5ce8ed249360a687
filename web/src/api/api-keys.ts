import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type { ApiKey, CreatedApiKey, Role } from "./auth-types.ts";
import { api, withQuery } from "./client.ts";
import type { Page } from "./types.ts";

export function useApiKeys() {
  return useInfiniteQuery({
    queryKey: ["api-keys"],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ApiKey>>(withQuery("/api/v1/api-keys", { limit: 100, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; role: Role; expiresInDays?: number }) =>
      api.post<CreatedApiKey>("/api/v1/api-keys", body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["api-keys"] }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/v1/api-keys/${encodeURIComponent(id)}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["api-keys"] }),
  });
}
