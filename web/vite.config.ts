import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Two pages: the Vigil pages (one document for every route; the service picks the
// Content-Security-Policy by route) and GraphiQL (React, kept out of the pages' bundle).
export default defineConfig({
  root: __dirname,
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: resolve(__dirname, 'dist'),
    emptyOutDir: true,
    // No inline script or style anywhere: the CSP has no 'unsafe-inline' for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      // GraphiQL's dependencies mark React server components ("use client"): meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        pages: resolve(__dirname, 'index.html'),
        graphiql: resolve(__dirname, 'graphiql.html'),
      },
    },
  },
});
