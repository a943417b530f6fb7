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
      // The largest chunks are lazy (Shiki's grammars for C++ or Emacs Lisp, the Markdown
      // renderer): bench/web-load.ts records what each page really loads.
      chunkSizeWarningLimit: 1024,
      // Fonts stay files (KaTeX's smallest would be inlined as data: URLs, which the
      // Content-Security-Policy's font-src, our origin only, refuses).
      assetsInlineLimit: (file: string) =>
        /\.(?:woff2?|ttf|otf|eot)$/i.test(file) ? false : undefined,
      rolldownOptions: {
        output: {
          // Libraries change less often than the app: separate chunks stay cached across deploys.
          // `$initial` keeps each group to what the first page really loads. Without it a group
          // takes every module its test matches, lazy ones too, with their dependencies: the
          // first page preloaded a `charts` group because it had taken a module the vendor
          // chunk needed (use-sync-external-store's shim, which recharts uses too). What only a
          // lazy part uses (recharts, the Markdown renderer, Shiki, KaTeX, Mermaid) is split by
          // the bundler along the dynamic imports.
          codeSplitting: {
            groups: [
              {
                name: 'react',
                test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
                tags: ['$initial'],
                priority: 2,
              },
              { name: 'vendor', test: /node_modules[\\/]/, tags: ['$initial'], priority: 1 },
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
