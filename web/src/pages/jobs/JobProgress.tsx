import type { Job } from "../../api/types.ts";

/** A bar for numeric progress (0–100); other progress values are left to the detail view. */
export function JobProgress({ job }: { job: Pick<Job, "status" | "progress"> }) {
  if (typeof job.progress !== "number") return <span className="muted">—</span>;
  const percent = Math.max(0, Math.min(100, job.progress));
  return (
    <div className="progress" title={`${Math.round(percent)}%`}>
      <div className="progress-track">
        <div className={`progress-bar progress-${job.status}`} style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-label">{Math.round(percent)}%</span>
    </div>
  );
}
