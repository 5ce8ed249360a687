import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AccountType,
  CodeSent,
  Device,
  LoginResult,
  Me,
  OtpPurpose,
  Registered,
  Session,
  SetupStatus,
} from "./auth-types.ts";
import { ApiError, api, withQuery } from "./client.ts";
import { getWorkspaceId, setWorkspaceId } from "./current-workspace.ts";
import type { Page } from "./types.ts";

export const meKey = ["auth", "me"] as const;
export const setupKey = ["setup"] as const;

export function useSetupStatus() {
  return useQuery({
    queryKey: setupKey,
    queryFn: ({ signal }) => api.get<SetupStatus>("/api/v1/setup", { signal }),
    staleTime: 60_000,
  });
}

export function useSetup() {
  return useMutation({
    mutationFn: (body: { email: string; password: string; name: string; workspaceName?: string }) =>
      api.post<Session>("/api/v1/setup", body),
  });
}

/** Who is signed in, and in which workspace. A workspace the user has left is forgotten, then asked again. */
async function fetchMe(signal: AbortSignal): Promise<Me> {
  const ask = () => api.get<Me>("/api/v1/auth/me", { signal });
  const asked = getWorkspaceId();
  let me: Me;
  try {
    me = await ask();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404 && asked)) throw error;
    setWorkspaceId(null);
    me = await ask();
  }
  // The server answers "no current workspace" for one the user left or deleted elsewhere; forget it
  // and take the server's choice, unless the user has switched since asking.
  if (me.currentWorkspaceId === null && asked && getWorkspaceId() === asked && me.workspaces.length > 0) {
    setWorkspaceId(null);
    me = await ask();
  }
  // Only when none is chosen: an answer still in flight from before a switch must not undo it.
  if (!getWorkspaceId()) setWorkspaceId(me.currentWorkspaceId);
  return me;
}

export function useMe(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: meKey,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 60_000,
    ...options,
  });
}

export function useRegister() {
  return useMutation({
    mutationFn: (body: { email: string; password: string; name: string; accountType: AccountType }) =>
      api.post<Registered>("/api/v1/auth/register", body),
  });
}

export function useVerifyRegistration() {
  return useMutation({
    mutationFn: (body: { email: string; code: string }) =>
      api.post<Session>("/api/v1/auth/verify-registration", body),
  });
}

export function useLogin() {
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api.post<LoginResult>("/api/v1/auth/login", body),
  });
}

export function useVerifyLogin() {
  return useMutation({
    mutationFn: (body: { email: string; code: string; trustDevice?: boolean }) =>
      api.post<Session>("/api/v1/auth/verify-login", body),
  });
}

export function useResendCode() {
  return useMutation({
    mutationFn: (body: { email: string; purpose: OtpPurpose }) =>
      api.post<CodeSent>("/api/v1/auth/resend-otp", body),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: { email: string }) => api.post<CodeSent>("/api/v1/auth/password-reset/request", body),
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (body: { email: string; code: string; password: string }) =>
      api.post<{ message: string }>("/api/v1/auth/password-reset/confirm", body),
  });
}

export function useLogout() {
  return useMutation({
    mutationFn: () => api.post<void>("/api/v1/auth/logout"),
  });
}

export function useDevices() {
  return useInfiniteQuery({
    queryKey: ["auth", "devices"],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Device>>(withQuery("/api/v1/auth/devices", { limit: 50, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useRevokeDevice() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/v1/auth/devices/${encodeURIComponent(id)}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["auth", "devices"] }),
  });
}

/** Works in another workspace from now on: every workspace's data is fetched again, the session kept. */
export function useSwitchWorkspace() {
  const client = useQueryClient();
  return async (id: string) => {
    setWorkspaceId(id);
    const userLevel = new Set(["auth", "setup", "system"]);
    await Promise.all([
      client.resetQueries({ predicate: (query) => !userLevel.has(String(query.queryKey[0])) }),
      client.invalidateQueries({ queryKey: meKey }),
    ]);
  };
}
