import { createMysqlConnector } from "./mysql.js";
import { createPostgresConnector } from "./postgres.js";
import { createSqliteConnector } from "./sqlite.js";
import type { ConnectionSettings, Connector } from "./types.js";

export { allowedSqlitePath } from "./sqlite.js";
export * from "./types.js";

export interface ConnectorOptions {
  connectTimeoutMs: number;
  /** Directories SQLite files may be opened from; none switches SQLite connections off. */
  sqliteAllowedDirs: readonly string[];
}

/** A connector for the settings' engine. Server connectors keep a small pool: `close()` it when done. */
export function openConnector(settings: ConnectionSettings, options: ConnectorOptions): Connector {
  switch (settings.engine) {
    case "postgres":
      return createPostgresConnector(settings, options);
    case "mysql":
      return createMysqlConnector(settings, options);
    case "sqlite":
      return createSqliteConnector(settings, { allowedDirs: options.sqliteAllowedDirs });
  }
}
