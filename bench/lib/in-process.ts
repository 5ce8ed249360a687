// A real Sightline server started in this process on a fresh DATA_DIR, with a signed-in owner.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, openAsBlob, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/platform/log.js";

/**
 * Uploads go through curl when it is installed: a client in its own process, as a browser is, so
 * encoding the multipart body does not share the server's event loop. Without curl, fetch does.
 */
const hasCurl = !spawnSync("curl", ["--version"]).error;

async function curlUpload(
  url: string,
  headers: Record<string, string>,
  file: string,
  name: string,
  raw: boolean,
) {
  const args = raw
    ? [
        "-sS",
        "--fail-with-body",
        "-H",
        "content-type: text/csv",
        "--data-binary",
        `@${file}`,
        `${url}/api/v1/sources?fileName=${encodeURIComponent(name)}`,
      ]
    : ["-sS", "--fail-with-body", "-F", `file=@${file};filename=${name}`, `${url}/api/v1/sources`];
  for (const [key, value] of Object.entries(headers)) args.unshift("-H", `${key}: ${value}`);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile("curl", args, { maxBuffer: 1 << 20 }, (error, out) => (error ? reject(error) : resolve(out))),
  );
  return JSON.parse(stdout) as { id: string };
}

async function fetchUpload(url: string, headers: Record<string, string>, file: string, name: string) {
  const form = new FormData();
  form.append("file", await openAsBlob(file), name);
  const created = await fetch(`${url}/api/v1/sources`, { method: "POST", headers, body: form });
  if (created.status !== 202) throw new Error(`upload failed: ${created.status} ${await created.text()}`);
  return (await created.json()) as { id: string };
}

export interface BenchServer {
  url: string;
  headers: Record<string, string>;
  /**
   * Uploads a file through POST /api/v1/sources — multipart, or with `raw` the file as the body —
   * and polls until its source is ready; returns it.
   */
  upload(
    file: string,
    name: string,
    options?: { raw?: boolean },
  ): Promise<{ id: string; tables: { name: string; rows: number }[]; acceptedMs: number }>;
  /** Waits until no background job is queued or running (a load's follow-up work, say). */
  settle(): Promise<void>;
  /** POST /api/v1/sql; answers the parsed body. */
  sql(statement: string): Promise<{ rows: unknown[][]; cached: boolean }>;
  stop(): Promise<void>;
}

export async function startSightline(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-bench-"));
  const config = loadConfig({ LOG_LEVEL: "warn", RATE_LIMIT_MAX: "100000000", ...env, DATA_DIR: dataDir });
  const app = await createApp({ config, log: createLogger({ level: config.LOG_LEVEL }) });
  await app.startWorkers();
  const url = await app.http.listen({ port: 0, host: "127.0.0.1" });
  const setup = await fetch(`${url}/api/v1/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: "bench@example.com",
      password: "correct horse battery",
      name: "Bench",
      workspaceName: "Bench",
    }),
  });
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
  const session = (await setup.json()) as { accessToken: string; workspaces: { id: string }[] };
  const headers = {
    authorization: `Bearer ${session.accessToken}`,
    "x-workspace-id": session.workspaces[0]?.id ?? "",
  };

  return {
    url,
    headers,
    async upload(file, name, options = {}) {
      const started = performance.now();
      const { id } = hasCurl
        ? await curlUpload(url, headers, file, name, options.raw ?? false)
        : await fetchUpload(url, headers, file, name);
      const acceptedMs = performance.now() - started;
      const deadline = Date.now() + 30 * 60_000;
      while (Date.now() < deadline) {
        const source = (await (await fetch(`${url}/api/v1/sources/${id}`, { headers })).json()) as {
          id: string;
          status: string;
          error: string | null;
          tables: { name: string; rows: number }[];
        };
        if (source.status === "ready") return { ...source, acceptedMs };
        if (source.status === "failed") throw new Error(`load failed: ${source.error}`);
        // The server shares this process: polling faster would take CPU from the load it waits for.
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`${name} was not ready within 30 minutes`);
    },
    async settle() {
      const busy = async (status: string) => {
        const page = await fetch(`${url}/api/v1/jobs?status=${status}&limit=1`, { headers });
        if (page.status !== 200) throw new Error(`jobs: ${page.status} ${await page.text()}`);
        return ((await page.json()) as { items: unknown[] }).items.length > 0;
      };
      const deadline = Date.now() + 10 * 60_000;
      while (Date.now() < deadline) {
        if (!(await busy("running")) && !(await busy("queued"))) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("background jobs still running after 10 minutes");
    },
    async sql(statement) {
      const response = await fetch(`${url}/api/v1/sql`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ sql: statement }),
      });
      if (response.status !== 200) throw new Error(`sql failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as { rows: unknown[][]; cached: boolean };
    },
    async stop() {
      await app.close(5_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sizes from an env var: `BENCH_X=2000000,5000000`. */
export function sizesFrom(name: string, defaults: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return defaults;
  return raw.split(",").map((value) => Number(value.trim().replaceAll("_", "")));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The mixed-type rows both benches load: id, date, decimal amount, text category, boolean. */
export function generatedRows(rows: number): string {
  return `select range as id,
      date '2020-01-01' + (range % 1461)::int as day,
      ((range * 7919) % 1000000 / 100.0)::decimal(10,2) as amount,
      'category_' || (range % 37) as category,
      range % 3 = 0 as active
    from range(${rows})`;
}
