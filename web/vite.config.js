// Vite build of the 台账 web app. `npm run build` writes dist/ (index.html and
// content-hashed files under dist/assets/), which make embeds in build/taizhang.
// `npm run dev` serves the sources with hot reload and forwards /api to a
// running `taizhang serve` (TZ_API, default http://127.0.0.1:8080).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    // Chromium 86 is the engine of the 360 and QQ browsers' fast mode in
    // many offices; esbuild lowers newer syntax to it.
    target: ['chrome86', 'firefox91', 'edge88', 'safari14'],
    cssCodeSplit: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        manualChunks: {
          vue: ['vue', 'vue-router'],
          element: ['element-plus', '@element-plus/icons-vue'],
          echarts: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'],
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.TZ_API || 'http://127.0.0.1:8080' },
  },
})
