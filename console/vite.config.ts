import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

// The web console (issue 14): served by the gateway at /console from dist/console, no CDN.
export default defineConfig({
  root: here,
  base: "/console/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/console", import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // No inline module-preload polyfill or inline assets: the CSP allows no inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
  },
});
