import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Workspace, WorkspaceMembership } from "./auth-types.ts";
import { api, withQuery } from "./client.ts";
import type { Page } from "./types.ts";

const path = (id: string) => `/api/v1/workspaces/${encodeURIComponent(id)}`;

export function useWorkspaces() {
  return useInfiniteQuery({
    queryKey: ["workspaces", "list"],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<WorkspaceMembership>>(withQuery("/api/v1/workspaces", { limit: 100, cursor: pageParam }), {
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useWorkspace(id: string) {
  return useQuery({
    queryKey: ["workspaces", "detail", id],
    queryFn: ({ signal }) => api.get<Workspace>(path(id), { signal }),
  });
}

export function useCreateWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string }) => api.post<Workspace>("/api/v1/workspaces", body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["workspaces"] }),
  });
}

export function useRenameWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) => api.patch<Workspace>(path(id), { name }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["workspaces"] }),
        client.invalidateQueries({ queryKey: ["auth", "me"] }),
      ]),
  });
}

export function useDeleteWorkspace() {
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(path(id)),
  });
}
