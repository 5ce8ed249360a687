import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, withQuery } from "./client.ts";
import type { Cell, ResultColumn } from "./sources.ts";
import type { Page } from "./types.ts";

export type ChartKind = "number" | "bar" | "line" | "area" | "pie" | "scatter" | "table";

export interface ChartSpec {
  kind: ChartKind;
  /** The result column on the x axis (or the categories). */
  x?: string;
  /** Result columns plotted as values. */
  y?: string[];
  /** A second dimension drawn as series. */
  series?: string;
  title: string;
}

export interface Clarification {
  question: string;
  options: { label: string; sql: string }[];
}

/** What `POST /ask` answers and a conversation stores (the query plan is left out: the web does not read it). */
export interface AskAnswer {
  question: string;
  sql: string;
  explanation: string;
  confidence: number;
  columns: ResultColumn[];
  rows: Cell[][];
  truncated: boolean;
  chart: ChartSpec;
  followups: string[];
  clarification?: Clarification;
  engine: "offline" | "llm";
  disagreement?: string;
}

export interface Conversation {
  id: string;
  title: string;
  shared: boolean;
  userId: string;
  createdAt: string;
  updatedAt: string;
}

/** One question of a conversation: its answer, or why it got none. */
export interface AnswerEntry {
  id: string;
  question: string;
  sourceId: string | null;
  answer: AskAnswer | null;
  error: { code: string; message: string; reason?: string } | null;
  durationMs: number;
  createdAt: string;
}

export interface ConversationDetail extends Conversation {
  answers: AnswerEntry[];
}

export interface SavedQuery {
  id: string;
  question: string;
  sql: string;
  sourceId: string | null;
  answerId: string | null;
  userId: string;
  favorite: boolean;
  shared: boolean;
  verified: boolean;
  verifiedBy: string | null;
  verifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The Saved tab's lists: your history, your favorites, the workspace's verified or shared pairs. */
export type SavedFilter = "all" | "favorite" | "verified" | "shared";

const pageSize = 30;
const conversationPath = (id: string) => `/api/v1/conversations/${encodeURIComponent(id)}`;
const queryPath = (id: string) => `/api/v1/queries/${encodeURIComponent(id)}`;

export const askKeys = {
  conversations: ["ask", "conversations"] as const,
  conversation: (id: string) => ["ask", "conversation", id] as const,
  queries: ["ask", "queries"] as const,
};

export function useConversations() {
  return useInfiniteQuery({
    queryKey: askKeys.conversations,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Conversation>>(
        withQuery("/api/v1/conversations", { limit: pageSize, cursor: pageParam }),
        {
          signal,
        },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useConversation(id: string | undefined) {
  return useQuery({
    queryKey: askKeys.conversation(id ?? ""),
    queryFn: ({ signal }) => api.get<ConversationDetail>(conversationPath(id ?? ""), { signal }),
    enabled: Boolean(id),
  });
}

export interface AskRequest {
  question: string;
  /** None: a new conversation, titled by the question. */
  conversationId?: string | undefined;
}

/**
 * Asks a question. A new conversation is created first, so that its progress events can be told
 * apart from the start; the mutation settles once the conversation (with the answer, or the stored
 * error) has been read back, so the thread never flickers between the pending and the answered card.
 */
export function useAsk(callbacks: { onConversation: (id: string) => void }) {
  const client = useQueryClient();
  const readBack = (id: string) =>
    client.fetchQuery({
      queryKey: askKeys.conversation(id),
      queryFn: () => api.get<ConversationDetail>(conversationPath(id)),
      staleTime: 0,
    });
  return useMutation({
    mutationFn: async (request: AskRequest) => {
      let conversationId = request.conversationId;
      if (!conversationId) {
        conversationId = (await api.post<Conversation>("/api/v1/conversations", { title: request.question }))
          .id;
        callbacks.onConversation(conversationId);
        void client.invalidateQueries({ queryKey: askKeys.conversations });
      }
      try {
        const answered = await api.post<AskAnswer & { answerId: string }>("/api/v1/ask", {
          question: request.question,
          conversationId,
        });
        await readBack(conversationId);
        return answered;
      } catch (error) {
        // A refused or failed question is stored in the conversation: show it there.
        if (error instanceof ApiError && error.extensions.answerId) await readBack(conversationId);
        throw error;
      }
    },
    onSettled: () => client.invalidateQueries({ queryKey: askKeys.conversations }),
  });
}

/** Renames or shares a conversation of yours. */
export function useUpdateConversation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; title?: string; shared?: boolean }) =>
      api.patch<Conversation>(conversationPath(id), patch),
    onSuccess: (updated) => {
      client.setQueryData<ConversationDetail>(askKeys.conversation(updated.id), (old) =>
        old ? { ...old, ...updated } : old,
      );
      return client.invalidateQueries({ queryKey: askKeys.conversations });
    },
  });
}

export function useDeleteConversation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(conversationPath(id)),
    onSuccess: (_, id) => {
      client.removeQueries({ queryKey: askKeys.conversation(id) });
      return client.invalidateQueries({ queryKey: askKeys.conversations });
    },
  });
}

const filterQuery = (filter: SavedFilter) => (filter === "all" ? {} : { [filter]: "true" });

export function useSavedQueries(filter: SavedFilter) {
  return useInfiniteQuery({
    queryKey: [...askKeys.queries, filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<SavedQuery>>(
        withQuery("/api/v1/queries", { limit: pageSize, cursor: pageParam, ...filterQuery(filter) }),
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export interface QueryChange {
  favorite?: boolean;
  verified?: boolean;
  shared?: boolean;
}

/** Saves a question → SQL pair (an answer card's Save; Favorite and Verify save it first). */
export function useSaveQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { question: string; sql: string; sourceId?: string | null; favorite?: boolean }) =>
      api.post<SavedQuery>("/api/v1/queries", {
        question: input.question,
        sql: input.sql,
        ...(input.sourceId ? { sourceId: input.sourceId } : {}),
        ...(input.favorite ? { favorite: true } : {}),
      }),
    onSettled: () => client.invalidateQueries({ queryKey: askKeys.queries }),
  });
}

export function useUpdateQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: QueryChange & { id: string }) =>
      api.patch<SavedQuery>(queryPath(id), change),
    onSettled: () => client.invalidateQueries({ queryKey: askKeys.queries }),
  });
}

export function useDeleteQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(queryPath(id)),
    onSettled: () => client.invalidateQueries({ queryKey: askKeys.queries }),
  });
}
