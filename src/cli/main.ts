import { Command } from "commander";
import { configDocs } from "../config.js";
import { version } from "../version.js";
import { registerAskCommand } from "./ask.command.js";
import { registerIngestCommand } from "./ingest.command.js";
import { registerMigrateCommand } from "./migrate.command.js";
import { registerServeCommand } from "./serve.command.js";
import { registerSqlCommand } from "./sql.command.js";
import { registerWorkerCommand } from "./worker.command.js";

const program = new Command()
  .name("sightline")
  .description("Sightline: the self-hosted AI analyst for service businesses")
  .version(version, "-v, --version", "print the version")
  .showHelpAfterError();

registerServeCommand(program);
registerWorkerCommand(program);
registerMigrateCommand(program);
registerSqlCommand(program);
registerAskCommand(program);
registerIngestCommand(program);
program
  .command("config-docs")
  .description("print the configuration reference (Markdown) generated from the config schema")
  .action(() => {
    process.stdout.write(configDocs());
  });

await program.parseAsync(process.argv);
