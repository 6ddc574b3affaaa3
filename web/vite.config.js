// Vite build of the gridgov console. Element Plus components are resolved on demand
// (unplugin-vue-components), ECharts is imported module by module (src/lib/echarts.js),
// so the production JS stays well under 1.5 MB gzip. `npm run dev` proxies /api to a
// running gridgov (GRIDGOV_URL, default http://127.0.0.1:8080).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
    }),
  ],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/leaflet')) return 'leaflet'
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element'
          if (id.includes('node_modules/vue') || id.includes('node_modules/@vue') || id.includes('node_modules/@intlify')) return 'vue'
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.GRIDGOV_URL || 'http://127.0.0.1:8080' },
  },
})
