import { useState } from "react";
import { useDevices, useRevokeDevice } from "../../api/auth.ts";
import type { Device } from "../../api/auth-types.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { type Column, Table } from "../../components/Table.tsx";
import { Time } from "../../components/Time.tsx";

export function DevicesPage() {
  const devices = useDevices();
  const revoke = useRevokeDevice();
  const [revoking, setRevoking] = useState<Device | null>(null);
  const rows = devices.data?.pages.flatMap((page) => page.items) ?? [];

  const columns: Column<Device>[] = [
    {
      key: "name",
      header: "Device",
      render: (device) => (
        <div className="cell-stack">
          <span className="strong device-name">
            {device.name}
            {device.current && <span className="badge badge-accent">This device</span>}
          </span>
          {device.userAgent && (
            <span className="muted small truncate" title={device.userAgent}>
              {device.userAgent}
            </span>
          )}
        </div>
      ),
    },
    {
      key: "ip",
      header: "IP",
      width: "9rem",
      render: (device) =>
        device.ip ? <span className="mono small">{device.ip}</span> : <span className="muted">—</span>,
    },
    {
      key: "seen",
      header: "Last used",
      width: "9rem",
      render: (device) => <Time value={device.lastSeenAt} />,
    },
    {
      key: "created",
      header: "Trusted",
      width: "9rem",
      render: (device) => <Time value={device.createdAt} />,
    },
    { key: "expires", header: "Until", width: "9rem", render: (device) => <Time value={device.expiresAt} /> },
    {
      key: "actions",
      header: "",
      width: "6.5rem",
      align: "right",
      render: (device) => (
        <button
          type="button"
          className="button button-small button-danger"
          aria-label={`Revoke ${device.name}${device.current ? " (this device)" : ""}`}
          onClick={() => setRevoking(device)}
        >
          Revoke
        </button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Devices"
        description="Browsers you chose to trust sign in without an e-mailed code for 30 days."
      />
      {devices.isPending ? (
        <Loading />
      ) : devices.isError ? (
        <ErrorState error={devices.error} onRetry={() => devices.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="monitor"
          title="No trusted devices"
          description="When you sign in with a code, tick “Trust this device” to skip the code there next time."
        />
      ) : (
        <>
          <Table label="Trusted devices" columns={columns} rows={rows} rowKey={(device) => device.id} />
          <Pagination
            hasNextPage={devices.hasNextPage}
            isFetchingNextPage={devices.isFetchingNextPage}
            fetchNextPage={devices.fetchNextPage}
          />
        </>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Stop trusting this device?"
        confirmLabel="Revoke device"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        <p>
          {revoking?.current ? "This browser" : <strong>{revoking?.name}</strong>} will be asked for an
          e-mailed code at its next sign-in.
        </p>
      </ConfirmDialog>
    </>
  );
}
