/**
 * The code of the worker thread that runs one SQLite task. SQLite in WebAssembly is synchronous,
 * so it runs off the event loop, and a task past its timeout ends by terminating the thread.
 * Plain CommonJS, evaluated by `new Worker(code, { eval: true })`, so it needs no TypeScript
 * loader; `workerData.module` is the resolved path of node-sqlite3-wasm.
 *
 * Tasks: `version`; `introspect`; `query` (rows up to maxRows + 1); `stream` (every row, posted in
 * batches: after each the worker sleeps on `workerData.gate` until the reader asks for the next, so
 * a slow reader holds the statement rather than piling rows up). Rows are arrays in column order: node-sqlite3-wasm returns objects keyed by column
 * name, so the statement is given positional names (`c0`, `c1`…) to keep duplicates apart.
 */
export const sqliteWorkerSource = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const { Database } = require(workerData.module);
const task = workerData.task;
const post = (message) => parentPort.postMessage(message);

function rowsOf(db, sql, limit, onBatch) {
  const statement = db.prepare(sql);
  try {
    const names = typeof statement._getColumnNames === "function" ? statement._getColumnNames() : null;
    if (names) statement._getColumnNames = () => names.map((_, i) => "c" + i);
    const rows = [];
    let count = 0;
    for (const row of statement.iterate()) {
      rows.push(Object.values(row));
      count++;
      if (onBatch && rows.length >= 5000) onBatch(rows.splice(0), names ?? []);
      if (!onBatch && count > limit) break;
    }
    if (onBatch && rows.length) onBatch(rows.splice(0), names ?? []);
    return { names: names ?? [], rows };
  } finally {
    statement.finalize();
  }
}

function introspect(db) {
  const tables = db.all(
    "select name, type from sqlite_master where type in ('table', 'view') and name not like 'sqlite\\_%' escape '\\' order by name",
  );
  return tables.map((t) => {
    const quoted = '"' + String(t.name).replaceAll('"', '""') + '"';
    const columns = db.all('select name, type, "notnull" as nn, pk from pragma_table_info(?) order by cid', [t.name]);
    const foreign = db.all('select id, "table" as ref, "from" as col, "to" as refcol from pragma_foreign_key_list(?) order by id, seq', [t.name]);
    const rows = t.type === "table" ? Number(db.get("select count(*) as n from " + quoted).n) : null;
    return { name: t.name, kind: t.type, rows, columns, foreign };
  });
}

let db;
try {
  db = new Database(workerData.file, { readOnly: true });
  let result;
  if (task.kind === "version") result = db.get("select sqlite_version() as v").v;
  else if (task.kind === "introspect") result = introspect(db);
  else if (task.kind === "query") result = rowsOf(db, task.sql, task.maxRows);
  else if (task.kind === "stream") {
    const gate = new Int32Array(workerData.gate);
    result = rowsOf(db, task.sql, 0, (rows, names) => {
      post({ type: "batch", names, rows });
      Atomics.wait(gate, 0, 0);
      Atomics.store(gate, 0, 0);
    });
  }
  post({ type: "done", result });
} catch (error) {
  post({ type: "error", message: String((error && error.message) || error) });
} finally {
  try { db && db.close(); } catch {}
}
`;
