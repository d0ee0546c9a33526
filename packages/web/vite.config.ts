import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** An absolute file path next to this config (no `node:` import, so the app tsconfig needs no Node types). */
const source = (path: string): string =>
  decodeURIComponent(new URL(path, import.meta.url).pathname);

/** The server the dev server forwards `/api` (REST and WebSocket) to. */
const backend = 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  plugins: [react(), tailwindcss()],
  resolve: {
    // The SDK and the protocol are bundled from their TypeScript sources, so the console needs
    // no prior `npm run build`; Vite maps their `.js` import suffixes to the `.ts` files.
    alias: {
      '@botwire/client': source('../client/src/index.ts'),
      '@botwire/protocol': source('../protocol/src/index.ts'),
    },
  },
  // Screens other than the first are split into chunks by App.tsx's lazy imports.
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': { target: backend, ws: true, changeOrigin: false },
    },
  },
});
