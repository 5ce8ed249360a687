import type { QualityIssue, Source } from "../../api/sources.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { WithProfile } from "./ProfileTab.tsx";
import { QuarantineLink } from "./QuarantineLink.tsx";

const kinds: Record<QualityIssue["kind"], { label: string; tone: string }> = {
  malformed_rows: { label: "Malformed rows", tone: "failed" },
  type_mismatch: { label: "Mixed types", tone: "expired" },
  duplicate_rows: { label: "Duplicate rows", tone: "expired" },
  blanks: { label: "Blank values", tone: "queued" },
};

/** What in the data needs a look: malformed rows, mixed types, duplicates and blanks, with examples. */
export function QualityTab({ source }: { source: Source }) {
  return (
    <WithProfile source={source}>
      {(data) =>
        !data.quality || data.quality.length === 0 ? (
          <EmptyState
            icon="check"
            title="No problems found"
            description="No malformed rows, values of the wrong type, blank texts or repeated rows in the last load."
          />
        ) : (
          <ul className="issue-list" aria-label="Quality issues">
            {data.quality.map((issue, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no id; the list is replaced whole
              <li key={index} className="issue">
                <div className="issue-header">
                  <StatusBadge status={kinds[issue.kind].tone} label={kinds[issue.kind].label} />
                  <code className="small">
                    {issue.table}
                    {issue.column ? `.${issue.column}` : ""}
                  </code>
                </div>
                <p className="issue-message">{issue.message}</p>
                {issue.examples && issue.examples.length > 0 && (
                  <p className="issue-examples small">
                    <span className="muted">
                      {issue.kind === "malformed_rows" ? "For example, lines " : "For example "}
                    </span>
                    {issue.examples.map((example, at) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: examples may repeat
                      <code key={at}>{String(example)}</code>
                    ))}
                  </p>
                )}
                {issue.kind === "malformed_rows" && source.hasQuarantine && (
                  <QuarantineLink source={source} />
                )}
              </li>
            ))}
          </ul>
        )
      }
    </WithProfile>
  );
}
