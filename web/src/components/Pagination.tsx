/** "Load more" for cursor-paginated lists (a TanStack infinite query driven by `nextCursor`). */
export function Pagination({
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
}: {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}) {
  if (!hasNextPage) return null;
  return (
    <div className="pagination">
      <button type="button" className="button" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
        {isFetchingNextPage ? "Loading…" : "Load more"}
      </button>
    </div>
  );
}
