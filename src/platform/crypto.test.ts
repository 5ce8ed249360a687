import { describe, expect, it } from "vitest";
import { SealBroken, seal, unseal } from "./crypto.js";

const secret = "a-test-secret-that-is-at-least-32-characters";

describe("seal and unseal", () => {
  it("round-trips a value and never shows the plaintext", () => {
    const sealed = seal(secret, "connections", '{"password":"hunter2"}', "source-1");
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain("hunter2");
    expect(unseal(secret, "connections", sealed, "source-1")).toBe('{"password":"hunter2"}');
  });

  it("uses a fresh IV each time", () => {
    expect(seal(secret, "connections", "same")).not.toBe(seal(secret, "connections", "same"));
  });

  it("refuses a tampered ciphertext, tag or IV", () => {
    const sealed = seal(secret, "connections", "the password is hunter2");
    const parts = sealed.split(".");
    for (const index of [1, 2, 3]) {
      const changed = [...parts];
      const part = changed[index] ?? "";
      changed[index] = `${part[0] === "A" ? "B" : "A"}${part.slice(1)}`;
      expect(() => unseal(secret, "connections", changed.join("."))).toThrow(SealBroken);
    }
  });

  it("refuses another key, another purpose, another context and unknown versions", () => {
    const sealed = seal(secret, "connections", "x", "source-1");
    expect(() => unseal(`${secret}-rotated`, "connections", sealed, "source-1")).toThrow(SealBroken);
    expect(() => unseal(secret, "cookies", sealed, "source-1")).toThrow(SealBroken);
    expect(() => unseal(secret, "connections", sealed, "source-2")).toThrow(SealBroken);
    expect(() => unseal(secret, "connections", sealed.replace(/^v1/, "v2"), "source-1")).toThrow(SealBroken);
    expect(() => unseal(secret, "connections", "garbage", "source-1")).toThrow(SealBroken);
  });
});
