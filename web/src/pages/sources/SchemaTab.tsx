import { type RemoteTable, useSourceSchema } from "../../api/connections.ts";
import type { Source, SourceTable } from "../../api/sources.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { type Column, Table } from "../../components/Table.tsx";

export const rowCount = (rows: number) => `${rows.toLocaleString()} ${rows === 1 ? "row" : "rows"}`;
const columnCount = (count: number) => `${count} ${count === 1 ? "column" : "columns"}`;

const schemaColumns: Column<SourceTable["columns"][number]>[] = [
  { key: "name", header: "Column", render: (column) => <code>{column.name}</code> },
  { key: "type", header: "Type", width: "9rem", render: (column) => column.type },
  {
    key: "sourceType",
    header: "Engine type",
    width: "12rem",
    render: (column) => <span className="muted mono small">{column.sourceType}</span>,
  },
];

/** The tables a source holds: as loaded for files, as the database describes them for databases. */
export function SchemaTab({ source }: { source: Source }) {
  if (source.kind === "database") return <RemoteSchema source={source} />;
  if (source.tables.length === 0) return <EmptyState icon="table" title="No tables yet" />;
  return (
    <div className="schema-grid">
      {source.tables.map((item) => (
        <section key={item.name} className="schema-card" aria-label={`Table ${item.name}`}>
          <header className="schema-card-header">
            <Icon name="table" />
            <code className="strong">{item.name}</code>
            <span className="muted small">
              {rowCount(item.rows)} · {columnCount(item.columns.length)}
            </span>
          </header>
          <Table
            label={`Columns of ${item.name}`}
            columns={schemaColumns}
            rows={item.columns}
            rowKey={(column) => column.name}
          />
        </section>
      ))}
    </div>
  );
}

type RemoteColumn = RemoteTable["columns"][number];

function RemoteSchema({ source }: { source: Source }) {
  const schema = useSourceSchema(source, source.status !== "processing" || source.tables.length > 0);
  if (schema.isPending) return <Loading label="Reading the database's tables…" />;
  if (schema.isError) return <ErrorState error={schema.error} onRetry={() => schema.refetch()} />;
  if (schema.data.tables.length === 0) {
    return (
      <EmptyState
        icon="table"
        title="The database shows no tables"
        description="The user may not be allowed to read any, or the schema chosen is empty."
      />
    );
  }
  // The name a table goes by in this workspace's SQL, when it differs from the database's.
  const localName = new Map(source.tables.map((table) => [table.remoteName ?? table.name, table.name]));
  return (
    <div className="schema-grid">
      {schema.data.tables.map((table) => {
        const keys = new Set(table.primaryKey);
        const references = new Map(
          table.foreignKeys.flatMap((key) =>
            key.columns.map((column, index) => [
              column,
              `${key.references.table}.${key.references.columns[index] ?? key.references.columns[0] ?? ""}`,
            ]),
          ),
        );
        const columns: Column<RemoteColumn>[] = [
          {
            key: "name",
            header: "Column",
            render: (column) => (
              <span className="column-name">
                <code>{column.name}</code>
                {keys.has(column.name) && <span className="badge badge-accent">primary key</span>}
                {references.has(column.name) && (
                  <span className="badge badge-info" title="Foreign key">
                    → {references.get(column.name)}
                  </span>
                )}
              </span>
            ),
          },
          { key: "type", header: "Type", width: "9rem", render: (column) => column.type },
          {
            key: "sourceType",
            header: "Engine type",
            width: "12rem",
            render: (column) => <span className="muted mono small">{column.sourceType}</span>,
          },
          {
            key: "nullable",
            header: "Nulls",
            width: "6rem",
            render: (column) => (column.nullable ? "allowed" : <span className="muted">not null</span>),
          },
        ];
        const local = localName.get(table.remoteName);
        return (
          <section key={table.remoteName} className="schema-card" aria-label={`Table ${table.remoteName}`}>
            <header className="schema-card-header">
              <Icon name="table" />
              <code className="strong">{table.remoteName}</code>
              {table.kind === "view" && <span className="badge badge-neutral">view</span>}
              <span className="muted small">
                {table.rows === null ? "rows unknown" : `≈ ${rowCount(table.rows)}`} ·{" "}
                {columnCount(table.columns.length)}
                {source.mode !== "live" && local && local !== table.remoteName && (
                  <>
                    {" "}
                    · queried as <code>{local}</code>
                  </>
                )}
              </span>
            </header>
            <Table
              label={`Columns of ${table.remoteName}`}
              columns={columns}
              rows={table.columns}
              rowKey={(column) => column.name}
            />
          </section>
        );
      })}
    </div>
  );
}
