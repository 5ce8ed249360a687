import { describe, expect, it } from "vitest";
import type { QueryResult } from "./duckdb-engine.js";
import { createResultCache, type ResultKey, resultBytes } from "./result-cache.js";

const result = (rows: QueryResult["rows"]): QueryResult => ({
  columns: [{ name: "v", type: "text", sourceType: "VARCHAR" }],
  rows,
  truncated: false,
  durationMs: 5,
});
const key = (overrides: Partial<ResultKey> = {}): ResultKey => ({
  workspaceId: "w1",
  sources: [{ id: "s1", version: 1 }],
  normalized: "select v from t",
  maxRows: 100,
  ...overrides,
});

describe("result cache", () => {
  const big = { maxEntries: 100, maxBytes: 1_000_000 };

  it("answers the same query over the same data, and nothing else", () => {
    const cache = createResultCache(big);
    const stored = result([["a"]]);
    cache.set(key(), stored);
    expect(cache.get(key())).toBe(stored);
    expect(cache.get(key({ maxRows: 10 }))).toBeUndefined();
    expect(cache.get(key({ workspaceId: "w2" }))).toBeUndefined();
    expect(cache.get(key({ normalized: "select v from t where v = 'b'" }))).toBeUndefined();
  });

  it("misses once a source the query read has a new version", () => {
    const cache = createResultCache(big);
    const twoSources = key({
      sources: [
        { id: "s1", version: 1 },
        { id: "s2", version: 4 },
      ],
    });
    cache.set(twoSources, result([["a"]]));
    // The order the tables were read in does not matter; their versions do.
    expect(
      cache.get({
        ...twoSources,
        sources: [
          { id: "s2", version: 4 },
          { id: "s1", version: 1 },
        ],
      }),
    ).toBeDefined();
    expect(
      cache.get({
        ...twoSources,
        sources: [
          { id: "s1", version: 2 },
          { id: "s2", version: 4 },
        ],
      }),
    ).toBeUndefined();
  });

  it("drops a source's results when told, and keeps the rest", () => {
    const cache = createResultCache(big);
    cache.set(key(), result([["a"]]));
    cache.set(key({ sources: [{ id: "s2", version: 1 }] }), result([["b"]]));
    cache.set(key({ workspaceId: "w2", sources: [{ id: "s1", version: 1 }] }), result([["c"]]));
    cache.invalidate("w1", "s1");
    expect(cache.get(key())).toBeUndefined();
    expect(cache.get(key({ sources: [{ id: "s2", version: 1 }] }))).toBeDefined();
    expect(cache.get(key({ workspaceId: "w2" }))).toBeDefined();
    cache.invalidate("w1");
    expect(cache.size.entries).toBe(1);
  });

  it("evicts the least recently used entries beyond its entry and byte bounds", () => {
    const byCount = createResultCache({ maxEntries: 2, maxBytes: 1_000_000 });
    byCount.set(key({ normalized: "q1" }), result([["a"]]));
    byCount.set(key({ normalized: "q2" }), result([["b"]]));
    byCount.get(key({ normalized: "q1" }));
    byCount.set(key({ normalized: "q3" }), result([["c"]]));
    expect(byCount.get(key({ normalized: "q2" }))).toBeUndefined();
    expect(byCount.get(key({ normalized: "q1" }))).toBeDefined();
    expect(byCount.get(key({ normalized: "q3" }))).toBeDefined();

    const row = result([["x".repeat(1000)]]);
    const bySize = createResultCache({ maxEntries: 100, maxBytes: resultBytes(row) * 3 });
    for (const n of [1, 2, 3, 4, 5]) bySize.set(key({ normalized: `q${n}` }), row);
    expect(bySize.size.entries).toBe(3);
    expect(bySize.size.bytes).toBeLessThanOrEqual(resultBytes(row) * 3);
    expect(bySize.get(key({ normalized: "q1" }))).toBeUndefined();
    expect(bySize.get(key({ normalized: "q5" }))).toBeDefined();
    // A result larger than the whole cache is not kept, and evicts nothing.
    bySize.set(key({ normalized: "huge" }), result([["x".repeat(10_000)]]));
    expect(bySize.get(key({ normalized: "huge" }))).toBeUndefined();
    expect(bySize.size.entries).toBe(3);
  });

  it("keeps no results of queries whose answer changes by itself, nor when turned off", () => {
    const cache = createResultCache(big);
    for (const normalized of [
      "select random ( ) as r",
      "select * from t where d < current_date",
      "select now ( )",
    ]) {
      expect(cache.cacheable(normalized), normalized).toBe(false);
      cache.set(key({ normalized }), result([["a"]]));
      expect(cache.get(key({ normalized }))).toBeUndefined();
    }
    expect(cache.cacheable("select randomness from t")).toBe(true);
    const off = createResultCache({ maxEntries: 0, maxBytes: 1_000_000 });
    off.set(key(), result([["a"]]));
    expect(off.get(key())).toBeUndefined();
  });
});
