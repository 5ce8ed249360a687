import { useState } from "react";
import { engineLabel, useRefreshSource, useTestSource, useUpdateSource } from "../../api/connections.ts";
import type { Source } from "../../api/sources.ts";
import { canWriteData, useSession } from "../../app/session.ts";
import { Detail, DetailList } from "../../components/DetailList.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Notice } from "../../components/Notice.tsx";
import { Time } from "../../components/Time.tsx";
import { fieldError } from "../auth/messages.ts";
import { connectionErrorText } from "./ConnectPage.tsx";
import { RefreshSchedule } from "./RefreshSchedule.tsx";

const sslLabels: Record<string, string> = {
  disable: "off",
  require: "required",
  "verify-full": "required, certificate checked",
};

/** A database source's settings (never its password), a connection test and a refresh. */
export function ConnectionTab({ source }: { source: Source }) {
  const { role } = useSession();
  const writer = canWriteData(role);
  const test = useTestSource(source.id);
  const refresh = useRefreshSource(source.id);
  const connection = source.connection ?? {};
  const value = (key: string) => (connection[key] === undefined ? undefined : String(connection[key]));
  const live = source.mode === "live";

  return (
    <div className="connection-tab">
      <section className="card" aria-label="Connection">
        <DetailList>
          <Detail label="Engine">{engineLabel(source.format)}</Detail>
          <Detail label="Mode">
            {live ? "Live: queries run in the database" : "Import: tables copied into this workspace"}
          </Detail>
          <Detail label="Host">{value("host")}</Detail>
          <Detail label="Port">{value("port")}</Detail>
          <Detail label="Database">{value("database")}</Detail>
          <Detail label="Schema">{value("schema")}</Detail>
          <Detail label="User">{value("user")}</Detail>
          <Detail label="SSL">{value("ssl") && (sslLabels[value("ssl") ?? ""] ?? value("ssl"))}</Detail>
          <Detail label="Path">{value("path") && <code>{value("path")}</code>}</Detail>
          <Detail label={live ? "Tables last described" : "Last refreshed"}>
            <Time value={source.lastRefreshedAt} fallback="never" />
          </Detail>
          {!live && (
            <Detail label="Refresh schedule">
              {source.refreshCron ? <code>{source.refreshCron}</code> : "only when asked"}
            </Detail>
          )}
        </DetailList>
      </section>

      {writer && (
        <>
          <div className="connection-actions">
            <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate()}>
              <Icon name="play" />
              {test.isPending ? "Testing…" : "Test connection"}
            </button>
            <button
              type="button"
              className="button"
              disabled={refresh.isPending || source.status === "processing"}
              onClick={() => refresh.mutate()}
            >
              <Icon name="refresh" />
              {source.status === "processing" || refresh.isPending
                ? "Refreshing…"
                : live
                  ? "Describe tables again"
                  : "Refresh now"}
            </button>
          </div>
          {test.isSuccess && (
            <Notice tone="success">
              <span className="strong">Connected.</span> The server runs{" "}
              <code>{test.data.serverVersion}</code>.
            </Notice>
          )}
          {test.isError && (
            <Notice tone="danger">
              <span className="strong">Could not connect.</span> {connectionErrorText(test.error)}
            </Notice>
          )}
          {refresh.isError && <ErrorState error={refresh.error} />}
          {!live && <ScheduleForm source={source} />}
        </>
      )}
    </div>
  );
}

function ScheduleForm({ source }: { source: Source }) {
  const [cron, setCron] = useState(source.refreshCron ?? "");
  const update = useUpdateSource(source.id);
  const changed = cron.trim() !== (source.refreshCron ?? "");
  return (
    <form
      className="card form schedule-form"
      aria-label="Refresh schedule"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({ refreshCron: cron.trim() || null });
      }}
    >
      <RefreshSchedule value={cron} onChange={setCron} error={fieldError(update.error, "refreshCron")} />
      {update.isError && !fieldError(update.error, "refreshCron") && <ErrorState error={update.error} />}
      {update.isSuccess && !changed && <Notice tone="success">Schedule saved.</Notice>}
      <div>
        <button type="submit" className="button" disabled={!changed || update.isPending}>
          {update.isPending ? "Saving…" : "Save schedule"}
        </button>
      </div>
    </form>
  );
}
