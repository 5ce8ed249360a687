import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import type { Job, JobDetail, JobStatus, Page } from "./types.ts";

const liveMs = 3_000;
const pageSize = 50;

export const isActive = (status: JobStatus) => status === "queued" || status === "running";

export interface JobFilters {
  status?: JobStatus | undefined;
  name?: string | undefined;
}

export function useJobs(filters: JobFilters) {
  return useInfiniteQuery({
    queryKey: ["jobs", "list", filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Job>>(
        withQuery("/api/v1/jobs", {
          limit: pageSize,
          cursor: pageParam,
          status: filters.status,
          name: filters.name,
        }),
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Poll only while something can still change.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((job) => isActive(job.status))) ? liveMs : false,
  });
}

export function useJob(id: string) {
  return useQuery({
    queryKey: ["jobs", "detail", id],
    queryFn: ({ signal }) => api.get<JobDetail>(`/api/v1/jobs/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? liveMs : false),
  });
}

export function useCancelJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Job>(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`),
    onSettled: () => client.invalidateQueries({ queryKey: ["jobs"] }),
  });
}
