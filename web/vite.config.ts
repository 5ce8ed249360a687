import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** Where `npm run dev` (the API server) listens. */
const api = "http://127.0.0.1:3000";

// root is this folder (web/), so the build works from any working directory.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
  },
  server: {
    proxy: {
      "/api": { target: api, ws: true },
      "/healthz": api,
      "/readyz": api,
      "/docs": api,
      "/openapi.json": api,
    },
  },
});
