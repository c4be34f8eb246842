import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** A path relative to this folder (without node's typings: the console's tsconfig has the browser's). */
const here = (path: string): string => decodeURIComponent(new URL(path, import.meta.url).pathname);

/**
 * The console: static files in dist/console, served by the service at /console (console-static.ts).
 * `npm run build:console` builds it; `npx vite --config apps/console/vite.config.mts` serves it for
 * development, sending /v1 to a service on :3000.
 */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
