import { diffLines } from "diff";
import { type FormEvent, useState } from "react";
import {
  type Draft,
  type DraftStatus,
  type Guidelines as GuidelinesInput,
  parseThread,
  useDraft,
  useDraftActions,
  useDrafts,
  useGuidelines,
} from "../../api/drafts.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { TextAreaField, TextField } from "../../components/Field.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { Time } from "../../components/Time.tsx";

const statusLabels: Record<DraftStatus, string> = {
  queued: "Queued",
  generating: "Drafting…",
  ready: "Ready",
  revising: "Revising…",
  approved: "Approved",
  rejected: "Rejected",
  failed: "Failed",
};

function PasteThread({ onSent }: { onSent: (id: string) => void }) {
  const { send } = useDraftActions();
  const session = useSession();
  const [subject, setSubject] = useState("");
  const [text, setText] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await send.mutateAsync({
      user: session.user.email,
      ...(subject ? { subject } : {}),
      messages: parseThread(text),
    });
    setText("");
    setSubject("");
    onSent(answer.draftId);
  };
  return (
    <form className="card form paste-thread" onSubmit={submit} aria-label="Paste a thread">
      <TextField label="Subject" value={subject} onChange={(event) => setSubject(event.target.value)} />
      <TextAreaField
        label="Thread"
        rows={6}
        required
        placeholder={
          "dana@example.com: Our printer is down. Can you send someone today?\n\nme: We are on it."
        }
        value={text}
        onChange={(event) => setText(event.target.value)}
        hint="One message per paragraph, each starting with its sender and a colon; “me:” marks yours."
      />
      {send.error ? <QueryError error={send.error} /> : null}
      <button type="submit" className="button button-primary" disabled={!text.trim() || send.isPending}>
        Draft a reply
      </button>
    </form>
  );
}

/** Lines added and removed between two versions. */
function VersionDiff({ before, after }: { before: string; after: string }) {
  let offset = 0;
  const parts = diffLines(before, after).map((part) => {
    const at = offset;
    offset += part.value.length;
    return { ...part, at };
  });
  return (
    <figure className="draft-figure" aria-label="Changes from the previous version">
      <pre className="draft-diff">
        {parts.map((part) => (
          <span
            key={`${part.at}-${part.added ? "+" : part.removed ? "-" : "="}`}
            className={part.added ? "diff-added" : part.removed ? "diff-removed" : undefined}
          >
            {part.value}
          </span>
        ))}
      </pre>
    </figure>
  );
}

function DraftView({ id, writer }: { id: string; writer: boolean }) {
  const draft = useDraft(id);
  const actions = useDraftActions();
  const [feedback, setFeedback] = useState("");
  const [shown, setShown] = useState<number | null>(null);
  if (draft.isPending) return <Loading label="Loading draft…" />;
  if (draft.error) return <QueryError error={draft.error} />;
  const data: Draft = draft.data;
  const latest = data.versions.at(-1);
  const current = data.versions.find((version) => version.version === shown) ?? latest;
  const previous = current
    ? data.versions.find((version) => version.version === current.version - 1)
    : undefined;
  const busy = ["queued", "generating", "revising"].includes(data.status);
  const give = async (event: FormEvent) => {
    event.preventDefault();
    await actions.feedback.mutateAsync({ draftId: data.id, feedback });
    setFeedback("");
    setShown(null);
  };
  return (
    <section className="draft-view" aria-label="Draft">
      <div className="card">
        <h2 className="section-title">{data.thread.subject ?? "Thread"}</h2>
        <ol className="thread" aria-label="Thread">
          {data.thread.messages.map((message) => (
            <li
              key={`${message.sentAt}-${message.sender}`}
              className={`thread-message thread-${message.role}`}
            >
              <div className="muted small">
                {message.sender} · <Time value={message.sentAt} />
              </div>
              <div className="thread-content">{message.content}</div>
            </li>
          ))}
        </ol>
      </div>
      <div className="card">
        <div className="card-row">
          <h2 className="section-title">Reply</h2>
          <span
            className={`badge ${data.status === "failed" || data.status === "rejected" ? "badge-danger" : data.status === "approved" ? "badge-success" : "badge-info"}`}
          >
            {statusLabels[data.status]}
          </span>
        </div>
        {data.status === "failed" && <Notice tone="danger">The draft could not be made: {data.error}</Notice>}
        {busy && (
          <Loading label={data.status === "revising" ? "Revising the draft…" : "Drafting the reply…"} />
        )}
        {current && (
          <>
            {data.versions.length > 1 && (
              <fieldset className="chip-row versions" aria-label="Versions">
                {data.versions.map((version) => (
                  <button
                    key={version.version}
                    type="button"
                    className={`chip${version.version === current.version ? " chip-on" : ""}`}
                    onClick={() => setShown(version.version)}
                  >
                    Version {version.version}
                  </button>
                ))}
              </fieldset>
            )}
            <p className="strong">{current.subject}</p>
            <figure className="draft-figure" aria-label={`Version ${current.version}`}>
              <pre className="draft-body">{current.body}</pre>
            </figure>
            <p className="muted small">
              {current.summaryOfChanges}
              {current.feedback ? ` (feedback: “${current.feedback}”)` : ""}
            </p>
            {previous && <VersionDiff before={previous.body} after={current.body} />}
          </>
        )}
        {writer && data.status === "ready" && (
          <form className="form" onSubmit={give} aria-label="Feedback">
            <TextField
              label="Feedback"
              placeholder="Shorter, more formal, mention the 2pm visit…"
              value={feedback}
              onChange={(event) => setFeedback(event.target.value)}
            />
            <button
              type="submit"
              className="button"
              disabled={!feedback.trim() || actions.feedback.isPending}
            >
              Revise
            </button>
          </form>
        )}
        {writer && (
          <div className="row-actions">
            {data.status === "ready" && (
              <>
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => actions.approve.mutate({ draftId: data.id, send: true })}
                >
                  Approve and send
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => actions.approve.mutate({ draftId: data.id, send: false })}
                >
                  Approve
                </button>
              </>
            )}
            {data.status === "failed" && (
              <button type="button" className="button" onClick={() => actions.retry.mutate(data.id)}>
                Retry
              </button>
            )}
            {!["approved", "rejected"].includes(data.status) && (
              <button
                type="button"
                className="button"
                onClick={() => actions.reject.mutate({ draftId: data.id })}
              >
                Reject
              </button>
            )}
          </div>
        )}
        {data.status === "approved" && (
          <Notice tone="success">
            {data.emailed ? "Approved and e-mailed to the client." : "Approved."}
          </Notice>
        )}
        {(actions.approve.error || actions.reject.error || actions.retry.error || actions.feedback.error) && (
          <QueryError
            error={
              actions.approve.error ?? actions.reject.error ?? actions.retry.error ?? actions.feedback.error
            }
          />
        )}
      </div>
    </section>
  );
}

