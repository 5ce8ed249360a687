import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import type { Page, Schedule } from "./types.ts";

const pageSize = 100;

export function useSchedules() {
  return useInfiniteQuery({
    queryKey: ["schedules"],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Schedule>>(withQuery("/api/v1/schedules", { limit: pageSize, cursor: pageParam }), {
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });
}

export function useToggleSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, pause }: { name: string; pause: boolean }) =>
      api.post<Schedule>(`/api/v1/schedules/${encodeURIComponent(name)}/${pause ? "pause" : "resume"}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["schedules"] }),
  });
}
