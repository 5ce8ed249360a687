import { describe, expect, it } from "vitest";
import { confirmsName, workspaceNameProblem } from "./workspace-name.ts";

describe("workspace names", () => {
  it("asks for a name that is neither blank nor too long", () => {
    expect(workspaceNameProblem("")).toBe("Enter a name for the workspace.");
    expect(workspaceNameProblem("   ")).toBe("Enter a name for the workspace.");
    expect(workspaceNameProblem("x".repeat(101))).toMatch(/at most 100 characters \(this one has 101\)/);
    expect(workspaceNameProblem(`  ${"x".repeat(100)}  `)).toBeUndefined();
    expect(workspaceNameProblem("Acme Field Services")).toBeUndefined();
  });

  it("confirms a deletion only with the workspace's exact name", () => {
    expect(confirmsName("Acme", "Acme")).toBe(true);
    expect(confirmsName(" Acme ", "Acme")).toBe(true);
    expect(confirmsName("acme", "Acme")).toBe(false);
    expect(confirmsName("Acm", "Acme")).toBe(false);
    expect(confirmsName("", "Acme")).toBe(false);
  });
});
