import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import type { Page } from "./types.ts";

export interface RelationshipPair {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
}

export type RelationshipStatus = "active" | "dismissed";

export interface Relationship extends RelationshipPair {
  id: string;
  origin: "detected" | "manual";
  status: RelationshipStatus;
  /** Detected ones: the share (0–1) of the referring column's values found in the referred one. */
  confidence: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Detection {
  found: Relationship[];
  added: number;
  removed: number;
}

const base = "/api/v1/relationships";
const key = ["relationships"];

export function useRelationships(status?: RelationshipStatus) {
  return useInfiniteQuery({
    queryKey: [...key, "list", status ?? "all"],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Relationship>>(withQuery(base, { limit: 100, cursor: pageParam, status }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateRelationship() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (pair: RelationshipPair) => api.post<Relationship>(base, pair),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useDetectRelationships() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Detection>(`${base}/detect`),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useSetRelationshipStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: RelationshipStatus }) =>
      api.patch<Relationship>(`${base}/${encodeURIComponent(id)}`, { status }),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useDeleteRelationship() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`${base}/${encodeURIComponent(id)}`),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
}
