import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The bundle is embedded into the daemon (firmware/src/web/embed_assets.cmake), which
// serves it with a CSP that forbids inline script: keep everything in files.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2020',
  },
});
