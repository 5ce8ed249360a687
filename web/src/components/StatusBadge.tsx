type Tone = "neutral" | "info" | "accent" | "success" | "danger" | "warning";

const tones: Record<string, Tone> = {
  ok: "success",
  ready: "success",
  completed: "success",
  sent: "success",
  active: "success",
  queued: "info",
  stored: "info",
  running: "accent",
  processing: "accent",
  sending: "accent",
  failed: "danger",
  not_ready: "danger",
  cancelled: "neutral",
  paused: "warning",
  pending: "info",
  accepted: "success",
  revoked: "neutral",
  expired: "warning",
  dismissed: "neutral",
};

const labels: Record<string, string> = { ok: "OK", not_ready: "Not ready" };

/** A status word in a coloured pill; unknown statuses are shown neutral. */
export function StatusBadge({ status, label, large }: { status: string; label?: string; large?: boolean }) {
  const tone = tones[status] ?? "neutral";
  return (
    <span className={`badge badge-${tone}${large ? " badge-lg" : ""}`} data-status={status}>
      {label ?? labels[status] ?? status.replace(/_/g, " ")}
    </span>
  );
}
