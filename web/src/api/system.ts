import { useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import type { Health, Readiness } from "./types.ts";

export function useHealth(options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ["system", "health"],
    queryFn: ({ signal }) => api.get<Health>("/healthz", { signal }),
    ...options,
  });
}

export function useReadiness() {
  return useQuery({
    queryKey: ["system", "readiness"],
    // 503 carries the same body with the failing checks: it is an answer, not an error.
    queryFn: ({ signal }) => api.get<Readiness>("/readyz", { signal, acceptStatus: [503] }),
    refetchInterval: 15_000,
  });
}
