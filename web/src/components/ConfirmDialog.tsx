import type { ReactNode } from "react";
import { Dialog, DialogActions } from "./Dialog.tsx";
import { ErrorState } from "./ErrorState.tsx";

/** Asks before a destructive action; stays open (showing the error) when the action fails. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog open={open} onClose={onCancel} title={title} description={children}>
      {error ? <ErrorState error={error} /> : null}
      <DialogActions>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button-danger-solid" disabled={pending} onClick={onConfirm}>
          {pending ? "Working…" : confirmLabel}
        </button>
      </DialogActions>
    </Dialog>
  );
}
