import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/helpers/app.js";
import { signUp, type TestSession } from "../../../test/helpers/auth.js";
import {
  createRemoteMysql,
  createRemotePostgres,
  hasMysql,
  type RemoteDatabase,
} from "../../../test/helpers/remote-databases.js";
import { hasPostgres } from "../../../test/helpers/services.js";
import { benignQueries, hostileStatements } from "../warehouse/sql-guard.corpus.js";
import type { SqlDialect } from "../warehouse/sql-guard.js";

/**
 * The SQL guard's hostile corpus, sent through `POST /sql` to real live sources: every statement
 * meant for the engine's dialect is refused, and afterwards the data, the tables, the functions
 * and the roles of the database are exactly as before. Statements written for other dialects
 * run too (the guard may let some through as harmless there): they must not change anything either.
 */
const engines = [
  { name: "PostgreSQL", dialect: "postgresql", available: hasPostgres, create: createRemotePostgres },
  { name: "MariaDB", dialect: "mysql", available: hasMysql, create: createRemoteMysql },
] as const satisfies readonly { dialect: SqlDialect; [key: string]: unknown }[];

for (const engine of engines) {
  describe(`the guard's corpus against a live ${engine.name} source`, async () => {
    const available = await engine.available();
    let app: TestApp;
    let remote: RemoteDatabase;
    let ann: TestSession;
    let sourceId: string;

    beforeAll(async () => {
      if (!available) return;
      remote = await engine.create();
      app = await createTestApp({ env: { SQL_TIMEOUT_MS: "1500" } });
      ann = await signUp(app, "ann@example.com");
      const created = await app.http.inject({
        method: "POST",
        url: "/api/v1/sources/connections",
        headers: ann.headers,
        payload: { name: "Corpus", mode: "live", settings: remote.settings },
      });
      if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
      sourceId = created.json().id;
    });
    afterAll(async () => {
      await app?.dispose();
      await remote?.drop();
    });

    const sql = (statement: string) =>
      app.http.inject({
        method: "POST",
        url: "/api/v1/sql",
        headers: ann.headers,
        payload: { sql: statement, sourceId },
      });

    it.skipIf(!available)("refuses every hostile statement and leaves the database unchanged", async () => {
      const before = await remote.checksum();
      const passed: string[] = [];
      const failures: string[] = [];
      for (const entry of hostileStatements) {
        if (!entry.sql.trim()) continue;
        const response = await sql(entry.sql);
        const mine = !entry.dialects || entry.dialects.includes(engine.dialect);
        if (response.statusCode >= 500) failures.push(`${response.statusCode} ${entry.sql}`);
        if (mine && !(response.statusCode === 400 && response.json().code === "sql_refused")) {
          passed.push(`${response.statusCode} ${entry.sql}`);
        }
      }
      expect(passed, "statements of this dialect the guard let through").toEqual([]);
      expect(failures).toEqual([]);
      expect(await remote.checksum()).toBe(before);
    });

    it.skipIf(!available)("lets the benign queries of its dialect through to the database", async () => {
      const refused: string[] = [];
      let answered = 0;
      for (const entry of benignQueries.filter((query) => query.dialects.includes(engine.dialect))) {
        const response = await sql(entry.sql);
        // A few corpus entries use DuckDB spellings (`::double`) the database itself rejects.
        if (response.statusCode === 200) answered++;
        else if (response.statusCode >= 500 || response.json().code === "sql_refused") {
          refused.push(`${response.statusCode} ${entry.sql}: ${response.json().detail}`);
        }
      }
      expect(refused).toEqual([]);
      expect(answered).toBeGreaterThan(20);
    });
  });
}
