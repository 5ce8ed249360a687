import { describe, expect, it } from "vitest";
import { isPublicPath, loginPath, safeNext } from "./session.ts";

describe("session paths", () => {
  it("keeps only same-site paths as the page to return to", () => {
    expect(safeNext("/settings/members?tab=2")).toBe("/settings/members?tab=2");
    expect(safeNext("https://evil.example/")).toBeUndefined();
    expect(safeNext("//evil.example/")).toBeUndefined();
    expect(safeNext("/\\evil.example")).toBeUndefined();
    expect(safeNext("")).toBeUndefined();
    expect(safeNext(null)).toBeUndefined();
  });

  it("builds the sign-in address with where to go next", () => {
    expect(loginPath("/settings/audit?action=auth.login")).toBe(
      "/login?next=%2Fsettings%2Faudit%3Faction%3Dauth.login",
    );
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("//evil.example")).toBe("/login");
  });

  it("tells public pages from signed-in ones", () => {
    for (const path of [
      "/login",
      "/login/code",
      "/signup",
      "/verify",
      "/setup",
      "/forgot-password",
      "/invite/abc",
    ]) {
      expect(isPublicPath(path), path).toBe(true);
    }
    for (const path of ["/", "/settings/members", "/jobs", "/loginx", "/invite"]) {
      expect(isPublicPath(path), path).toBe(false);
    }
  });
});
