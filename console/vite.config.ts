import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the API at /console/ (same origin: no CORS for API calls). The build is static files in
// dist/console beside the API's compiled code, so the image ships them with dist/.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: '../dist/console', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
});
