import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import type { Page } from "./types.ts";

export type AlertCondition =
  | { kind: "threshold"; column?: string; op: ">" | ">=" | "<" | "<="; value: number }
  | { kind: "change"; column?: string; percent: number; direction: "up" | "down" | "any" }
  | { kind: "anomaly"; column?: string }
  | { kind: "has_rows" };

export interface Alert {
  id: string;
  name: string;
  question: string;
  sql: string;
  sourceId: string | null;
  condition: AlertCondition;
  cron: string;
  timezone: string;
  recipients: string[];
  enabled: boolean;
  snoozedUntil: string | null;
  lastValue: number | null;
  lastCheckedAt: string | null;
  createdAt: string;
}

export interface HistoryItem {
  id: string;
  status: "sent" | "failed";
  message: string;
  value?: number | null;
  createdAt: string;
}

export type SubscriptionTarget =
  | { kind: "dashboard"; dashboardId: string }
  | { kind: "query"; title: string; sql: string; sourceId?: string };

export interface Subscription {
  id: string;
  name: string;
  target: SubscriptionTarget;
  format: "pdf" | "png" | "csv";
  cron: string;
  timezone: string;
  enabled: boolean;
  createdAt: string;
}

const keys = { alerts: ["alerts"] as const, subscriptions: ["subscriptions"] as const };

export function useAlerts() {
  return useQuery({
    queryKey: keys.alerts,
    queryFn: ({ signal }) => api.get<Page<Alert>>(withQuery("/api/v1/alerts", { limit: 200 }), { signal }),
  });
}

export function useAlertHistory(id: string | null) {
  return useQuery({
    queryKey: ["alerts", "firings", id],
    queryFn: ({ signal }) =>
      api.get<Page<HistoryItem>>(withQuery(`/api/v1/alerts/${id}/firings`, { limit: 20 }), { signal }),
    enabled: Boolean(id),
  });
}

export function useAlertActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: keys.alerts });
  return {
    create: useMutation({
      mutationFn: (
        input: Omit<
          Alert,
          | "id"
          | "enabled"
          | "snoozedUntil"
          | "lastValue"
          | "lastCheckedAt"
          | "createdAt"
          | "recipients"
          | "timezone"
          | "sourceId"
        > & { sourceId?: string },
      ) => api.post<Alert>("/api/v1/alerts", input),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...patch }: { id: string; enabled?: boolean }) =>
        api.patch<Alert>(`/api/v1/alerts/${id}`, patch),
      onSuccess: refresh,
    }),
    snooze: useMutation({
      mutationFn: ({ id, until }: { id: string; until: string | null }) =>
        api.post<Alert>(`/api/v1/alerts/${id}/snooze`, { until }),
      onSuccess: refresh,
    }),
    check: useMutation({
      mutationFn: (id: string) => api.post<{ jobId: string }>(`/api/v1/alerts/${id}/check`, {}),
      onSuccess: () => client.invalidateQueries({ queryKey: ["alerts"] }),
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete<null>(`/api/v1/alerts/${id}`),
      onSuccess: refresh,
    }),
  };
}

export function useSubscriptions() {
  return useQuery({
    queryKey: keys.subscriptions,
    queryFn: ({ signal }) =>
      api.get<Page<Subscription>>(withQuery("/api/v1/subscriptions", { limit: 200 }), { signal }),
  });
}

export function useSubscriptionActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: keys.subscriptions });
  return {
    create: useMutation({
      mutationFn: (input: {
        name: string;
        target: SubscriptionTarget;
        format: Subscription["format"];
        cron: string;
      }) => api.post<Subscription>("/api/v1/subscriptions", input),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...patch }: { id: string; enabled?: boolean }) =>
        api.patch<Subscription>(`/api/v1/subscriptions/${id}`, patch),
      onSuccess: refresh,
    }),
    send: useMutation({
      mutationFn: (id: string) => api.post<{ jobId: string }>(`/api/v1/subscriptions/${id}/send`, {}),
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete<null>(`/api/v1/subscriptions/${id}`),
      onSuccess: refresh,
    }),
  };
}

/** Schedules people pick from; any cron expression works through the API. */
export const scheduleOptions = [
  { value: "hourly", label: "Every hour" },
  { value: "0 8 * * *", label: "Every day at 08:00 UTC" },
  { value: "0 8 * * 1", label: "Every Monday at 08:00 UTC" },
  { value: "0 8 1 * *", label: "The 1st of every month at 08:00 UTC" },
];
export const scheduleLabel = (cron: string) =>
  scheduleOptions.find((option) => option.value === cron)?.label ?? cron;
