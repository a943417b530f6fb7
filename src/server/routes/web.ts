import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import type { Env } from '../env.ts'
import { contentSecurityPolicy, WEB_POLICY } from './middleware/content-security-policy.ts'

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Switchboard</title>
<p>The web app is not built yet. Run <code>npm run build</code> (npm start does this for you), or
use <code>npm run dev</code> for hot reload. The API is up: <a href="/api/docs">/api/docs</a>.</p>`

/**
 * Serves the built SPA: files as they are (hashed assets cached for a year), and index.html for
 * every other path so client-side routes survive a reload.
 */
export function webRoutes(webDir: string | null) {
  const web = new Hono<Env>()
  web.use(contentSecurityPolicy(WEB_POLICY))
  const indexPath = webDir ? join(webDir, 'index.html') : null
  if (!webDir || !indexPath || !existsSync(indexPath)) {
    web.get('*', (c) => c.html(NOT_BUILT, 503))
    return web
  }
  const index = readFileSync(indexPath, 'utf8')
  web.use(
    '/assets/*',
    serveStatic({
      root: webDir,
      onFound: (_path, c) => {
        c.header('cache-control', 'public, max-age=31536000, immutable')
      },
    }),
  )
  web.use('*', serveStatic({ root: webDir }))
  web.get('*', (c) => {
    c.header('cache-control', 'no-cache')
    return c.html(index)
  })
  return web
}
