import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the API at /console/ (same origin: no CORS for API calls). The build is static files in
// dist/console beside the API's compiled code, so the image ships them with dist/.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  // The pure libs the console bundles (the rule, event and milestone texts), from this checkout's sources.
  resolve: {
    alias: { '@tenderflow/domain': fileURLToPath(new URL('../libs/domain/src', import.meta.url)) },
  },
  build: { outDir: '../dist/console', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
});
