import type { Source, SourceTable } from "../../api/sources.ts";

const numeric = new Set(["integer", "decimal"]);
const words = (name: string) => name.replace(/[_-]+/g, " ").trim();
/** Keys and codes are numbers nobody sums. */
const isKey = (name: string) => /(^|_)(id|code|key|zip|year)$/i.test(name) || /id$/.test(name);

function questionsFor(table: SourceTable): string[] {
  const measure =
    table.columns.find((column) => column.type === "decimal") ??
    table.columns.find((column) => numeric.has(column.type) && !isKey(column.name));
  const dimension = table.columns.find((column) => column.type === "text" && !isKey(column.name));
  const time = table.columns.find((column) => column.type === "date" || column.type === "timestamp");
  return [
    `How many rows are in ${table.name}?`,
    ...(measure && dimension ? [`Total ${words(measure.name)} by ${words(dimension.name)}`] : []),
    ...(measure && time ? [`Total ${words(measure.name)} per month`] : []),
  ];
}

/** Questions worth trying, built from the workspace's own tables (never from names made up here). */
export function exampleQuestions(sources: Source[], max = 4): string[] {
  const tables = sources
    .filter((source) => source.status === "ready" && source.mode !== "live")
    .flatMap((source) => source.tables)
    .sort((a, b) => b.rows - a.rows);
  // A question from each table first, then the rest: variety before depth.
  const perTable = tables.map(questionsFor);
  const out: string[] = [];
  for (let round = 0; out.length < max && perTable.some((list) => list.length > round); round++) {
    for (const list of perTable) {
      const question = list[round];
      if (question && out.length < max) out.push(question);
    }
  }
  return out;
}
