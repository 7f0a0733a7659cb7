import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const shared = resolve(import.meta.dirname, 'src/shared');
const core = resolve(import.meta.dirname, 'src/core');

export default defineConfig({
  main: {
    resolve: { alias: { '@shared': shared, '@core': core } },
    build: {
      // Native and ESM-only packages stay in node_modules (asar-unpacked where native).
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    resolve: { alias: { '@shared': shared } },
    build: {
      // A sandboxed preload can only be CommonJS and can only require('electron').
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    resolve: { alias: { '@shared': shared, '@renderer': resolve(import.meta.dirname, 'src/renderer/src') } },
    plugins: [react()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/renderer/index.html'),
          // Shown by main when the renderer keeps crashing; depends on nothing the app page does.
          crashed: resolve(import.meta.dirname, 'src/renderer/crashed.html'),
        },
      },
    },
  },
});
