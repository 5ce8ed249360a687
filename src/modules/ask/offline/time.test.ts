import { describe, expect, it } from "vitest";
import { readTimes } from "./time.js";

const today = new Date("2024-06-15T00:00:00Z");
const range = (text: string) => readTimes(text, today).spans.map(({ from, to }) => ({ from, to }));

describe("readTimes", () => {
  it.each([
    ["orders in 2024", { from: "2024-01-01", to: "2025-01-01" }],
    ["revenue in March 2024", { from: "2024-03-01", to: "2024-04-01" }],
    ["sales in Q3 2023", { from: "2023-07-01", to: "2023-10-01" }],
    ["the third quarter of 2023", { from: "2023-07-01", to: "2023-10-01" }],
    ["between June 1 2024 and August 31 2024", { from: "2024-06-01", to: "2024-09-01" }],
    ["last month", { from: "2024-05-01", to: "2024-06-01" }],
    ["last quarter", { from: "2024-01-01", to: "2024-04-01" }],
    ["year to date", { from: "2024-01-01", to: "2024-06-16" }],
    ["since January", { from: "2024-01-01", to: undefined }],
    ["in September", { from: "2023-09-01", to: "2023-10-01" }],
    ["before 2024", { from: undefined, to: "2024-01-01" }],
    ["after 2023", { from: "2024-01-01", to: undefined }],
    ["the last 30 days", { from: "2024-05-17", to: "2024-06-16" }],
    ["this year", { from: "2024-01-01", to: "2025-01-01" }],
    ["on 2024-03-05", { from: "2024-03-05", to: "2024-03-06" }],
    ["yesterday", { from: "2024-06-14", to: "2024-06-15" }],
  ])("%s", (text, expected) => {
    expect(range(text)).toEqual([expected]);
  });

  it("leaves numbers that are not years alone", () => {
    expect(range("orders over 2000")).toEqual([]);
    expect(range("top 5 customers with more than 10 orders")).toEqual([]);
  });

  it("reads buckets, and not from a range", () => {
    expect(readTimes("revenue per month", today).buckets.map((bucket) => bucket.bucket)).toEqual(["month"]);
    expect(readTimes("quarterly revenue over time", today).buckets.map((bucket) => bucket.bucket)).toEqual([
      "quarter",
      "month",
    ]);
    expect(readTimes("revenue last month", today).buckets).toEqual([]);
    expect(readTimes("orders in the last 3 months", today).buckets).toEqual([]);
  });
});
