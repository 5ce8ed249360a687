import type { Command } from "commander";
import { bootConfig, fail } from "./boot.js";

export function registerMigrateCommand(program: Command) {
  program
    .command("migrate")
    .description("apply pending metadata database migrations and exit")
    .action(async () => {
      const { config, log } = bootConfig();
      try {
        const { openDatabase } = await import("../platform/db/index.js");
        const database = await openDatabase({
          dataDir: config.DATA_DIR,
          ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
        });
        await database.migrate();
        await database.close();
        log.info({ database: database.kind }, "migrations applied");
      } catch (error) {
        fail(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
}
