import { useMutation } from "@tanstack/react-query";
import { api } from "./client.ts";

export interface Insight {
  kind: "summary" | "trend" | "seasonality" | "anomaly" | "correlation" | "driver" | "forecast" | "clusters";
  title: string;
  sentence: string;
  data: Record<string, unknown>;
}

export function useInsights() {
  return useMutation({
    mutationFn: (input: { sql: string; sourceId?: string }) =>
      api.post<{ rows: number; truncated: boolean; items: Insight[] }>("/api/v1/insights", input),
  });
}
