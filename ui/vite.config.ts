import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { echartsFrozenPrototype } from './build/echarts-frozen-prototype';

// The Tauri shell serves the built `dist/`; `npm run dev` is for working on the UI alone.
export default defineConfig({
  plugins: [echartsFrozenPrototype(), svelte()],
  clearScreen: false,
  build: {
    target: 'safari15',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
