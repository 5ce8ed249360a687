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

/** A conversation as the sidebar lists it: how many questions it holds and the last one. */
export interface ConversationItem extends Conversation {
  answers: number;
  lastQuestion: string | null;
}

/** A statement edited and re-run under an answer, with its result. */
export interface EditedSql {
  sql: string;
  columns: ResultColumn[];
  rows: Cell[][];
  truncated: boolean;
}

/** The caller's history entry of an answered question: what Save, Favorite and Verify change. */
export interface AnswerQuery {
  id: string;
  sql: string;
  saved: boolean;
  favorite: boolean;
  verified: boolean;
  shared: boolean;
}

/** One question of a conversation: its answer, or why it got none. */
export interface AnswerEntry {
  id: string;
  question: string;
  sourceId: string | null;
  answer: AskAnswer | null;
  error: { code: string; message: string; reason?: string } | null;
  /** Its author's edited SQL and that statement's result, kept with the answer. */
  edited: EditedSql | null;
  /** Your history entry of it; null in other people's conversations. */
  query: AnswerQuery | null;
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
  /** Saved by its author; false for an entry only recorded in the history. */
  saved: boolean;
  favorite: boolean;
  shared: boolean;
  verified: boolean;
  verifiedBy: string | null;
  verifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The Saved tab's lists: your history, your saved pairs and favorites, the workspace's verified or shared ones. */
export type SavedFilter = "all" | "saved" | "favorite" | "verified" | "shared";

const pageSize = 30;
const conversationPath = (id: string) => `/api/v1/conversations/${encodeURIComponent(id)}`;
const queryPath = (id: string) => `/api/v1/queries/${encodeURIComponent(id)}`;

export const askKeys = {
  conversations: ["ask", "conversations"] as const,
  conversation: (id: string) => ["ask", "conversation", id] as const,
  anyConversation: ["ask", "conversation"] as const,
  queries: ["ask", "queries"] as const,
};

export function useConversations() {
  return useInfiniteQuery({
    queryKey: askKeys.conversations,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ConversationItem>>(
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
  /** Shown while it runs; with `clarification`, the clarified question (the server asks it again). */
  question: string;
  /** None: a new conversation, titled by the question. */
  conversationId?: string | undefined;
  /** The chosen reading of an answer's clarification: its SQL runs exactly. */
  clarification?: { answerId: string; option: number } | undefined;
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
        const answered = await api.post<AskAnswer & { answerId: string }>(
          "/api/v1/ask",
          request.clarification
            ? { clarification: request.clarification, conversationId }
            : { question: request.question, conversationId },
        );
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

/** Re-runs an answer of yours with edited SQL (`null`: back to the answer); the result is kept with it. */
export function useEditAnswer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      conversationId,
      answerId,
      sql,
    }: {
      conversationId: string;
      answerId: string;
      sql: string | null;
    }) =>
      api.patch<AnswerEntry>(`${conversationPath(conversationId)}/answers/${encodeURIComponent(answerId)}`, {
        sql,
      }),
    onSuccess: (entry, { conversationId }) =>
      client.setQueryData<ConversationDetail>(askKeys.conversation(conversationId), (old) =>
        old ? { ...old, answers: old.answers.map((item) => (item.id === entry.id ? entry : item)) } : old,
      ),
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
  sql?: string;
  saved?: boolean;
  favorite?: boolean;
  verified?: boolean;
  shared?: boolean;
}

/** Saves a new question → SQL pair (a card without a history entry of yours: someone else's conversation). */
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

/** Saves, favorites or verifies a pair; an answer card's history entry too, so conversations are read again. */
export function useUpdateQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: QueryChange & { id: string }) =>
      api.patch<SavedQuery>(queryPath(id), change),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: askKeys.queries }),
        client.invalidateQueries({ queryKey: askKeys.anyConversation }),
      ]),
  });
}

export function useDeleteQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(queryPath(id)),
    onSettled: () => client.invalidateQueries({ queryKey: askKeys.queries }),
  });
}
