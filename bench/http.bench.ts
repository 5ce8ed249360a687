// HTTP overhead: Sightline's full stack (helmet, CORS, rate limit, Zod serialization, metrics,
// request ids) on JSON endpoints vs a bare Fastify hello-world, measured in the same run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort, startServer, stopServer } from "./lib/child-server.js";
import { report } from "./lib/report.js";

const durationSeconds = Number(process.env.BENCH_SECONDS ?? 5);

async function load(url: string): Promise<number> {
  // Warm up, then measure.
  await autocannon({ url, connections: 50, duration: 1 });
  const result = await autocannon({ url, connections: 50, pipelining: 1, duration: durationSeconds });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return result.requests.average;
}

const barePort = await freePort();
const bare = await startServer(
  ["bench/servers/bare-fastify.ts"],
  { PORT: String(barePort) },
  `http://127.0.0.1:${barePort}/hello`,
);
const bareRps = await load(`http://127.0.0.1:${barePort}/hello`);
await stopServer(bare);

const port = await freePort();
const dataDir = mkdtempSync(path.join(tmpdir(), "sightline-bench-"));
const sightline = await startServer(
  ["bin/sightline.js", "serve", "--no-build"],
  {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    RATE_LIMIT_MAX: "100000000",
  },
  `http://127.0.0.1:${port}/healthz`,
);
try {
  report("http.bare_fastify_hello", bareRps, "req/s");
  const healthRps = await load(`http://127.0.0.1:${port}/healthz`);
  report("http.healthz", healthRps, "req/s", { name: "bare Fastify", value: bareRps, higherIsBetter: true });
  const openapiRps = await load(`http://127.0.0.1:${port}/openapi.json`);
  report("http.openapi_json_cached", openapiRps, "req/s", {
    name: "bare Fastify",
    value: bareRps,
    higherIsBetter: true,
  });
} finally {
  await stopServer(sightline);
  rmSync(dataDir, { recursive: true, force: true });
}
