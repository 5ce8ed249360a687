import { type Config, ConfigError, loadConfig } from "../config.js";
import { createLogger, type Logger } from "../platform/log.js";

/** Reads the configuration or exits non-zero with one line naming the bad variable. */
export function bootConfig(): { config: Config; log: Logger } {
  try {
    const config = loadConfig();
    return { config, log: createLogger({ level: config.LOG_LEVEL }) };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`sightline: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Runs `stop` on SIGTERM/SIGINT, then exits 0; a second signal, or the deadline passing, exits at once. */
export function onShutdown(log: Logger, deadlineMs: number, stop: () => Promise<void>) {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, deadlineMs }, "shutting down");
    const force = setTimeout(() => {
      log.warn("shutdown deadline passed: exiting with work unfinished (it is retried on the next start)");
      process.exit(0);
    }, deadlineMs + 2_000);
    force.unref();
    stop().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}

export function fail(message: string): never {
  process.stderr.write(`sightline: ${message}\n`);
  process.exit(1);
}
