import { useState } from "react";
import { useApiKeys, useRevokeApiKey } from "../../api/api-keys.ts";
import type { ApiKey } from "../../api/auth-types.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";
import { AdminOnly } from "./AccessGate.tsx";
import { CreateApiKeyDialog } from "./CreateApiKeyDialog.tsx";
import { RoleBadge } from "./RoleBadge.tsx";

const keyStatus = (key: ApiKey) =>
  key.revokedAt
    ? "revoked"
    : key.expiresAt && new Date(key.expiresAt).getTime() < Date.now()
      ? "expired"
      : "active";

export function ApiKeysPage() {
  return (
    <AdminOnly title="API keys">
      <ApiKeys />
    </AdminOnly>
  );
}

function ApiKeys() {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const rows = keys.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: Column<ApiKey>[] = [
    {
      key: "name",
      header: "Key",
      render: (key) => (
        <div className="cell-stack">
          <span className="strong">{key.name}</span>
          <span className="muted mono small">{key.prefix}…</span>
        </div>
      ),
    },
    { key: "role", header: "Role", width: "8rem", render: (key) => <RoleBadge role={key.role} /> },
    {
      key: "status",
      header: "Status",
      width: "8rem",
      render: (key) => <StatusBadge status={keyStatus(key)} />,
    },
    {
      key: "createdBy",
      header: "Created",
      width: "11rem",
      render: (key) => (
        <div className="cell-stack">
          <Time value={key.createdAt} />
          {key.createdBy && <span className="muted small">by {key.createdBy.name}</span>}
        </div>
      ),
    },
    {
      key: "lastUsed",
      header: "Last used",
      width: "9rem",
      render: (key) => <Time value={key.lastUsedAt} fallback="never" />,
    },
    {
      key: "expires",
      header: "Expires",
      width: "9rem",
      render: (key) => <Time value={key.expiresAt} fallback="never" />,
    },
    {
      key: "actions",
      header: "",
      width: "6.5rem",
      align: "right",
      render: (key) =>
        keyStatus(key) === "active" ? (
          <button
            type="button"
            className="button button-small button-danger"
            aria-label={`Revoke ${key.name}`}
            onClick={() => setRevoking(key)}
          >
            Revoke
          </button>
        ) : null,
    },
  ];

  const createButton = (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      <Icon name="plus" />
      Create API key
    </button>
  );

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let programs use the Sightline API for this workspace, with the role you give them."
        actions={rows.length > 0 && createButton}
      />
      {keys.isPending ? (
        <Loading />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="key"
          title="No API keys yet"
          description={
            <>
              Send a key in the <code>x-api-key</code> header to call the API from scripts and other tools.
            </>
          }
          action={createButton}
        />
      ) : (
        <>
          <Table label="API keys" columns={columns} rows={rows} rowKey={(key) => key.id} />
          <Pagination
            hasNextPage={keys.hasNextPage}
            isFetchingNextPage={keys.isFetchingNextPage}
            fetchNextPage={keys.fetchNextPage}
          />
        </>
      )}
      <CreateApiKeyDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? "key"}?`}
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        <p>
          Programs using <code>{revoking?.prefix}…</code> stop working at once. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
