import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useAsk, useConversation, useUpdateConversation } from "../../api/ask.ts";
import { ApiError } from "../../api/client.ts";
import { type LiveEvent, useLiveEvents } from "../../api/events.ts";
import { useSources } from "../../api/sources.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Tabs } from "../../components/Tabs.tsx";
import { AnswerCard } from "./AnswerCard.tsx";
import { AskProgress, type AskStage } from "./AskProgress.tsx";
import { Composer } from "./Composer.tsx";
import { ConversationList } from "./ConversationList.tsx";
import { exampleQuestions } from "./examples.ts";
import { SavedQueries } from "./SavedQueries.tsx";

const askEvents = ["agent_typing", "agent_update", "agent_response", "error"] as const;

const stageOf = (event: LiveEvent): AskStage | undefined => {
  if (event.type === "agent_typing") return "typing";
  if (event.type === "agent_response" || event.type === "error") return "done";
  const stage = event.data.stage;
  return stage === "planning" || stage === "running_sql" || stage === "building_chart" ? stage : undefined;
};

/** Questions in plain language, answered in a conversation; conversations and saved queries beside. */
export function AskPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const conversationId = params.get("c") ?? undefined;
  const conversation = useConversation(conversationId);
  const [draft, setDraft] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const pendingCard = useRef<HTMLDivElement>(null);

  // The conversation a question is running in, and how far it got (from the live events).
  const askingIn = useRef<string | undefined>(undefined);
  const [stage, setStage] = useState<AskStage | null>(null);
  const ask = useAsk({
    onConversation: (id) => {
      askingIn.current = id;
      setParams({ c: id });
    },
  });

  useLiveEvents(session.currentWorkspaceId, askEvents, (event) => {
    if (event.data.userId !== session.user.id || event.data.conversationId !== askingIn.current) return;
    const next = stageOf(event);
    if (next) setStage(next);
  });

  const askQuestion = (
    question: string,
    where: string | undefined,
    clarification?: { answerId: string; option: number },
  ) => {
    askingIn.current = where;
    setStage(null);
    ask.mutate({ question, conversationId: where, clarification });
  };
  const inThisConversation = (question: string) => askQuestion(question, conversationId);
  const clarify = (answerId: string, option: number, question: string) =>
    askQuestion(question, conversationId, { answerId, option });
  const rephrase = (question: string) => {
    setDraft(question);
    input.current?.focus();
  };

  const pending = ask.isPending && askingIn.current === conversationId ? ask.variables : undefined;
  useEffect(() => {
    if (pending) pendingCard.current?.scrollIntoView({ block: "nearest" });
  }, [pending]);

  const mine = !conversation.data || conversation.data.userId === session.user.id;
  const storedFailure = ask.error instanceof ApiError && Boolean(ask.error.extensions.answerId);
  const canWrite = canWriteData(session.role);

  return (
    <>
      <PageHeader
        title="Ask"
        description="Ask about your data in plain language: each answer shows its SQL, a chart and the rows."
        actions={
          <Link to="/ask" className="button" onClick={() => setDraft("")}>
            <Icon name="plus" />
            New conversation
          </Link>
        }
      />
      <div className="ask-layout">
        <aside className="ask-sidebar" aria-label="Conversations and saved queries">
          <Tabs
            label="Ask sidebar"
            tabs={[
              {
                id: "conversations",
                label: "Conversations",
                content: (
                  <ConversationList
                    currentId={conversationId}
                    onDeleted={(id) => {
                      if (id === conversationId) navigate("/ask");
                    }}
                  />
                ),
              },
              {
                id: "saved",
                label: "Saved",
                content: <SavedQueries onAsk={(question) => askQuestion(question, undefined)} />,
              },
            ]}
          />
        </aside>
        <section className="ask-main" aria-label="Conversation">
          {conversationId ? (
            conversation.isPending ? (
              <Loading />
            ) : conversation.isError ? (
              <ErrorState error={conversation.error} onRetry={() => conversation.refetch()} />
            ) : (
              <>
                <ConversationHeader
                  id={conversation.data.id}
                  title={conversation.data.title}
                  shared={conversation.data.shared}
                  canShare={mine && canWrite}
                />
                <div className="ask-thread">
                  {conversation.data.answers.map((entry) => (
                    <AnswerCard
                      key={entry.id}
                      entry={entry}
                      conversationId={conversation.data.id}
                      onAsk={mine ? inThisConversation : undefined}
                      onClarify={mine ? clarify : undefined}
                      onRephrase={mine ? rephrase : undefined}
                      canVerify={canWrite}
                    />
                  ))}
                </div>
              </>
            )
          ) : (
            !pending && <Examples onAsk={(question) => askQuestion(question, undefined)} />
          )}
          {pending && (
            <div ref={pendingCard}>
              <AskProgress question={pending.question} stage={stage} />
            </div>
          )}
          {ask.isError && !storedFailure && askingIn.current === conversationId && (
            <ErrorState error={ask.error} />
          )}
          {mine ? (
            <Composer
              onAsk={inThisConversation}
              busy={ask.isPending}
              draft={draft}
              setDraft={setDraft}
              inputRef={input}
              placeholder={conversationId ? "Ask a follow-up…" : "Ask a question about your data…"}
            />
          ) : (
            <p className="muted small">
              A conversation shared with you: read it here, ask in one of your own.
            </p>
          )}
        </section>
      </div>
    </>
  );
}

