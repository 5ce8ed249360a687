import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, saveFile, withQuery } from "./client.ts";
import type { Cell, ResultColumn } from "./sources.ts";
import type { Page } from "./types.ts";

export type ChartType =
  | "bar"
  | "grouped_bar"
  | "stacked_bar"
  | "horizontal_bar"
  | "line"
  | "area"
  | "combo"
  | "pie"
  | "donut"
  | "scatter"
  | "bubble"
  | "histogram"
  | "boxplot"
  | "heatmap"
  | "treemap"
  | "sunburst"
  | "sankey"
  | "funnel"
  | "gauge"
  | "kpi"
  | "table"
  | "pivot"
  | "calendar"
  | "radar"
  | "waterfall";

/** How a widget's result is drawn (the server's `ChartSpec`). */
export interface ChartSpec {
  type: ChartType;
  title?: string;
  x?: string | undefined;
  y?: string[] | undefined;
  series?: string | undefined;
  sort?: "none" | "asc" | "desc";
  colors?: string[] | undefined;
  labels?: boolean;
}

export type WidgetKind = "chart" | "table" | "kpi" | "markdown";
export type DashboardAccess = "workspace" | "editors" | "private";

export interface WidgetLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Widget {
  id: string;
  kind: WidgetKind;
  title: string;
  sql?: string | null;
  sourceId?: string | null;
  spec: ChartSpec | null;
  markdown: string | null;
  layout: WidgetLayout;
  updatedAt: string;
}

export type FilterValue = { from?: string; to?: string } | (string | number | boolean)[] | null;

export interface DashboardFilter {
  id: string;
  field: string;
  label?: string;
  kind: "date_range" | "category";
  value?: FilterValue;
}

export interface Dashboard {
  id: string;
  title: string;
  description: string;
  filters: DashboardFilter[];
  refreshSeconds: number | null;
  access: DashboardAccess;
  shared: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface DashboardDetail extends Dashboard {
  widgets: Widget[];
}

export interface WidgetData {
  widgetId: string;
  kind: WidgetKind;
  markdown?: string;
  columns: ResultColumn[];
  rows: Cell[][];
  truncated: boolean;
  option?: Record<string, unknown>;
  applied: string[];
  cached: boolean;
}

/** A saved filter's value for one request, or (with `field` and `kind`) a click's filter of its own. */
export interface FilterOverride {
  id: string;
  field?: string;
  kind?: "date_range" | "category";
  value: FilterValue;
}

const base = "/api/v1/dashboards";
export const dashboardKeys = {
  all: ["dashboards"] as const,
  list: ["dashboards", "list"] as const,
  one: (id: string) => ["dashboards", "one", id] as const,
  data: (id: string) => ["dashboards", "data", id] as const,
};

export function useDashboards() {
  return useQuery({
    queryKey: dashboardKeys.list,
    queryFn: ({ signal }) => api.get<Page<Dashboard>>(withQuery(base, { limit: 200 }), { signal }),
  });
}

export function useDashboard(id: string) {
  return useQuery({
    queryKey: dashboardKeys.one(id),
    queryFn: ({ signal }) => api.get<DashboardDetail>(`${base}/${id}`, { signal }),
  });
}

/**
 * One widget's data with the dashboard's filters (and `overrides`: cross-filter clicks). Reloads
 * every `refreshSeconds` when the dashboard asks for it; keeps the last result on screen meanwhile.
 */
export function useWidgetData(
  dashboardId: string,
  widget: Pick<Widget, "id" | "updatedAt">,
  filtersKey: string,
  overrides: FilterOverride[],
  refreshSeconds: number | null,
) {
  return useQuery({
    queryKey: [
      ...dashboardKeys.data(dashboardId),
      widget.id,
      widget.updatedAt,
      filtersKey,
      overrides,
    ] as const,
    queryFn: ({ signal }) =>
      api.get<WidgetData>(
        withQuery(`${base}/${dashboardId}/widgets/${widget.id}/data`, {
          filters: overrides.length ? JSON.stringify(overrides) : undefined,
        }),
        { signal },
      ),
    placeholderData: keepPreviousData,
    refetchInterval: refreshSeconds ? refreshSeconds * 1_000 : false,
  });
}

export function useCreateDashboard() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { title: string; description?: string; access?: DashboardAccess }) =>
      api.post<Dashboard>(base, input),
    onSuccess: () => client.invalidateQueries({ queryKey: dashboardKeys.list }),
  });
}

export function useUpdateDashboard(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      patch: Partial<Pick<Dashboard, "title" | "description" | "filters" | "refreshSeconds" | "access">>,
    ) => api.patch<Dashboard>(`${base}/${id}`, patch),
    onSuccess: (updated) => {
      client.setQueryData<DashboardDetail>(dashboardKeys.one(id), (old) =>
        old ? { ...old, ...updated } : old,
      );
      return client.invalidateQueries({ queryKey: dashboardKeys.list });
    },
  });
}

