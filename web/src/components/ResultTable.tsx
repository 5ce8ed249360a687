import type { Cell, ResultColumn } from "../api/sources.ts";

const numeric = new Set(["integer", "decimal"]);

/** The scale of a DECIMAL(p,s) column: JSON numbers drop trailing zeros (12.00 arrives as 12). */
const scaleOf = (column: ResultColumn) => {
  const scale = /^DECIMAL\(\d+,\s*(\d+)\)$/i.exec(column.sourceType)?.[1];
  return scale === undefined ? undefined : Number(scale);
};

function CellValue({ value, scale }: { value: Cell; scale: number | undefined }) {
  if (value === null) return <span className="cell-null">null</span>;
  if (typeof value === "boolean") return <>{value ? "true" : "false"}</>;
  if (typeof value === "number" && scale !== undefined && scale <= 20) return <>{value.toFixed(scale)}</>;
  return <>{String(value)}</>;
}

/** Rows of a query or preview, each column headed by its name and type; numbers align right. */
export function ResultTable({
  columns,
  rows,
  label,
}: {
  columns: ResultColumn[];
  rows: Cell[][];
  label: string;
}) {
  const scales = columns.map(scaleOf);
  return (
    <div className="table-wrap result-wrap">
      <table className="table result-table" aria-label={label}>
        <thead>
          <tr>
            <th className="result-index" aria-label="Row" />
            {columns.map((column, index) => (
              <th
                // Queries may repeat a column name (select a, a from t).
                // biome-ignore lint/suspicious/noArrayIndexKey: position is the column's identity
                key={index}
                className={numeric.has(column.type) ? "numeric" : undefined}
                title={column.sourceType}
              >
                <span className="result-name">{column.name}</span>
                <span className="result-type">{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: result rows have no key of their own
            <tr key={rowIndex}>
              <td className="result-index">{rowIndex + 1}</td>
              {columns.map((column, index) => (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: see the header
                  key={index}
                  className={numeric.has(column.type) ? "numeric" : undefined}
                >
                  <CellValue value={row[index] ?? null} scale={scales[index]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
