import type { SchemaIndex, SchemaJoin } from "../types.js";

/**
 * The table to read from and the joins that reach every one of `tables`: many → one along the
 * relationships when one table reaches them all that way (no row is counted twice), else the
 * shortest paths either way. Undefined when some table cannot be reached.
 */
export function joinPath(
  schema: SchemaIndex,
  tables: string[],
  prefer?: string,
): { from: string; joins: SchemaJoin[] } | undefined {
  const wanted = [...new Set(tables)];
  if (wanted.length === 0) return undefined;
  if (wanted.length === 1) return { from: wanted[0] as string, joins: [] };
  const rows = new Map(schema.tables.map((table) => [table.name, table.rows]));
  let best: { from: string; joins: SchemaJoin[]; cost: number } | undefined;
  for (const directed of [true, false]) {
    const roots = directed ? schema.tables.map((table) => table.name) : wanted;
    for (const root of roots) {
      const reached = search(schema, root, directed);
      if (!wanted.every((table) => reached.has(table))) continue;
      const joins = unionOfPaths(reached, wanted);
      const cost =
        joins.length * 10 +
        (wanted.includes(root) ? 0 : 5) +
        (root === prefer ? -1 : 0) -
        Math.min(1, (rows.get(root) ?? 0) / 1e9);
      if (!best || cost < best.cost) best = { from: root, joins, cost };
    }
    if (best) return { from: best.from, joins: best.joins };
  }
  return undefined;
}

type Reached = Map<string, { depth: number; via?: SchemaJoin; parent?: string }>;

function search(schema: SchemaIndex, root: string, directed: boolean): Reached {
  const reached: Reached = new Map([[root, { depth: 0 }]]);
  const queue = [root];
  while (queue.length) {
    const table = queue.shift() as string;
    const depth = reached.get(table)?.depth ?? 0;
    for (const join of schema.joins) {
      const next =
        join.fromTable === table
          ? join.toTable
          : !directed && join.toTable === table
            ? join.fromTable
            : undefined;
      if (next === undefined || reached.has(next)) continue;
      reached.set(next, { depth: depth + 1, via: join, parent: table });
      queue.push(next);
    }
  }
  return reached;
}

function unionOfPaths(reached: Reached, wanted: string[]): SchemaJoin[] {
  const needed = new Map<string, number>();
  for (const table of wanted) {
    for (
      let current: string | undefined = table;
      current !== undefined;
      current = reached.get(current)?.parent
    )
      needed.set(current, reached.get(current)?.depth ?? 0);
  }
  return [...needed.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([table]) => reached.get(table)?.via)
    .filter((join): join is SchemaJoin => join !== undefined);
}