const linesOf = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** The workspace's reply guidelines: what every draft follows. */
function GuidelinesForm({
  initial,
  onSave,
  saving,
  error,
}: {
  initial: GuidelinesInput;
  onSave: (input: GuidelinesInput) => void;
  saving: boolean;
  error: unknown;
}) {
  const [tone, setTone] = useState(initial.tone);
  const [signature, setSignature] = useState(initial.signature);
  const [dos, setDos] = useState(initial.dos.join("\n"));
  const [donts, setDonts] = useState(initial.donts.join("\n"));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({ tone, signature, dos: linesOf(dos), donts: linesOf(donts) });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Reply guidelines">
      <TextField
        label="Tone"
        value={tone}
        required
        onChange={(event) => setTone(event.target.value)}
        hint="For example “friendly and professional” or “formal”."
      />
      <TextAreaField
        label="Signature"
        rows={2}
        value={signature}
        onChange={(event) => setSignature(event.target.value)}
      />
      <TextAreaField
        label="Do (one per line)"
        rows={2}
        value={dos}
        onChange={(event) => setDos(event.target.value)}
      />
      <TextAreaField
        label="Don't (one per line)"
        rows={2}
        value={donts}
        onChange={(event) => setDonts(event.target.value)}
      />
      {error ? <QueryError error={error} /> : null}
      <button type="submit" className="button" disabled={saving}>
        Save guidelines
      </button>
    </form>
  );
}

/** The reply guidelines editor: folded away on the Drafts page, a card of its own in settings. */
export function Guidelines({ folded = true }: { folded?: boolean }) {
  const { current, save } = useGuidelines();
  const body = (
    <>
      {current.isPending ? (
        <Loading label="Loading guidelines…" />
      ) : current.error ? (
        <QueryError error={current.error} />
      ) : (
        <GuidelinesForm
          initial={current.data}
          onSave={(input) => save.mutate(input)}
          saving={save.isPending}
          error={save.error}
        />
      )}
      {save.isSuccess && <Notice tone="success">Saved: the next drafts follow them.</Notice>}
    </>
  );
  if (!folded) {
    return (
      <section className="card" aria-labelledby="reply-guidelines-heading">
        <h2 id="reply-guidelines-heading" className="card-title">
          Reply guidelines
        </h2>
        <p className="muted small">Every drafted reply to a client thread follows these.</p>
        {body}
      </section>
    );
  }
  return (
    <details className="card guidelines">
      <summary className="strong">Reply guidelines</summary>
      {body}
    </details>
  );
}

/** The inbox of reply drafts: paste a thread, follow its draft, revise, approve or reject. */
export function DraftsPage() {
  const writer = canWriteData(useSession().role);
  const drafts = useDrafts();
  const [open, setOpen] = useState<string | null>(null);
  const selected = open ?? drafts.data?.items[0]?.id ?? null;
  return (
    <div className="page page-wide">
      <PageHeader
        title="Drafts"
        description="Replies to client threads, drafted for you and refined with your feedback."
      />
      <div className="drafts-layout">
        <aside aria-label="Inbox">
          {writer && <PasteThread onSent={setOpen} />}
          {writer && <Guidelines />}
          {drafts.isPending ? (
            <Loading label="Loading drafts…" />
          ) : drafts.error ? (
            <QueryError error={drafts.error} />
          ) : drafts.data.items.length === 0 ? (
            <EmptyState
              icon="mail"
              title="No drafts yet"
              description="Paste a client thread to have its reply drafted."
            />
          ) : (
            <ul className="card-list" aria-label="Drafts">
              {drafts.data.items.map((draft) => (
                <li key={draft.id}>
                  <button
                    type="button"
                    className={`card draft-item${draft.id === selected ? " draft-item-on" : ""}`}
                    onClick={() => setOpen(draft.id)}
                  >
                    <span className="strong">
                      {draft.thread.subject ?? draft.thread.messages[0]?.content.slice(0, 60)}
                    </span>
                    <span className="muted small">
                      {statusLabels[draft.status]} · <Time value={draft.updatedAt} />
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </aside>
        {selected ? <DraftView key={selected} id={selected} writer={writer} /> : null}
      </div>
    </div>
  );
}
