import { Link, useParams } from "react-router";
import { useMail } from "../../api/outbox.ts";
import type { MailRecord } from "../../api/types.ts";
import { Detail, DetailList } from "../../components/DetailList.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { formatBytes, formatDateTime } from "../../components/format.ts";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { Tabs } from "../../components/Tabs.tsx";

const backLink = (
  <Link to="/outbox" className="back-link">
    <Icon name="back" /> Outbox
  </Link>
);

function bodyTabs(mail: MailRecord) {
  const text = { id: "text", label: "Text", content: <pre className="mail-text">{mail.text}</pre> };
  if (!mail.html) return [text];
  // sandbox="" gives the message no scripts, no same-origin access, no forms and no navigation.
  const html = {
    id: "html",
    label: "HTML",
    content: <iframe className="mail-frame" title="HTML body" sandbox="" srcDoc={mail.html} />,
  };
  return [html, text];
}

export function MailPage() {
  const { id = "" } = useParams();
  const mail = useMail(id);

  if (mail.isPending) return <Loading />;
  if (mail.isError) {
    return (
      <>
        <PageHeader eyebrow={backLink} title="Message" />
        <ErrorState error={mail.error} onRetry={() => mail.refetch()} />
      </>
    );
  }

  const data = mail.data;
  return (
    <>
      <PageHeader
        eyebrow={backLink}
        title={data.subject || "(no subject)"}
        actions={<StatusBadge status={data.status} />}
      />
      <div className="card">
        <DetailList>
          <Detail label="From">{data.from}</Detail>
          <Detail label="To">{data.to.join(", ")}</Detail>
          <Detail label="Cc">{data.cc.join(", ")}</Detail>
          <Detail label="Created">{formatDateTime(data.createdAt)}</Detail>
          <Detail label="Sent">{data.sentAt && formatDateTime(data.sentAt)}</Detail>
          <Detail label="Transport">{data.transport}</Detail>
          <Detail label="Template">{data.template}</Detail>
          <Detail label="Message ID">
            {data.messageId && <span className="mono small">{data.messageId}</span>}
          </Detail>
          <Detail label="Error">{data.error && <span className="text-danger">{data.error}</span>}</Detail>
          <Detail label="Attachments">
            {data.attachments
              .map((file) => `${file.filename} (${file.contentType}, ${formatBytes(file.size)})`)
              .join(", ")}
          </Detail>
        </DetailList>
      </div>
      <section className="section">
        <Tabs label="Message body" tabs={bodyTabs(data)} />
      </section>
    </>
  );
}
