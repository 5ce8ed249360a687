import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { type Source, sourcePath } from "./sources.ts";

export type Engine = "postgres" | "mysql" | "sqlite";
export type SslMode = "disable" | "require" | "verify-full";

export interface ServerSettings {
  engine: "postgres" | "mysql";
  host: string;
  port?: number;
  database: string;
  user: string;
  password?: string;
  ssl: SslMode;
  /** PostgreSQL only: just this schema's tables. */
  schema?: string;
}

export interface SqliteSettings {
  engine: "sqlite";
  path: string;
}

/** What POST /sources/connections/test and /sources/connections take, password included. */
export type ConnectionSettings = ServerSettings | SqliteSettings;

export const engines: { value: Engine; label: string; port?: number; hint: string }[] = [
  { value: "postgres", label: "PostgreSQL", port: 5432, hint: "PostgreSQL 12 or later, and compatibles." },
  {
    value: "mysql",
    label: "MySQL / MariaDB",
    port: 3306,
    hint: "MySQL 5.7 or later, MariaDB 10.3 or later.",
  },
  { value: "sqlite", label: "SQLite", hint: "A database file on the Sightline server." },
];

export const engineLabel = (engine: string) => engines.find((item) => item.value === engine)?.label ?? engine;

export interface ConnectionTest {
  ok: true;
  serverVersion: string;
}

export interface RemoteTable {
  /** `schema.table` (PostgreSQL), `database.table` (MySQL) or `table` (SQLite). */
  remoteName: string;
  schema: string | null;
  table: string;
  kind: "table" | "view";
  /** An estimate from the database's statistics; null when unknown. */
  rows: number | null;
  columns: { name: string; type: string; sourceType: string; nullable: boolean }[];
  primaryKey: string[];
  foreignKeys: { columns: string[]; references: { table: string; columns: string[] } }[];
}

export interface NewConnection {
  name: string;
  settings: ConnectionSettings;
  mode: "live" | "import";
  refreshCron?: string;
}

/** Tries settings before they are saved; a failure is a 400 `connection_failed` with a `problem`. */
export function useTestConnection() {
  return useMutation({
    mutationFn: (settings: ConnectionSettings) =>
      api.post<ConnectionTest>("/api/v1/sources/connections/test", settings),
  });
}

export function useCreateConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewConnection) => api.post<Source>("/api/v1/sources/connections", body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["sources"] }),
  });
}

/** Checks that a saved database source still connects. */
export function useTestSource(id: string) {
  return useMutation({
    mutationFn: () => api.post<ConnectionTest>(`${sourcePath(id)}/test`),
  });
}

/** Imports a database source again, or describes a live one's tables again. */
export function useRefreshSource(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Source>(`${sourcePath(id)}/refresh`),
    onSettled: () => client.invalidateQueries({ queryKey: ["sources"] }),
  });
}

export function useUpdateSource(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; refreshCron?: string | null }) =>
      api.patch<Source>(sourcePath(id), body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["sources"] }),
  });
}

/** A database source's tables as the database describes them now. */
export function useSourceSchema(source: Pick<Source, "id" | "version">, enabled = true) {
  return useQuery({
    queryKey: ["sources", "schema", source.id, source.version],
    queryFn: ({ signal }) =>
      api.get<{ tables: RemoteTable[] }>(`${sourcePath(source.id)}/schema`, { signal }),
    enabled,
  });
}

/** The problem behind a failed connection, in words a person can act on. */
export const connectionProblems: Record<string, string> = {
  unreachable: "The server could not be reached: check the host and port, and that it accepts connections.",
  timeout: "The server did not answer in time.",
  auth_failed: "The server refused the user name or password.",
  database_missing: "There is no database by that name on the server.",
  tls: "The secure connection (SSL/TLS) could not be set up: check the SSL setting.",
  file_missing: "There is no database file at that path.",
  not_allowed: "That file is outside the directories allowed for SQLite connections.",
};
