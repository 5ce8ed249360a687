import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { api, saveFile, withQuery } from "./client.ts";
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
  /** Answered from the result cache: the same query over the same data ran before. */
  cached: boolean;
}

export type RowPolicy = Source["rowPolicy"];
export type UploadMode = "replace" | "append";

/** The file types the server loads (readers/formats.ts), for the file picker. */
export const acceptedFiles = ".csv,.tsv,.json,.ndjson,.jsonl,.parquet,.xlsx,.sqlite,.sqlite3,.db,.duckdb";

export type Scalar = string | number | boolean | null;

export interface ColumnProfile {
  name: string;
  type: string;
  nulls: number;
  blanks: number;
  distinct: number;
  approximateDistinct?: boolean;
  min: Scalar;
  max: Scalar;
  top: { value: Scalar; count: number }[];
  /** Numbers and dates only. */
  histogram?: { from: string | number; to: string | number; count: number }[];
  typeMismatches: number;
  expectedType?: "number" | "date";
  mismatchExamples?: string[];
}

export interface TableProfile {
  table: string;
  rows: number;
  duplicateRows: number;
  columns: ColumnProfile[];
}

export interface QualityIssue {
  table: string;
  column?: string;
  kind: "type_mismatch" | "blanks" | "duplicate_rows" | "malformed_rows";
  count: number;
  message: string;
  examples?: (string | number)[];
}

export interface SourceProfile {
  sourceId: string;
  status: SourceStatus;
  version: number;
  /** Null for live database sources, and when profiling failed. */
  profile: TableProfile[] | null;
  quality: QualityIssue[] | null;
  /** The current data's profile is still being computed. */
  profiling: boolean;
}

// Loading a file usually takes seconds: poll briskly, and only while something is still loading.
const liveMs = 1_000;
const pageSize = 50;

export const sourcePath = (id: string) => `/api/v1/sources/${encodeURIComponent(id)}`;

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

export const isDatabase = (source: Pick<Source, "kind">) => source.kind === "database";
export const isLive = (source: Pick<Source, "mode">) => source.mode === "live";

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
function useUpload<T>(
  path: (input: T) => string,
  fields: (input: T) => Record<string, string>,
  file: (input: T) => File,
) {
  const client = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const controller = useRef<AbortController | null>(null);
  const mutation = useMutation({
    mutationFn: (input: T) => {
      const body = new FormData();
      // The server reads fields that come before the file part only.
      for (const [name, value] of Object.entries(fields(input))) body.append(name, value);
      body.append("file", file(input));
      controller.current = new AbortController();
      setProgress({ loaded: 0, total: file(input).size });
      return api.upload<Source>(path(input), body, {
        signal: controller.current.signal,
        onProgress: (loaded, total) => setProgress({ loaded, total }),
      });
    },
    onSettled: () => {
      controller.current = null;
      setProgress(null);
      return client.invalidateQueries({ queryKey: ["sources"] });
    },
  });
  return { ...mutation, progress, cancel: () => controller.current?.abort() };
}

/** A new source from a file; malformed CSV rows fail the load (`reject`) or are set aside (`skip`). */
export function useUploadSource() {
  return useUpload(
    () => "/api/v1/sources",
    (input: { file: File; rowPolicy: RowPolicy }) => ({ rowPolicy: input.rowPolicy }),
    (input) => input.file,
  );
}

/** A new file into an existing source: its data replaced, or the rows appended. */
export function useUploadInto(id: string) {
  return useUpload(
    () => `${sourcePath(id)}/upload`,
    (input: { file: File; mode: UploadMode; rowPolicy: RowPolicy }) => ({
      mode: input.mode,
      rowPolicy: input.rowPolicy,
    }),
    (input) => input.file,
  );
}

/** The rows the last load skipped, as the server's CSV. */
export const quarantinePath = (id: string) => `${sourcePath(id)}/quarantine`;

export function useDownloadQuarantine(id: string) {
  return useMutation({
    mutationFn: async () =>
      saveFile(await api.download("GET", quarantinePath(id), { fallbackName: "skipped-rows.csv" })),
  });
}

/** The profile and quality report of the source's current data (`version` keys it). */
export function useSourceProfile(source: Pick<Source, "id" | "version" | "status">) {
  return useQuery({
    queryKey: ["sources", "profile", source.id, source.version],
    queryFn: ({ signal }) => api.get<SourceProfile>(`${sourcePath(source.id)}/profile`, { signal }),
    enabled: source.status !== "processing",
    refetchInterval: (query) => (query.state.data?.profiling ? liveMs : false),
  });
}

export function useDeleteSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(sourcePath(id)),
    onSettled: () => client.invalidateQueries({ queryKey: ["sources"] }),
  });
}

export interface SqlRun {
  sql: string;
  /** A live database source to run the query in; none: the workspace's warehouse. */
  sourceId?: string | undefined;
}

/** Runs a query under an id of its own, so that `cancel` can stop it on the server. */
export function useRunSql() {
  const running = useRef<string | null>(null);
  const mutation = useMutation({
    mutationFn: async (run: SqlRun) => {
      const queryId = newId();
      running.current = queryId;
      try {
        return await api.post<SqlResult>("/api/v1/sql", {
          sql: run.sql,
          queryId,
          ...(run.sourceId ? { sourceId: run.sourceId } : {}),
        });
      } finally {
        if (running.current === queryId) running.current = null;
      }
    },
  });
  const cancel = () => {
    const queryId = running.current;
    // A query that finished meanwhile answers 404: nothing left to stop.
    if (queryId) api.delete<void>(`/api/v1/sql/${queryId}`).catch(() => undefined);
  };
  return { ...mutation, cancel };
}

export type ExportFormat = "csv" | "xlsx" | "parquet";

/** Downloads a query's whole result as a file; with a live source's id, the query runs in its database. */
export function useExportSql() {
  return useMutation({
    mutationFn: async ({
      sql,
      format,
      sourceId,
    }: {
      sql: string;
      format: ExportFormat;
      sourceId?: string | undefined;
    }) =>
      saveFile(
        await api.download("POST", "/api/v1/sql/export", {
          body: { sql, format, ...(sourceId ? { sourceId } : {}) },
          fallbackName: `query.${format}`,
        }),
      ),
  });
}

/** A v4 UUID; crypto.randomUUID needs a secure context, which a server on plain HTTP is not. */
export function newId(): string {
  if (typeof crypto.randomUUID === "function" && globalThis.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const isCancelled = (error: unknown) => error instanceof DOMException && error.name === "AbortError";
