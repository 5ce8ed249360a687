import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { publicUrl } from "../config.js";
import { bootConfig, fail, onShutdown } from "./boot.js";

export function registerServeCommand(program: Command) {
  program
    .command("serve")
    .description("run the HTTP server and, unless RUN_WORKERS=false, the job workers")
    .option("--demo", "run with the demo workspace and simulated third-party APIs")
    .option("--no-workers", "do not run job workers in this process")
    .option("--no-build", "do not build the web app when it is missing")
    .action(async (options: { demo?: boolean; workers: boolean; build: boolean }) => {
      const { config: loaded, log } = bootConfig();
      const config = options.demo ? { ...loaded, DEMO: true } : loaded;
      const { createApp, webRoot } = await import("../app.js");
      if (options.build) ensureWebBuild(webRoot, log.info.bind(log));
      let app: Awaited<ReturnType<typeof createApp>>;
      try {
        app = await createApp({ config, log });
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
      onShutdown(log, config.SHUTDOWN_TIMEOUT_MS, () => app.close());
      if (options.workers && config.RUN_WORKERS) await app.startWorkers();
      await app.http.listen({ port: config.PORT, host: config.HOST });
      log.info(
        {
          url: publicUrl(config),
          database: app.platform.database.kind,
          jobs: app.platform.jobs.kind,
          demo: config.DEMO,
        },
        "Sightline is running",
      );
      const { demoAccount } = await import("../modules/auth/index.js");
      process.stdout.write(
        `\n  Sightline is running at ${publicUrl(config)}  (API docs: ${publicUrl(config)}/docs)\n` +
          (config.DEMO
            ? `  Demo workspace "${demoAccount.workspaceName}"\n` +
              `  Demo sign-in: ${demoAccount.email} / ${demoAccount.password}\n`
            : "") +
          "\n",
      );
    });
}

/** `npm start` on a fresh clone: build the web app once when dist/web is missing. */
function ensureWebBuild(webRoot: string, info: (message: string) => void) {
  if (existsSync(path.join(webRoot, "index.html"))) return;
  const root = path.resolve(webRoot, "../..");
  const vite = path.join(root, "node_modules", "vite", "bin", "vite.js");
  if (!existsSync(vite)) {
    info("web app not built and Vite is not installed: serving the API only (run `npm run build`)");
    return;
  }
  info("building the web app (first start)…");
  const result = spawnSync(
    process.execPath,
    [vite, "build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (result.status !== 0) info("web build failed: serving the API only");
}
