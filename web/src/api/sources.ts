import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { api, withQuery } from "./client.ts";
import type { Page } from "./types.ts";

export type SourceStatus = "processing" | "ready" | "failed";

/** `type` is Sightline's portable type (integer, decimal, boolean, date, timestamp, text, other). */
export interface ResultColumn {
  name: string;
  type: string;
  sourceType: string;
}

export interface SourceTable {
  name: string;
  rows: number;
  columns: ResultColumn[];
  remoteName?: string;
}

export interface Source {
  id: string;
  name: string;
  kind: "file" | "database";
  format: string;
  sizeBytes: number;
  mode: "live" | "import" | null;
  connection: Record<string, string | number | boolean> | null;
  refreshCron: string | null;
  lastRefreshedAt: string | null;
  rowPolicy: "reject" | "skip";
  rejectedRows: number;
  hasQuarantine: boolean;
  status: SourceStatus;
  error: string | null;
  tables: SourceTable[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type Cell = string | number | boolean | null;

export interface QueryResult {
  columns: ResultColumn[];
  rows: Cell[][];
  truncated: boolean;
  durationMs: number;
}

export interface SqlResult extends QueryResult {
  sql: string;
}

/** The file types the server loads, for the file picker. */
export const acceptedFiles = ".csv,.tsv,.json,.ndjson,.jsonl,.parquet";

// Loading a file usually takes seconds: poll briskly, and only while something is still loading.
const liveMs = 1_000;
const pageSize = 50;

const sourcePath = (id: string) => `/api/v1/sources/${encodeURIComponent(id)}`;

export function useSources() {
  return useInfiniteQuery({
    queryKey: ["sources", "list"],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Source>>(withQuery("/api/v1/sources", { limit: pageSize, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((source) => source.status === "processing"))
        ? liveMs
        : false,
  });
}

export function useSource(id: string) {
  return useQuery({
    queryKey: ["sources", "detail", id],
    queryFn: ({ signal }) => api.get<Source>(sourcePath(id), { signal }),
    refetchInterval: (query) => (query.state.data?.status === "processing" ? liveMs : false),
  });
}

/** The first rows of one table; `version` keys the cache so reloaded data is fetched afresh. */
export function useSourcePreview(
  source: Pick<Source, "id" | "version"> | undefined,
  table: string | undefined,
) {
  return useQuery({
    queryKey: ["sources", "preview", source?.id, source?.version, table],
    queryFn: ({ signal }) =>
      api.get<QueryResult>(withQuery(`${sourcePath(source?.id ?? "")}/preview`, { table, limit: 100 }), {
        signal,
      }),
    enabled: Boolean(source && table),
  });
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** Uploads one file, with how much of it has gone out so far in `progress` and a way to cancel. */
export function useUploadSource() {
  const client = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const controller = useRef<AbortController | null>(null);
  const mutation = useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append("file", file);
      controller.current = new AbortController();
      setProgress({ loaded: 0, total: file.size });
      return api.upload<Source>("/api/v1/sources", body, {
        signal: controller.current.signal,
        onProgress: (loaded, total) => setProgress({ loaded, total }),
      });
    },
    onSettled: () => {
      controller.current = null;
      setProgress(null);
      return client.invalidateQueries({ queryKey: ["sources", "list"] });
    },
  });
  return { ...mutation, progress, cancel: () => controller.current?.abort() };
}

export function useDeleteSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(sourcePath(id)),
    onSettled: () => client.invalidateQueries({ queryKey: ["sources"] }),
  });
}

export function useRunSql() {
  return useMutation({
    mutationFn: (sql: string) => api.post<SqlResult>("/api/v1/sql", { sql }),
  });
}

export const isCancelled = (error: unknown) => error instanceof DOMException && error.name === "AbortError";
