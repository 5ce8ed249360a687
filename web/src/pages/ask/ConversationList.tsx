import { useState } from "react";
import { Link } from "react-router";
import {
  type Conversation,
  type ConversationItem,
  useConversations,
  useDeleteConversation,
  useUpdateConversation,
} from "../../api/ask.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Menu } from "../../components/Menu.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { Time } from "../../components/Time.tsx";

/** Your conversations, newest first, with their last question and size, each with rename and delete. */
export function ConversationList({
  currentId,
  onDeleted,
}: {
  currentId: string | undefined;
  onDeleted: (id: string) => void;
}) {
  const list = useConversations();
  const [renaming, setRenaming] = useState<ConversationItem | null>(null);
  const [deleting, setDeleting] = useState<ConversationItem | null>(null);
  const remove = useDeleteConversation();
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  return (
    <>
      {items.length === 0 ? (
        <p className="muted small">No conversations yet: ask a question to start one.</p>
      ) : (
        <ul className="conversation-list" aria-label="Conversations">
          {items.map((conversation) => (
            <li key={conversation.id} className={conversation.id === currentId ? "active" : undefined}>
              <Link
                to={`/ask?c=${conversation.id}`}
                className="conversation-link"
                aria-current={conversation.id === currentId ? "page" : undefined}
              >
                <span className="conversation-title">{conversation.title}</span>
                {conversation.lastQuestion && conversation.lastQuestion !== conversation.title && (
                  <span className="conversation-last muted small" title={conversation.lastQuestion}>
                    {conversation.lastQuestion}
                  </span>
                )}
                <span className="muted small">
                  <Time value={conversation.updatedAt} />
                  {` · ${conversation.answers} ${conversation.answers === 1 ? "question" : "questions"}`}
                  {conversation.shared && " · shared"}
                </span>
              </Link>
              <Menu label={`Actions for ${conversation.title}`} button={<Icon name="more" />}>
                <button
                  type="button"
                  role="menuitem"
                  className="menu-item"
                  onClick={() => setRenaming(conversation)}
                >
                  <Icon name="pencil" />
                  Rename
                </button>
                <button
                  type="button"
                  role="menuitem"
                  className="menu-item menu-item-danger"
                  onClick={() => {
                    remove.reset();
                    setDeleting(conversation);
                  }}
                >
                  <Icon name="trash" />
                  Delete
                </button>
              </Menu>
            </li>
          ))}
        </ul>
      )}
      <Pagination
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
      <RenameDialog conversation={renaming} onClose={() => setRenaming(null)} />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this conversation?"
        confirmLabel="Delete conversation"
        pending={remove.isPending}
        error={remove.error}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const gone = deleting;
          if (!gone) return;
          remove.mutate(gone.id, {
            onSuccess: () => {
              setDeleting(null);
              onDeleted(gone.id);
            },
          });
        }}
      >
        “{deleting?.title}” and its answers are deleted. Saved queries stay.
      </ConfirmDialog>
    </>
  );
}

function RenameDialog({ conversation, onClose }: { conversation: Conversation | null; onClose: () => void }) {
  const update = useUpdateConversation();
  const [title, setTitle] = useState("");
  return (
    <Dialog open={conversation !== null} onClose={onClose} title="Rename conversation">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!conversation || !title.trim()) return;
          update.mutate({ id: conversation.id, title: title.trim() }, { onSuccess: onClose });
        }}
      >
        <TextField
          label="Title"
          defaultValue={conversation?.title}
          maxLength={500}
          autoFocus
          onChange={(event) => setTitle(event.target.value)}
        />
        {update.isError && <ErrorState error={update.error} />}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={update.isPending || !title.trim()}
          >
            {update.isPending ? "Saving…" : "Rename"}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
