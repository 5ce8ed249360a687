export type Cell = string | number | boolean | null;

/** One generated table: written as `<name>.csv`, read back as the table `<name>`. */
export interface Table {
  name: string;
  columns: string[];
  rows: Cell[][];
}

/** A generated row by column name; a missing column is NULL. */
export type Row = Record<string, Cell | undefined>;

/** Builds a table from row objects, the columns in the first row's key order. */
export function tableOf(name: string, rows: Row[]): Table {
  const columns = Object.keys(rows[0] ?? {});
  return { name, columns, rows: rows.map((row) => columns.map((column) => row[column] ?? null)) };
}

const needsQuotes = /[",\n\r]/;

export function toCsv(table: Table): string {
  const cell = (value: Cell) => {
    if (value === null) return "";
    const text = String(value);
    return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [table.columns.join(","), ...table.rows.map((row) => row.map(cell).join(","))];
  return `${lines.join("\n")}\n`;
}
