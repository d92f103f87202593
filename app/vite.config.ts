// The app is two pages (the citizen's app and the authority's dashboard) built into one static
// directory. Relative paths (`base: "./"`) let any static server host it under any path; the
// region's `config.json` and `chain-spec.json` are put next to the built files by whoever serves
// it (scripts/dev.sh, app/scripts/serve.sh).
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

export default defineConfig({
  base: "./",
  build: {
    target: "es2022",
    outDir: process.env.EPICHAIN_APP_OUT ?? "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        citizen: fileURLToPath(new URL("index.html", import.meta.url)),
        dashboard: fileURLToPath(new URL("dashboard.html", import.meta.url)),
      },
    },
  },
  worker: { format: "es" },
  resolve: {
    alias: [
      // polkadot-api's sm-provider imports one error class from `@polkadot-api/smoldot`, whose
      // index re-exports smoldot with its 3 MB bytecode; the bytecode belongs in the worker
      // only (light.ts), so the page takes smoldot's entry point without it.
      { find: /^@polkadot-api\/smoldot$/, replacement: "smoldot/no-auto-bytecode" },
    ],
  },
  server: { fs: { allow: [".."] } },
});
