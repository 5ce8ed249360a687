import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import type { ChartSpec, ChartType } from "./dashboards.ts";
import type { Cell, ResultColumn } from "./sources.ts";

export interface ChartTypeInfo {
  type: ChartType;
  label: string;
  description: string;
  needs: { dimensions: [number, number]; measures: [number, number]; time?: boolean };
  fields: string[];
}

export function useChartTypes() {
  return useQuery({
    queryKey: ["chart-types"],
    queryFn: ({ signal }) => api.get<{ items: ChartTypeInfo[] }>("/api/v1/charts/types", { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface ChartPreview {
  columns: ResultColumn[];
  rows: Cell[][];
  truncated: boolean;
  spec: ChartSpec;
  option: Record<string, unknown>;
  suggestions: { spec: ChartSpec; reason: string }[];
}

/** Runs a query and draws it as `spec` (or as its best suggestion): the chart editor's preview. */
export function useChartPreview() {
  return useMutation({
    mutationFn: (input: { sql: string; sourceId?: string; spec?: ChartSpec }) =>
      api.post<ChartPreview>("/api/v1/charts/preview", input),
  });
}