export function useDeleteDashboard() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<null>(`${base}/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: dashboardKeys.all }),
  });
}

export function useDuplicateDashboard() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Dashboard>(`${base}/${id}/duplicate`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: dashboardKeys.list }),
  });
}

export interface WidgetInput {
  kind: WidgetKind;
  title?: string;
  sql?: string;
  sourceId?: string;
  spec?: ChartSpec;
  markdown?: string;
}

export function useAddWidget() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ dashboardId, ...widget }: WidgetInput & { dashboardId: string }) =>
      api.post<Widget>(`${base}/${dashboardId}/widgets`, widget),
    onSuccess: (_widget, { dashboardId }) =>
      client.invalidateQueries({ queryKey: dashboardKeys.one(dashboardId) }),
  });
}

export function useUpdateWidget(dashboardId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ widgetId, ...patch }: Partial<WidgetInput> & { widgetId: string }) =>
      api.patch<Widget>(`${base}/${dashboardId}/widgets/${widgetId}`, patch),
    onSuccess: () => client.invalidateQueries({ queryKey: dashboardKeys.one(dashboardId) }),
  });
}

export function useDeleteWidget(dashboardId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (widgetId: string) => api.delete<null>(`${base}/${dashboardId}/widgets/${widgetId}`),
    onSuccess: () => client.invalidateQueries({ queryKey: dashboardKeys.one(dashboardId) }),
  });
}

export function useSaveLayout(dashboardId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (items: ({ id: string } & WidgetLayout)[]) =>
      api.put<{ items: Widget[] }>(`${base}/${dashboardId}/layout`, { items }),
    onSuccess: ({ items }) =>
      client.setQueryData<DashboardDetail>(dashboardKeys.one(dashboardId), (old) =>
        old ? { ...old, widgets: items } : old,
      ),
  });
}

export function useShareDashboard(dashboardId: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: dashboardKeys.one(dashboardId) });
  return {
    share: useMutation({
      mutationFn: () => api.post<{ token: string; url: string }>(`${base}/${dashboardId}/share`, {}),
      onSuccess: refresh,
    }),
    unshare: useMutation({
      mutationFn: () => api.delete<null>(`${base}/${dashboardId}/share`),
      onSuccess: refresh,
    }),
  };
}

/** The public view of a shared dashboard: no sign-in, widgets without their SQL. */
export function usePublicDashboard(token: string) {
  return useQuery({
    queryKey: ["public-dashboard", token],
    queryFn: ({ signal }) =>
      api.get<Omit<DashboardDetail, "id" | "access" | "shared" | "createdBy" | "createdAt" | "updatedAt">>(
        `/api/v1/public/dashboards/${encodeURIComponent(token)}`,
        { signal },
      ),
    retry: false,
  });
}

export function usePublicWidgetData(
  token: string,
  widget: Pick<Widget, "id" | "updatedAt">,
  refreshSeconds: number | null,
) {
  return useQuery({
    queryKey: ["public-dashboard", token, widget.id, widget.updatedAt],
    queryFn: ({ signal }) =>
      api.get<WidgetData>(
        `/api/v1/public/dashboards/${encodeURIComponent(token)}/widgets/${widget.id}/data`,
        {
          signal,
        },
      ),
    refetchInterval: refreshSeconds ? refreshSeconds * 1_000 : false,
  });
}

/** Downloads a dashboard (PDF, PNG) or a widget's rows (CSV, XLSX), with the filters in effect. */
export function useExport() {
  return useMutation({
    mutationFn: async ({
      path,
      overrides,
      fallbackName,
    }: {
      path: string;
      overrides: FilterOverride[];
      fallbackName: string;
    }) =>
      saveFile(
        await api.download(
          "GET",
          withQuery(`${base}/${path}`, { filters: overrides.length ? JSON.stringify(overrides) : undefined }),
          {
            fallbackName,
          },
        ),
      ),
  });
}

/** The rows behind one bar or slice of a widget (its query for one value of a grouped column). */
export function useDrill(
  dashboardId: string,
  widgetId: string,
  pick: { column: string; value: string } | null,
) {
  return useQuery({
    queryKey: [...dashboardKeys.data(dashboardId), widgetId, "drill", pick] as const,
    queryFn: ({ signal }) =>
      api.get<{ sql: string; columns: ResultColumn[]; rows: Cell[][]; truncated: boolean }>(
        withQuery(`${base}/${dashboardId}/widgets/${widgetId}/drill`, {
          column: pick?.column,
          value: pick?.value,
        }),
        { signal },
      ),
    enabled: pick !== null,
  });
}

export function useDashboardTemplates() {
  return useQuery({
    queryKey: ["dashboard-templates"],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; title: string; description: string }[] }>(`${base}/templates`, {
        signal,
      }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useDashboardFromTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { template: string; table: string }) =>
      api.post<Dashboard>(`${base}/from-template`, input),
    onSuccess: () => client.invalidateQueries({ queryKey: dashboardKeys.list }),
  });
}
