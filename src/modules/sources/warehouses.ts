import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { type DuckEngine, openDuckEngine } from "../warehouse/duckdb-engine.js";

/**
 * One DuckDB file per workspace under DATA_DIR/warehouse, opened on first use and kept open.
 * Each can reach only its workspace's upload directory and its exports directory, where
 * Parquet exports are written on their way to the client.
 */
export function createWarehouses(dataDir: string) {
  const open = new Map<string, Promise<DuckEngine>>();
  const root = path.resolve(dataDir);

  const uploadDir = (workspaceId: string) => {
    const dir = path.join(root, "uploads", workspaceId);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  const exportDir = (workspaceId: string) => {
    const dir = path.join(root, "exports", workspaceId);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  return {
    uploadDir,
    exportDir,

    get(workspaceId: string): Promise<DuckEngine> {
      let engine = open.get(workspaceId);
      if (!engine) {
        mkdirSync(path.join(root, "warehouse"), { recursive: true });
        // Exports left behind by a stopped process: none can be in progress before the engine opens.
        rmSync(path.join(root, "exports", workspaceId), { recursive: true, force: true });
        engine = openDuckEngine({
          file: path.join(root, "warehouse", `${workspaceId}.duckdb`),
          readableDirs: [uploadDir(workspaceId), exportDir(workspaceId)],
        });
        engine.catch(() => open.delete(workspaceId));
        open.set(workspaceId, engine);
      }
      return engine;
    },

    /** Closes and deletes a workspace's warehouse file, uploads and exports. */
    async drop(workspaceId: string): Promise<void> {
      const engine = open.get(workspaceId);
      open.delete(workspaceId);
      (await engine?.catch(() => undefined))?.close();
      rmSync(path.join(root, "warehouse", `${workspaceId}.duckdb`), { force: true });
      rmSync(path.join(root, "warehouse", `${workspaceId}.duckdb.wal`), { force: true });
      rmSync(path.join(root, "uploads", workspaceId), { recursive: true, force: true });
      rmSync(path.join(root, "exports", workspaceId), { recursive: true, force: true });
    },

    async close(): Promise<void> {
      for (const engine of open.values()) (await engine.catch(() => undefined))?.close();
      open.clear();
    },
  };
}

export type Warehouses = ReturnType<typeof createWarehouses>;
