import { fileURLToPath } from 'node:url'
import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig, loadEnv } from 'vite'

const REPO_ROOT = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, REPO_ROOT, 'SWITCHBOARD_')
  const apiUrl = env.SWITCHBOARD_API_URL ?? 'http://localhost:3000'
  return {
    root: fileURLToPath(new URL('./src/web', import.meta.url)),
    plugins: [react(), tailwindcss()],
    build: {
      outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
      emptyOutDir: true,
      rolldownOptions: {
        output: {
          // Libraries change less often than the app: separate chunks stay cached across deploys.
          codeSplitting: {
            groups: [
              {
                name: 'react',
                test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
                priority: 2,
              },
              // Only the charts need these: kept out of the first load (the charts are lazy).
              {
                name: 'charts',
                test: /node_modules[\\/](recharts|d3-[^\\/]+|victory-vendor|decimal\.js-light)[\\/]/,
                priority: 2,
              },
              { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
            ],
          },
        },
      },
    },
    server: {
      // `vite preview` reuses this proxy. The Host header is kept (no changeOrigin) so the API's
      // same-origin check sees the browser's Origin match the host it was sent to.
      proxy: { '/api': { target: apiUrl } },
    },
  }
})
