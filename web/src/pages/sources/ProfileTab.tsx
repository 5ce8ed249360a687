import type { ReactNode } from "react";
import { ApiError } from "../../api/client.ts";
import {
  type ColumnProfile,
  type Scalar,
  type Source,
  type SourceProfile,
  type TableProfile,
  useSourceProfile,
} from "../../api/sources.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { rowCount } from "./SchemaTab.tsx";

/** The profile and quality report, with the states both tabs share; `children` renders the data. */
export function WithProfile({
  source,
  children,
}: {
  source: Source;
  children: (profile: SourceProfile) => ReactNode;
}) {
  const profile = useSourceProfile(source);
  if (source.mode === "live") {
    return (
      <EmptyState
        icon="database"
        title="Live sources are not profiled"
        description="Their data stays in the database, where Sightline only runs the queries you ask. Import the database instead to get a profile and a quality report."
      />
    );
  }
  const stillLoading =
    source.status === "processing" ||
    (profile.error instanceof ApiError && profile.error.status === 409 && source.status !== "failed");
  if (stillLoading || profile.isPending || profile.data?.profiling) {
    return <Loading label="Profiling the data…" />;
  }
  if (profile.isError) return <ErrorState error={profile.error} onRetry={() => profile.refetch()} />;
  return <>{children(profile.data)}</>;
}

export function ProfileTab({ source }: { source: Source }) {
  return (
    <WithProfile source={source}>
      {(data) =>
        data.profile === null ? (
          <EmptyState
            icon="table"
            title="No profile for this data"
            description="Profiling did not finish for the last load; the data itself loaded and can be queried."
          />
        ) : (
          <div className="profile-tables">
            {data.profile.map((table) => (
              <TableProfileCard key={table.table} table={table} />
            ))}
          </div>
        )
      }
    </WithProfile>
  );
}

const share = (count: number, rows: number) =>
  rows === 0 || count === 0 ? "" : ` (${count / rows < 0.001 ? "<0.1" : ((100 * count) / rows).toFixed(1)}%)`;

function TableProfileCard({ table }: { table: TableProfile }) {
  return (
    <section className="schema-card" aria-label={`Profile of ${table.table}`}>
      <header className="schema-card-header">
        <Icon name="table" />
        <code className="strong">{table.table}</code>
        <span className="muted small">
          {rowCount(table.rows)}
          {table.duplicateRows > 0 && ` · ${table.duplicateRows.toLocaleString()} duplicate`}
        </span>
      </header>
      <div className="table-wrap">
        <table className="table profile-table" aria-label={`Columns of ${table.table}`}>
          <thead>
            <tr>
              <th>Column</th>
              <th className="numeric">Nulls</th>
              <th className="numeric">Blanks</th>
              <th className="numeric">Distinct</th>
              <th>Range</th>
              <th>Top values</th>
              <th>Distribution</th>
            </tr>
          </thead>
          <tbody>
            {table.columns.map((column) => (
              <ColumnRow key={column.name} column={column} rows={table.rows} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const show = (value: Scalar) => (value === null ? "—" : String(value));

function ColumnRow({ column, rows }: { column: ColumnProfile; rows: number }) {
  return (
    <tr>
      <td>
        <div className="cell-stack">
          <code>{column.name}</code>
          <span className="muted small">{column.type}</span>
          {column.typeMismatches > 0 && (
            <span className="text-warning small">
              {column.typeMismatches.toLocaleString()} not{" "}
              {column.expectedType === "date" ? "dates" : "numbers"}
              {column.mismatchExamples?.length ? `: ${column.mismatchExamples.slice(0, 3).join(", ")}` : ""}
            </span>
          )}
        </div>
      </td>
      <td className="numeric">
        {column.nulls.toLocaleString()}
        <span className="muted small">{share(column.nulls, rows)}</span>
      </td>
      <td className="numeric">{column.blanks.toLocaleString()}</td>
      <td className="numeric">
        {column.approximateDistinct ? "≈ " : ""}
        {column.distinct.toLocaleString()}
      </td>
      <td className="profile-range">
        {column.min === null && column.max === null ? (
          <span className="muted">—</span>
        ) : (
          <span className="mono small">
            {show(column.min)} – {show(column.max)}
          </span>
        )}
      </td>
      <td>
        <TopValues column={column} />
      </td>
      <td>
        {column.histogram?.length ? (
          <Histogram column={column.name} bins={column.histogram} />
        ) : (
          <span className="muted small">—</span>
        )}
      </td>
    </tr>
  );
}

function TopValues({ column }: { column: ColumnProfile }) {
  if (column.top.length === 0) return <span className="muted small">—</span>;
  const most = Math.max(...column.top.map((item) => item.count), 1);
  return (
    <ul className="top-values" aria-label={`Top values of ${column.name}`}>
      {column.top.map((item) => (
        <li key={String(item.value)}>
          <span className="top-bar" style={{ width: `${(100 * item.count) / most}%` }} aria-hidden="true" />
          <span className="top-value mono">{show(item.value)}</span>
          <span className="top-count muted">{item.count.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}

/** A small bar chart of a column's bins; each bar's range and count are in its tooltip. */
export function Histogram({
  column,
  bins,
}: {
  column: string;
  bins: NonNullable<ColumnProfile["histogram"]>;
}) {
  const most = Math.max(...bins.map((bin) => bin.count), 1);
  const width = 140;
  const height = 36;
  const gap = 2;
  const barWidth = Math.max((width - gap * (bins.length - 1)) / bins.length, 1);
  const first = bins[0];
  const last = bins[bins.length - 1];
  return (
    <figure className="histogram">
      <svg
        role="img"
        aria-label={`Distribution of ${column}`}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
      >
        {bins.map((bin, index) => {
          const barHeight = bin.count === 0 ? 0 : Math.max((height * bin.count) / most, 2);
          return (
            <rect
              // biome-ignore lint/suspicious/noArrayIndexKey: bins are ordered and fixed
              key={index}
              x={index * (barWidth + gap)}
              y={height - barHeight}
              width={barWidth}
              height={barHeight}
              rx={1}
            >
              <title>{`${bin.from} – ${bin.to}: ${bin.count.toLocaleString()}`}</title>
            </rect>
          );
        })}
      </svg>
      {first && last && (
        <figcaption className="histogram-axis mono">
          <span>{String(first.from)}</span>
          <span>{String(last.to)}</span>
        </figcaption>
      )}
    </figure>
  );
}
