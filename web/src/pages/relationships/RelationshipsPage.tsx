import { useState } from "react";
import {
  type Relationship,
  type RelationshipStatus,
  useDeleteRelationship,
  useDetectRelationships,
  useRelationships,
  useSetRelationshipStatus,
} from "../../api/relationships.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { Segmented } from "../../components/Segmented.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { AddRelationshipDialog } from "./AddRelationshipDialog.tsx";

type Filter = "all" | RelationshipStatus;

export const pairLabel = (pair: Pick<Relationship, "fromTable" | "fromColumn" | "toTable" | "toColumn">) =>
  `${pair.fromTable}.${pair.fromColumn} → ${pair.toTable}.${pair.toColumn}`;

/** Joins between the workspace's tables: found in the data, or added by a person. */
export function RelationshipsPage() {
  const { role } = useSession();
  const writer = canWriteData(role);
  const [filter, setFilter] = useState<Filter>("all");
  const list = useRelationships(filter === "all" ? undefined : filter);
  const detect = useDetectRelationships();
  const setStatus = useSetRelationshipStatus();
  const remove = useDeleteRelationship();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Relationship | null>(null);
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: Column<Relationship>[] = [
    {
      key: "pair",
      header: "Relationship",
      render: (item) => (
        <span className="relationship-pair" title={pairLabel(item)}>
          <code>
            {item.fromTable}.<span className="strong">{item.fromColumn}</span>
          </code>
          <Icon name="arrow" />
          <code>
            {item.toTable}.<span className="strong">{item.toColumn}</span>
          </code>
        </span>
      ),
    },
    {
      key: "origin",
      header: "Origin",
      width: "7rem",
      render: (item) => (
        <span className={`badge badge-${item.origin === "manual" ? "accent" : "neutral"}`}>
          {item.origin}
        </span>
      ),
    },
    {
      key: "confidence",
      header: "Confidence",
      width: "9rem",
      render: (item) =>
        item.confidence === null ? (
          <span className="muted">—</span>
        ) : (
          <span
            className="confidence"
            title="Share of the referring column's values found in the referred column"
          >
            <span className="confidence-track" aria-hidden="true">
              <span className="confidence-bar" style={{ width: `${Math.round(item.confidence * 100)}%` }} />
            </span>
            {Math.round(item.confidence * 100)}%
          </span>
        ),
    },
    {
      key: "status",
      header: "Status",
      width: "7rem",
      render: (item) => <StatusBadge status={item.status} />,
    },
    ...(writer
      ? [
          {
            key: "actions",
            header: "",
            width: "12rem",
            align: "right" as const,
            render: (item: Relationship) => (
              <div className="row-actions">
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`${item.status === "active" ? "Dismiss" : "Restore"} ${pairLabel(item)}`}
                  disabled={setStatus.isPending && setStatus.variables?.id === item.id}
                  onClick={() =>
                    setStatus.mutate({
                      id: item.id,
                      status: item.status === "active" ? "dismissed" : "active",
                    })
                  }
                >
                  {item.status === "active" ? "Dismiss" : "Restore"}
                </button>
                {item.origin === "manual" && (
                  <button
                    type="button"
                    className="button button-small button-danger"
                    aria-label={`Delete ${pairLabel(item)}`}
                    onClick={() => setDeleting(item)}
                  >
                    Delete
                  </button>
                )}
              </div>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title="Relationships"
        description="How the workspace's tables join: found from column names and values after every load, or added by hand. Questions and dashboards use the active ones."
        actions={
          writer && (
            <>
              <button
                type="button"
                className="button"
                disabled={detect.isPending}
                onClick={() => detect.mutate()}
              >
                <Icon name="refresh" />
                {detect.isPending ? "Detecting…" : "Detect again"}
              </button>
              <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
                <Icon name="plus" />
                Add relationship
              </button>
            </>
          )
        }
      />
      {!writer && (
        <Notice>
          Your role in this workspace is {role}: you can see relationships, but only analysts, admins and
          owners change them.
        </Notice>
      )}
      {detect.isSuccess && (
        <Notice tone="success">
          Detection found {detect.data.found.length}{" "}
          {detect.data.found.length === 1 ? "relationship" : "relationships"}: {detect.data.added} new,{" "}
          {detect.data.removed} no longer borne out by the data.
        </Notice>
      )}
      {detect.isError && <ErrorState error={detect.error} />}
      {setStatus.isError && <ErrorState error={setStatus.error} />}
      <div className="toolbar">
        <Segmented
          label="Show"
          value={filter}
          onChange={setFilter}
          options={[
            { value: "all", label: "All" },
            { value: "active", label: "Active" },
            { value: "dismissed", label: "Dismissed" },
          ]}
        />
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="link"
          title={filter === "dismissed" ? "Nothing dismissed" : "No relationships yet"}
          description={
            filter === "dismissed"
              ? "Relationships you dismiss are listed here, so you can restore them."
              : "They are found when tables share a key, such as orders.customer_id and customers.customer_id. Upload related files, or add one by hand."
          }
        />
      ) : (
        <>
          <Table label="Relationships" columns={columns} rows={rows} rowKey={(item) => item.id} />
          <Pagination
            hasNextPage={list.hasNextPage}
            isFetchingNextPage={list.isFetchingNextPage}
            fetchNextPage={list.fetchNextPage}
          />
        </>
      )}
      <AddRelationshipDialog open={adding} onClose={() => setAdding(false)} />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this relationship?"
        confirmLabel="Delete relationship"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        onCancel={() => {
          setDeleting(null);
          remove.reset();
        }}
      >
        <p>
          <code>{deleting ? pairLabel(deleting) : ""}</code> is no longer used to join these tables.
        </p>
      </ConfirmDialog>
    </>
  );
}
