import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { QueryResult } from "./duckdb-engine.js";

/** What makes two queries the same: their workspace, the data they read, their text and their row cap. */
export interface ResultKey {
  workspaceId: string;
  /** The sources whose tables the query reads, at the versions it read. */
  sources: ReadonlyArray<{ id: string; version: number }>;
  /** The guard's normalised statement. */
  normalized: string;
  maxRows: number;
}

interface Entry {
  result: QueryResult;
  workspaceId: string;
  sourceIds: readonly string[];
}

/**
 * Functions whose value changes from one run to the next: a query calling one is not cached.
 * Matched against the guard's normalised (lower-cased, space-separated) statement.
 */
const VOLATILE =
  /\b(random|uuid|gen_random_uuid|uuidv4|uuidv7|setseed|now|today|current_date|current_time|current_timestamp|localtime|localtimestamp|get_current_time|get_current_timestamp|transaction_timestamp|epoch_ms)\b/;

/** A rough size of a result in memory: enough to bound the cache, cheap enough to run on every miss. */
export function resultBytes(result: QueryResult): number {
  let bytes = 64;
  for (const column of result.columns) bytes += 64 + 2 * (column.name.length + column.sourceType.length);
  for (const row of result.rows) {
    bytes += 16 + 8 * row.length;
    for (const cell of row) if (typeof cell === "string") bytes += 2 * cell.length;
  }
  return bytes;
}

/**
 * Results of warehouse queries, kept in memory and bounded by entry count and size. A source's
 * version is part of the key, so new data is never answered from an old result; entries of a
 * deleted or reloaded source are also dropped at once so they do not wait for eviction.
 * Cached results are shared between callers and must not be modified.
 */
export function createResultCache(options: { maxEntries: number; maxBytes: number }) {
  const enabled = options.maxEntries > 0 && options.maxBytes > 0;
  const entries = new LRUCache<string, Entry>({
    max: Math.max(options.maxEntries, 1),
    maxSize: Math.max(options.maxBytes, 1),
    sizeCalculation: (entry) => Math.max(resultBytes(entry.result), 1),
  });

  const keyOf = (key: ResultKey) =>
    createHash("sha256")
      .update(
        JSON.stringify([
          key.workspaceId,
          key.sources.map((source) => `${source.id}@${source.version}`).sort(),
          key.normalized,
          key.maxRows,
        ]),
      )
      .digest("base64url");

  /** Whether a query's result may be kept: the cache is on and the statement is deterministic. */
  const cacheable = (normalized: string) => enabled && !VOLATILE.test(normalized);

  return {
    cacheable,

    get(key: ResultKey): QueryResult | undefined {
      if (!enabled) return undefined;
      return entries.get(keyOf(key))?.result;
    },

    set(key: ResultKey, result: QueryResult): void {
      if (!cacheable(key.normalized)) return;
      // Larger than the whole cache: lru-cache would refuse it anyway.
      if (resultBytes(result) > options.maxBytes) return;
      entries.set(keyOf(key), {
        result,
        workspaceId: key.workspaceId,
        sourceIds: key.sources.map((source) => source.id),
      });
    },

    /** Drops the results that read a source (or, without one, everything of the workspace). */
    invalidate(workspaceId: string, sourceId?: string): void {
      for (const [key, entry] of entries.entries()) {
        if (entry.workspaceId !== workspaceId) continue;
        if (sourceId === undefined || entry.sourceIds.includes(sourceId)) entries.delete(key);
      }
    },

    get size(): { entries: number; bytes: number } {
      return { entries: entries.size, bytes: entries.calculatedSize };
    },
  };
}

export type ResultCache = ReturnType<typeof createResultCache>;
