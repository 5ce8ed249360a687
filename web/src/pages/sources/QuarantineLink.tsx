import { quarantinePath, type Source, useDownloadQuarantine } from "../../api/sources.ts";
import { Icon } from "../../components/Icon.tsx";

/**
 * Downloads the rows the last load skipped. A link, so it can be opened or copied, but clicking
 * it fetches the file with the workspace header the API needs.
 */
export function QuarantineLink({ source }: { source: Source }) {
  const download = useDownloadQuarantine(source.id);
  return (
    <span className="quarantine-link">
      <a
        href={quarantinePath(source.id)}
        download
        onClick={(event) => {
          event.preventDefault();
          if (!download.isPending) download.mutate();
        }}
      >
        <Icon name="download" />
        Download skipped rows ({source.rejectedRows.toLocaleString()})
      </a>
      {download.isError && (
        <span className="text-danger small">
          {download.error instanceof Error ? download.error.message : "The download failed."}
        </span>
      )}
    </span>
  );
}
