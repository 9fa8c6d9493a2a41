import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console's web application; `services/console/src/web/build-web.ts` runs this build when the
// sources changed, and the console service serves the result.
export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
});
