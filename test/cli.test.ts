import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { version } from "../src/version.js";
import { freePort } from "./helpers/child-server.js";

const bin = path.resolve("bin/sightline.js");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "sightline-cli-"));
  dirs.push(dir);
  return dir;
}

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("sightline command", () => {
  it("prints its version and help", () => {
    expect(run(["--version"]).stdout.trim()).toBe(version);
    const help = run(["--help"]).stdout;
    for (const command of ["serve", "worker", "migrate"]) expect(help).toContain(command);
    expect(run(["serve", "--help"]).stdout).toContain("--no-workers");
  });

  it("exits non-zero naming the variable when the configuration is invalid", () => {
    const result = run(["serve"], { PORT: "abc", DATA_DIR: dataDir() });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses to run a worker without a shared PostgreSQL", () => {
    const result = run(["worker"], { DATA_DIR: dataDir(), DATABASE_URL: "" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/DATABASE_URL/);
  });

  it("migrates an empty data directory", () => {
    const result = run(["migrate"], { DATA_DIR: dataDir(), LOG_LEVEL: "info" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("migrations applied");
  });

  it("serves /healthz on an empty data directory with the demo sign-in, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [bin, "serve", "--demo", "--no-build"], {
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir(), LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    try {
      const deadline = Date.now() + 30_000;
      let health: Response | undefined;
      while (Date.now() < deadline && !health) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (!health) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status, stderr).toBe(200);
      expect(await health?.json()).toEqual({ status: "ok", version });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      while (Date.now() < deadline && !stdout.includes("Demo sign-in")) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const [, email, password] = /Demo sign-in: (\S+) \/ (\S+)/.exec(stdout) ?? [];
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status, stdout).toBe(200);
      expect(await login.json()).toMatchObject({
        codeRequired: false,
        workspaces: [{ name: "Demo workspace (sample data)", isDemo: true }],
      });
      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      expect(code).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
