import { describe, expect, it } from "vitest";
import type { ResultColumn } from "../warehouse/duckdb-engine.js";
import { evaluate } from "./conditions.js";

const columns: ResultColumn[] = [
  { name: "day", type: "date", sourceType: "DATE" },
  { name: "total", type: "decimal", sourceType: "DOUBLE" },
];
const result = (values: number[]) => ({
  columns,
  rows: values.map((value, at) => [`2024-01-${String(at + 1).padStart(2, "0")}`, value]),
});

describe("alert conditions", () => {
  it("fires on a threshold crossed by the last row's figure", () => {
    expect(evaluate({ kind: "threshold", op: ">", value: 100 }, result([50, 120]), null)).toEqual({
      fired: true,
      value: 120,
      message: "total is 120, > 100.",
    });
    expect(evaluate({ kind: "threshold", op: ">", value: 100 }, result([150, 90]), null).fired).toBe(false);
  });

  it("fires on a change since the last check, in the direction asked", () => {
    expect(evaluate({ kind: "change", percent: 10, direction: "down" }, result([80]), 100)).toMatchObject({
      fired: true,
      message: "total fell 20.0% since the last check, from 100 to 80.",
    });
    expect(evaluate({ kind: "change", percent: 10, direction: "up" }, result([80]), 100).fired).toBe(false);
    expect(evaluate({ kind: "change", percent: 10, direction: "any" }, result([80]), null).fired).toBe(false);
  });

  it("fires when the last point is an anomaly, and on any row", () => {
    const noise = [1.2, -0.7, 0.4, -1.1, 0.9, -0.3, 0.6, -0.9, 1.4, -0.5];
    const steady = Array.from({ length: 30 }, (_, t) => 100 + t + (noise[t % 10] ?? 0));
    expect(evaluate({ kind: "anomaly" }, result(steady), null).fired).toBe(false);
    expect(evaluate({ kind: "anomaly" }, result([...steady, 300]), null)).toMatchObject({
      fired: true,
      value: 300,
    });
    expect(evaluate({ kind: "has_rows" }, result([]), null)).toEqual({
      fired: false,
      value: 0,
      message: "The question returned no rows.",
    });
    expect(() =>
      evaluate({ kind: "threshold", column: "nope", op: ">", value: 1 }, result([1]), null),
    ).toThrow(/no column nope/);
  });
});
