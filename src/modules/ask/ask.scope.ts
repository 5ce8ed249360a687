import { LRUCache } from "lru-cache";
import { Invalid, NotFound } from "../../platform/errors.js";
import type { RequestContext } from "../auth/context.js";
import type { DuckEngine, QueryResult } from "../warehouse/duckdb-engine.js";
import type { buildSchemaIndex } from "./schema-index.js";
import type { AskDialect, SchemaIndex, SchemaJoin } from "./types.js";

/** A source as questions see it: its tables, its data version, and whether it is queried live. */
export interface AskSource {
  id: string;
  format: string;
  mode: "live" | "import" | null;
  status: string;
  version: number;
  tables: { name: string; rows: number; columns: { name: string; type: string }[]; remoteName?: string }[];
}

/** What the ask module needs of the sources module: its catalog, its warehouse and its one guarded `sql()` path. */
export interface AskData {
  sources(ctx: RequestContext): Promise<AskSource[]>;
  warehouse(workspaceId: string): Promise<Pick<DuckEngine, "query">>;
  sql(
    ctx: RequestContext,
    input: { sql: string; maxRows?: number; sourceId?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<QueryResult>;
  joins(workspaceId: string): Promise<SchemaJoin[]>;
}

/** Where a question is answered: the warehouse (`sourceId` absent), or one live source in its own database. */
export interface AskScope {
  schema: SchemaIndex;
  /** Set for a live source: its SQL runs there, in its dialect. */
  liveSourceId?: string;
}

const DIALECTS: Record<string, AskDialect> = { postgres: "postgresql", mysql: "mysql", sqlite: "postgresql" };

const empty: QueryResult = { columns: [], rows: [], truncated: false, durationMs: 0 };

/**
 * The SchemaIndex of each scope, built once per data version: the key is the versions of the
 * sources it reads and the joins between them, so a new load or a changed relationship rebuilds it.
 */
export function createSchemaScopes(deps: {
  data: AskData;
  build: typeof buildSchemaIndex;
  maxEntries?: number;
}) {
  const { data } = deps;
  const cache = new LRUCache<string, { signature: string; index: Promise<SchemaIndex> }>({
    max: deps.maxEntries ?? 100,
  });

  function cached(key: string, signature: string, build: () => Promise<SchemaIndex>): Promise<SchemaIndex> {
    const hit = cache.get(key);
    if (hit?.signature === signature) return hit.index;
    const index = build();
    cache.set(key, { signature, index });
    // A failed build is not kept: the next question tries again.
    index.catch(() => {
      if (cache.get(key)?.index === index) cache.delete(key);
    });
    return index;
  }

  return {
    async scopeFor(ctx: RequestContext, sourceId?: string): Promise<AskScope> {
      const sources = (await data.sources(ctx)).filter((source) => source.status === "ready");
      const chosen = sourceId ? sources.find((source) => source.id === sourceId) : undefined;
      if (sourceId && !chosen) throw new NotFound("Source", { id: sourceId });
      const joins = await data.joins(ctx.workspaceId);

      if (chosen?.mode === "live") {
        const remote = new Map(chosen.tables.map((table) => [table.name, table.remoteName ?? table.name]));
        const tables = chosen.tables.map((table) => ({
          ...table,
          name: remote.get(table.name) ?? table.name,
        }));
        const liveJoins = joins
          .filter((join) => remote.has(join.fromTable) && remote.has(join.toTable))
          .map((join) => ({
            ...join,
            fromTable: remote.get(join.fromTable) ?? join.fromTable,
            toTable: remote.get(join.toTable) ?? join.toTable,
          }));
        // Statistics come through the same guarded path; a database that refuses one leaves it out.
        const engine: Pick<DuckEngine, "query"> = {
          query: (sql, limits) =>
            data.sql(ctx, { sql, maxRows: limits.maxRows, sourceId: chosen.id }).catch(() => empty),
        };
        const signature = `${chosen.version}|${JSON.stringify(liveJoins)}`;
        const schema = await cached(`${ctx.workspaceId}|${chosen.id}`, signature, () =>
          deps.build({ engine, tables, joins: liveJoins, dialect: DIALECTS[chosen.format] ?? "postgresql" }),
        );
        return { schema, liveSourceId: chosen.id };
      }

      const scoped = (chosen ? [chosen] : sources).filter((source) => source.mode !== "live");
      const tables = scoped.flatMap((source) => source.tables);
      if (tables.length === 0) {
        throw new Invalid("There is no data to ask about yet: add a source and wait until it is ready");
      }
      const names = new Set(tables.map((table) => table.name));
      const scopedJoins = joins
        .filter((join) => names.has(join.fromTable) && names.has(join.toTable))
        .map(({ fromTable, fromColumn, toTable, toColumn }) => ({
          fromTable,
          fromColumn,
          toTable,
          toColumn,
        }));
      const signature = [
        ...scoped.map((source) => `${source.id}:${source.version}`).sort(),
        JSON.stringify(scopedJoins),
      ].join("|");
      const engine = await data.warehouse(ctx.workspaceId);
      const schema = await cached(`${ctx.workspaceId}|${chosen?.id ?? "warehouse"}`, signature, () =>
        deps.build({ engine, tables, joins: scopedJoins, dialect: "duckdb" }),
      );
      return { schema };
    },

    /** Forgets a deleted workspace's indexes. */
    forget(workspaceId: string): void {
      for (const key of [...cache.keys()]) if (key.startsWith(`${workspaceId}|`)) cache.delete(key);
    },
  };
}

export type SchemaScopes = ReturnType<typeof createSchemaScopes>;
