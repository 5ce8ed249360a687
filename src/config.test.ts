import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, configDocs, loadConfig, publicUrl, resolveSecretKey } from "./config.js";

describe("loadConfig", () => {
  it("runs on defaults with an empty environment", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe("./data");
    expect(config.AI_PROVIDER).toBe("offline");
    expect(config.RUN_WORKERS).toBe(true);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(publicUrl(config)).toBe("http://localhost:3000");
  });

  it("coerces numbers and booleans and treats empty values as unset", () => {
    const config = loadConfig({ PORT: "8080", RUN_WORKERS: "false", SMTP_HOST: "", REDIS_URL: "" });
    expect(config.PORT).toBe(8080);
    expect(config.RUN_WORKERS).toBe(false);
    expect(config.SMTP_HOST).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it("names the variable and the value in one line when a value is invalid", () => {
    expect(() => loadConfig({ PORT: "abc" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "abc" })).toThrow(/^Invalid configuration: PORT: .*"abc"/);
    expect(() => loadConfig({ AI_PROVIDER: "skynet" })).toThrow(/AI_PROVIDER/);
    expect(() => loadConfig({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });

  it("never echoes a secret it rejects", () => {
    try {
      loadConfig({ SECRET_KEY: "short-secret" });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/SECRET_KEY: must be at least 32 characters/);
      expect(String(error)).not.toContain("short-secret");
    }
  });
});

describe("resolveSecretKey", () => {
  it("generates a key once into DATA_DIR with mode 0600 and reuses it", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-config-"));
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = resolveSecretKey(config);
    const file = path.join(dataDir, "secret.key");
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveSecretKey(config)).toBe(first);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
  });

  it("prefers SECRET_KEY when set", () => {
    const key = "k".repeat(40);
    expect(resolveSecretKey(loadConfig({ SECRET_KEY: key, DATA_DIR: "/nonexistent" }))).toBe(key);
  });
});

describe("configuration docs", () => {
  it("docs/configuration.md is generated from the schema (run `npm run docs:config` when this fails)", () => {
    const file = readFileSync(new URL("../docs/configuration.md", import.meta.url), "utf8");
    expect(file).toBe(configDocs());
  });

  it("documents every variable", () => {
    for (const name of [
      "PORT",
      "DATABASE_URL",
      "REDIS_URL",
      "SECRET_KEY",
      "AI_PROVIDER",
      "SMTP_HOST",
      "PUBLIC_URL",
    ]) {
      expect(configDocs()).toContain(`\`${name}\``);
    }
  });
});
