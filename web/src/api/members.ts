import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Invitation, InvitationLookup, Member, Role, WorkspaceMembership } from "./auth-types.ts";
import { api, withQuery } from "./client.ts";
import type { Page } from "./types.ts";

const pageSize = 100;

export function useMembers() {
  return useInfiniteQuery({
    queryKey: ["members"],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Member>>(withQuery("/api/v1/members", { limit: pageSize, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useChangeRole() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      api.patch<Member>(`/api/v1/members/${encodeURIComponent(userId)}`, { role }),
    onSettled: () => client.invalidateQueries({ queryKey: ["members"] }),
  });
}

/** Removes a member; with the caller's own id, leaves the workspace. */
export function useRemoveMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.delete<void>(`/api/v1/members/${encodeURIComponent(userId)}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["members"] }),
  });
}

export function useInvitations(options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: ["invitations"],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Invitation>>(withQuery("/api/v1/invitations", { limit: pageSize, cursor: pageParam }), {
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    ...options,
  });
}

export function useInvite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) => api.post<Invitation>("/api/v1/invitations", body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["invitations"] }),
  });
}

export function useRevokeInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/v1/invitations/${encodeURIComponent(id)}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["invitations"] }),
  });
}

export function useResendInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Invitation>(`/api/v1/invitations/${encodeURIComponent(id)}/resend`),
    onSettled: () => client.invalidateQueries({ queryKey: ["invitations"] }),
  });
}

export function useInvitationLookup(token: string) {
  return useQuery({
    queryKey: ["invitations", "lookup", token],
    queryFn: ({ signal }) =>
      api.get<InvitationLookup>(withQuery("/api/v1/invitations/lookup", { token }), { signal }),
  });
}

export function useAcceptInvitation() {
  return useMutation({
    mutationFn: (token: string) => api.post<WorkspaceMembership>("/api/v1/invitations/accept", { token }),
  });
}
