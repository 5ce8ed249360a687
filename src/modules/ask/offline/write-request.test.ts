import { describe, expect, it } from "vitest";
import { writeRequest } from "./engine.js";

describe("requests to change data", () => {
  it.each([
    ["delete all orders", "delete"],
    ["Please drop the customers table", "drop"],
    ["can you update the prices of every product", "update"],
    ["Insert a new customer called Acme", "insert"],
    ["truncate orders", "truncate"],
    ["remove the cancelled orders", "remove"],
    ["run DELETE FROM orders", "run"],
  ])("refuses %s", (question, verb) => {
    expect(writeRequest(question)).toBe(verb);
  });

  it.each([
    "How many orders were deleted?",
    "show orders by status",
    "Which products were added last month?",
    "total revenue by channel",
    "Count the number of updates per ticket",
    "change in revenue by month",
    "run rate by quarter",
  ])("reads %s as a question", (question) => {
    expect(writeRequest(question)).toBeUndefined();
  });
});
