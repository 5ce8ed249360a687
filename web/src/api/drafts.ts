import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "./client.ts";
import type { Page } from "./types.ts";

export type DraftStatus = "queued" | "generating" | "ready" | "revising" | "approved" | "rejected" | "failed";

export interface ThreadMessage {
  sender: string;
  role: "client" | "agent";
  content: string;
  sentAt: string;
}

export interface Draft {
  id: string;
  user: string;
  status: DraftStatus;
  version: number;
  error: string | null;
  rejectReason: string | null;
  emailed: boolean;
  thread: {
    user: string;
    threadId: string | null;
    channel: string | null;
    subject: string | null;
    messages: ThreadMessage[];
  };
  versions: {
    version: number;
    subject: string;
    body: string;
    summaryOfChanges: string;
    feedback: string | null;
    engine: string;
    createdAt: string;
  }[];
  feedback: { version: number; feedback: string; createdAt: string }[];
  createdAt: string;
  updatedAt: string;
}

const working = (status: DraftStatus | undefined) =>
  status === "queued" || status === "generating" || status === "revising";
const keys = { list: ["drafts"] as const, one: (id: string) => ["drafts", id] as const };

export function useDrafts() {
  return useQuery({
    queryKey: keys.list,
    queryFn: ({ signal }) =>
      api.get<Page<Draft>>(withQuery("/api/v1/draft-messages", { limit: 100 }), { signal }),
    refetchInterval: (query) =>
      query.state.data?.items.some((draft) => working(draft.status)) ? 1_000 : false,
  });
}

/** One draft; polled while a version is being made (the WebSocket's draft_ready also refreshes it). */
export function useDraft(id: string | null) {
  return useQuery({
    queryKey: keys.one(id ?? ""),
    queryFn: ({ signal }) => api.get<Draft>(`/api/v1/draft-messages/${id}`, { signal }),
    enabled: Boolean(id),
    refetchInterval: (query) => (working(query.state.data?.status) ? 700 : false),
  });
}

export function useDraftActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: keys.list });
  return {
    send: useMutation({
      mutationFn: (input: { user: string; subject?: string; messages: ThreadMessage[] }) =>
        api.post<{ draftId: string; status: "queued" }>("/api/v1/send-messages", input),
      onSuccess: refresh,
    }),
    feedback: useMutation({
      mutationFn: (input: { draftId: string; feedback: string }) =>
        api.post("/api/v1/process-feedback", input),
      onSuccess: refresh,
    }),
    approve: useMutation({
      mutationFn: (input: { draftId: string; send: boolean }) =>
        api.post<Draft>("/api/v1/approve-draft", input),
      onSuccess: refresh,
    }),
    reject: useMutation({
      mutationFn: (input: { draftId: string; reason?: string }) =>
        api.post<Draft>("/api/v1/reject-draft", input),
      onSuccess: refresh,
    }),
    retry: useMutation({
      mutationFn: (draftId: string) => api.post<Draft>("/api/v1/retry-draft", { draftId }),
      onSuccess: refresh,
    }),
  };
}

/**
 * A pasted thread read into messages: blocks separated by a blank line, each starting with
 * "Name <address>:" or "From: …" on its first line; lines from "me:" or "us:" are ours.
 */
export function parseThread(text: string, now = new Date()): ThreadMessage[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block, index) => {
      const [first = "", ...rest] = block.split("\n");
      const header = /^(?:from:\s*)?([^:\n]{1,120}):\s*(.*)$/i.exec(first);
      const sender = header?.[1]?.trim() ?? "client";
      const ours = /^(me|us|we|agent|support)$/i.test(sender);
      const content = [header ? (header[2] ?? "") : first, ...rest].join("\n").trim();
      return {
        sender,
        role: ours ? ("agent" as const) : ("client" as const),
        content,
        sentAt: new Date(now.getTime() - 60_000 * (100 - index)).toISOString(),
      };
    });
}

export interface Guidelines {
  tone: string;
  signature: string;
  dos: string[];
  donts: string[];
}

export function useGuidelines() {
  const client = useQueryClient();
  return {
    current: useQuery({
      queryKey: ["draft-guidelines"],
      queryFn: ({ signal }) => api.get<Guidelines>("/api/v1/draft-guidelines", { signal }),
    }),
    save: useMutation({
      mutationFn: (input: Guidelines) => api.put<Guidelines>("/api/v1/draft-guidelines", input),
      onSuccess: (saved) => client.setQueryData(["draft-guidelines"], saved),
    }),
  };
}
