import { type RefObject, useState } from "react";
import { Icon } from "../../components/Icon.tsx";

/** The question box: Enter asks, Shift+Enter starts a new line. */
export function Composer({
  onAsk,
  busy,
  draft,
  setDraft,
  inputRef,
  placeholder,
}: {
  onAsk: (question: string) => void;
  busy: boolean;
  draft: string;
  setDraft: (value: string) => void;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  placeholder: string;
}) {
  const [composing, setComposing] = useState(false);
  const submit = () => {
    const question = draft.trim();
    if (!question || busy) return;
    onAsk(question);
    setDraft("");
  };
  return (
    <form
      className="ask-composer"
      aria-label="Ask a question"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={inputRef}
        className="input ask-input"
        aria-label="Question"
        placeholder={placeholder}
        rows={2}
        maxLength={2000}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onCompositionStart={() => setComposing(true)}
        onCompositionEnd={() => setComposing(false)}
        onKeyDown={(event) => {
          // Enter while an input method is composing picks a candidate, not the question.
          if (event.key === "Enter" && !event.shiftKey && !composing) {
            event.preventDefault();
            submit();
          }
        }}
      />
      <div className="ask-composer-bar">
        <span className="muted small">
          <kbd>Enter</kbd> asks · <kbd>Shift Enter</kbd> new line
        </span>
        <button type="submit" className="button button-primary" disabled={busy || !draft.trim()}>
          <Icon name="send" />
          {busy ? "Asking…" : "Ask"}
        </button>
      </div>
    </form>
  );
}
