/** A seeded PRNG (mulberry32) and the draws the generators need: the same seed gives the same data everywhere. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return {
    next,
    int,
    pick,
    chance: (p: number) => next() < p,
    /** One item, drawn with the given relative weights. */
    weighted<T>(items: readonly (readonly [T, number])[]): T {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let draw = next() * total;
      for (const [item, weight] of items) {
        draw -= weight;
        if (draw < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    /** Roughly normal (sum of uniforms), clamped to [min, max]. */
    around(mean: number, spread: number, min: number, max: number) {
      const value = mean + (next() + next() + next() + next() - 2) * spread;
      return Math.min(max, Math.max(min, value));
    },
    /** A day between two ISO dates, inclusive. */
    day(from: string, to: string): string {
      const start = Date.parse(`${from}T00:00:00Z`);
      const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000);
      return isoDay(start + int(0, days) * 86_400_000);
    },
  };
}

export type Random = ReturnType<typeof createRandom>;

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000);
}

/** `2024-03-01 14:05:00`: the text DuckDB reads as a TIMESTAMP. */
export function timestamp(day: string, minutes: number): string {
  const time = new Date(Date.parse(`${day}T00:00:00Z`) + minutes * 60_000).toISOString();
  return `${time.slice(0, 10)} ${time.slice(11, 19)}`;
}

/** Cents to a money amount with two decimals. */
export const money = (cents: number) => Math.round(cents) / 100;

/** The later of two ISO days (compared as text, which orders ISO days correctly). */
export function laterDay(a: string, b: string): string {
  return a.localeCompare(b) >= 0 ? a : b;
}
