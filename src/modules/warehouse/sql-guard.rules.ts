/**
 * What the SQL guard allows: function deny lists, the table-function allowlist and how a
 * table reference is matched against the tables a caller may read. Names are compared
 * lower-cased; the lists are the union over DuckDB, PostgreSQL and MySQL/MariaDB because a
 * name that means nothing in one dialect costs nothing to refuse there.
 */

/** Functions that read files, run SQL given as text, touch session or server state, or wait. */
const FORBIDDEN_FUNCTIONS = new Set([
  // DuckDB: files, SQL-as-text, settings, sequences, side effects
  "read_csv",
  "read_csv_auto",
  "read_parquet",
  "parquet_scan",
  "read_json",
  "read_json_auto",
  "read_json_objects",
  "read_ndjson",
  "read_text",
  "read_blob",
  "glob",
  "sniff_csv",
  "query",
  "query_table",
  "getenv",
  "current_setting",
  "getvariable",
  "setseed",
  "sleep_ms",
  "write_log",
  "checkpoint",
  "force_checkpoint",
  "arrow_scan",
  "scan_arrow_ipc",
  "st_read",
  "st_readosm",
  "st_read_meta",
  "load_aws_credentials",
  "which_secret",
  // PostgreSQL (pg_* and friends are also caught by prefix below)
  "set_config",
  "nextval",
  "setval",
  "currval",
  "lastval",
  "loread",
  "lowrite",
  "ts_stat",
  "ts_rewrite",
  "query_to_xml",
  "query_to_xmlschema",
  "query_to_xml_and_xmlschema",
  "gin_clean_pending_list",
  "inet_server_addr",
  "inet_server_port",
  // MySQL / MariaDB
  "load_file",
  "sleep",
  "benchmark",
  "get_lock",
  "release_lock",
  "release_all_locks",
  "is_free_lock",
  "is_used_lock",
  "master_pos_wait",
  "source_pos_wait",
  "wait_for_executed_gtid_set",
  "wait_until_sql_thread_after_gtids",
]);

const FORBIDDEN_PREFIXES = [
  "pg_", // pg_read_file, pg_sleep*, pg_advisory*, pg_terminate_backend, pg_notify, pg_ls_dir…
  "lo_", // large objects: lo_import, lo_export…
  "dblink",
  "txid_",
  "read_", // every DuckDB reader: read_json_objects_auto, read_ndjson_objects, read_duckdb…
  "parquet_",
  "duckdb_",
  "pragma_",
  "sqlite_",
  "postgres_",
  "mysql_",
  "iceberg_",
  "delta_",
  "http_",
  "json_execute_serialized_sql",
  "table_to_xml",
  "cursor_to_xml",
  "schema_to_xml",
  "database_to_xml",
  "binary_upgrade_",
  "brin_",
  "sys_", // MySQL UDFs sys_exec / sys_eval
  "lib_mysqludf",
];

/** The only functions that may appear in FROM: they generate rows and touch nothing. */
const TABLE_FUNCTIONS = new Set(["unnest", "generate_series", "range"]);

/** Lower-cases ASCII letters only, as the databases fold unquoted identifiers. */
export function foldCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function isForbiddenFunction(name: string): boolean {
  // Both foldings: full Unicode lower-casing can only add matches, never hide one.
  for (const candidate of new Set([foldCase(name), name.toLowerCase()])) {
    if (FORBIDDEN_FUNCTIONS.has(candidate)) return true;
    if (FORBIDDEN_PREFIXES.some((prefix) => candidate.startsWith(prefix))) return true;
  }
  return false;
}

export function isAllowedTableFunction(name: string): boolean {
  return TABLE_FUNCTIONS.has(foldCase(name));
}

export type TableMatch =
  | { kind: "allowed"; table: string }
  | { kind: "unknown" }
  | { kind: "ambiguous"; candidates: string[] };

/**
 * Matches table references against the tables a caller may read.
 *
 * Names are dot-separated parts compared case-insensitively (ASCII). A qualified reference
 * (`public.orders`, `db.public.orders`) matches only an allowed entry with exactly the
 * same parts. An unqualified reference (`orders`) matches the one allowed entry whose last
 * part is `orders`, whatever its schema; when several schemas have one it is ambiguous and
 * must be qualified. The database resolves an unqualified name through its own search path
 * (PostgreSQL `search_path`, MySQL's default database), so an executor that passes
 * schema-qualified tables must run with that path set to the source's schema.
 */
export function createTableMatcher(allowed: readonly string[]) {
  const entries = allowed.map((given) => ({ given, parts: foldCase(given).split(".") }));
  return (refParts: readonly string[]): TableMatch => {
    const ref = refParts.map(foldCase);
    const exact = entries.find(
      (e) => e.parts.length === ref.length && e.parts.every((part, i) => part === ref[i]),
    );
    if (exact) return { kind: "allowed", table: exact.given };
    if (ref.length !== 1) return { kind: "unknown" };
    const byName = entries.filter((e) => e.parts[e.parts.length - 1] === ref[0]);
    if (byName.length === 1) return { kind: "allowed", table: byName[0]!.given };
    if (byName.length > 1) return { kind: "ambiguous", candidates: byName.map((e) => e.given) };
    return { kind: "unknown" };
  };
}

export type TableMatcher = ReturnType<typeof createTableMatcher>;