function ConversationHeader({
  id,
  title,
  shared,
  canShare,
}: {
  id: string;
  title: string;
  shared: boolean;
  canShare: boolean;
}) {
  const update = useUpdateConversation();
  const [copied, setCopied] = useState(false);
  const copyLink = () =>
    navigator.clipboard
      ?.writeText(`${location.origin}/ask?c=${id}`)
      .then(() => setCopied(true))
      .catch(() => undefined);
  return (
    <div className="ask-conversation-header">
      <h2 className="ask-conversation-title">{title}</h2>
      <div className="ask-conversation-actions">
        {shared && <span className="badge badge-info">Shared with the workspace</span>}
        {shared && (
          <button type="button" className="button button-small" onClick={copyLink}>
            <Icon name={copied ? "check" : "copy"} />
            {copied ? "Link copied" : "Copy link"}
          </button>
        )}
        {canShare && (
          <button
            type="button"
            className="button button-small"
            disabled={update.isPending}
            onClick={() => update.mutate({ id, shared: !shared })}
          >
            <Icon name="share" />
            {shared ? "Stop sharing" : "Share conversation"}
          </button>
        )}
      </div>
      {update.isError && <ErrorState error={update.error} />}
    </div>
  );
}

/** The empty state: example questions over the workspace's own tables, or where to add data first. */
function Examples({ onAsk }: { onAsk: (question: string) => void }) {
  const sources = useSources();
  if (sources.isPending) return <Loading />;
  if (sources.isError) return <ErrorState error={sources.error} onRetry={() => sources.refetch()} />;
  const examples = exampleQuestions(sources.data.pages.flatMap((page) => page.items));
  if (examples.length === 0) {
    return (
      <EmptyState
        icon="chat"
        title="Nothing to ask about yet"
        description="Questions are answered over this workspace's tables. Add a file or a database first."
        action={
          <Link to="/sources" className="button button-primary">
            Add data
          </Link>
        }
      />
    );
  }
  return (
    <div className="ask-empty">
      <EmptyState
        icon="chat"
        title="Ask a question about your data"
        description="Type a question below, or start with one of these:"
      />
      <nav className="chip-row ask-examples" aria-label="Example questions">
        {examples.map((example) => (
          <button key={example} type="button" className="chip" onClick={() => onAsk(example)}>
            {example}
          </button>
        ))}
      </nav>
    </div>
  );
}
