import { useState } from "react";
import { Link } from "react-router";
import { type SavedFilter, type SavedQuery, useSavedQueries, useUpdateQuery } from "../../api/ask.ts";
import { useSession } from "../../app/session.ts";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { Segmented } from "../../components/Segmented.tsx";

const filters: { value: SavedFilter; label: string }[] = [
  { value: "all", label: "History" },
  { value: "saved", label: "Saved" },
  { value: "favorite", label: "Favorites" },
  { value: "verified", label: "Verified" },
  { value: "shared", label: "Shared" },
];

const empty: Record<SavedFilter, string> = {
  all: "Questions you ask and queries you save appear here.",
  saved: "Nothing saved yet: save an answer to keep it here.",
  favorite: "No favorites yet: star an answer to keep it here.",
  verified: "No verified queries in this workspace yet.",
  shared: "No queries shared with this workspace yet.",
};

/** Saved question → SQL pairs: your history and saves, your favorites, the workspace's verified and shared ones. */
export function SavedQueries({ onAsk }: { onAsk: (question: string) => void }) {
  const [filter, setFilter] = useState<SavedFilter>("all");
  const list = useSavedQueries(filter);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="saved-queries">
      <Segmented label="Show" options={filters} value={filter} onChange={setFilter} />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted small">{empty[filter]}</p>
      ) : (
        <ul className="saved-list" aria-label="Saved queries">
          {items.map((query) => (
            <SavedItem key={query.id} query={query} onAsk={onAsk} />
          ))}
        </ul>
      )}
      <Pagination
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
    </div>
  );
}

function SavedItem({ query, onAsk }: { query: SavedQuery; onAsk: (question: string) => void }) {
  const session = useSession();
  const update = useUpdateQuery();
  const mine = query.userId === session.user.id;
  return (
    <li className="saved-item">
      <span className="saved-question">{query.question}</span>
      <code className="saved-sql" title={query.sql}>
        {query.sql}
      </code>
      <span className="saved-badges">
        {query.saved && <span className="badge badge-neutral">saved</span>}
        {query.verified && <span className="badge badge-success">verified</span>}
        {query.shared && <span className="badge badge-info">shared</span>}
      </span>
      <span className="saved-actions">
        <button type="button" className="link-button small" onClick={() => onAsk(query.question)}>
          Ask again
        </button>
        <Link className="small" to={`/sql?sql=${encodeURIComponent(query.sql)}`}>
          Open in SQL
        </Link>
        {mine && (
          <button
            type="button"
            className={`star-button${query.favorite ? " on" : ""}`}
            aria-label={query.favorite ? `Unfavorite ${query.question}` : `Favorite ${query.question}`}
            aria-pressed={query.favorite}
            disabled={update.isPending}
            onClick={() => update.mutate({ id: query.id, favorite: !query.favorite })}
          >
            <Icon name="star" />
          </button>
        )}
      </span>
    </li>
  );
}
