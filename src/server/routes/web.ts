import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import { etag } from 'hono/etag'
import type { Env } from '../env.ts'
import { contentSecurityPolicy, WEB_POLICY } from './middleware/content-security-policy.ts'

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Switchboard</title>
<p>The web app is not built yet. Run <code>npm run build</code> (npm start does this for you), or
use <code>npm run dev</code> for hot reload. The API is up: <a href="/api/docs">/api/docs</a>.</p>`

/** Hashed file names change with their content: a browser may keep them for good. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'
/** Everything else (index.html, theme.js, the icon): asked again each time, 304 when unchanged. */
export const REVALIDATE = 'no-cache'

// The types scripts/build-web.mjs stores .br and .gz copies of. Fonts in woff2, images and other
// formats that are compressed already have none.
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|map|ttf|otf|eot|wasm|xml|webmanifest)$/i

/**
 * Serves the built SPA from `webDir` (scripts/build-web.mjs writes it):
 * - the .br or .gz copy the build stored beside each file, by Accept-Encoding (brotli first),
 *   with `Vary: Accept-Encoding`, so nothing is compressed per request;
 * - hashed assets (`/assets/*`) cached for a year; a missing one is a 404, never index.html
 *   (a browser must not run a page as a script);
 * - index.html for every other path, so client-side routes survive a reload. It is read from
 *   disk on each request, never kept: a rebuild under a running server swaps it, with its
 *   assets, and the next page load gets the new one.
 */
export function webRoutes(webDir: string | null) {
  const web = new Hono<Env>()
  web.use(contentSecurityPolicy(WEB_POLICY))
  if (!webDir || !existsSync(join(webDir, 'index.html'))) {
    web.get('*', (c) => c.html(NOT_BUILT, 503))
    return web
  }
  web.use('/assets/*', staticFiles(webDir, IMMUTABLE))
  web.get('/assets/*', (c) => c.text('Not found', 404))
  web.use('*', etag())
  web.use('*', staticFiles(webDir, REVALIDATE))
  web.get('*', staticFiles(webDir, REVALIDATE, 'index.html'))
  return web
}

/** The files under `root` (or always `path`), precompressed copies first. */
function staticFiles(root: string, cacheControl: string, path?: string): MiddlewareHandler<Env> {
  // Which file answered (a .br copy, say): serveStatic says so only to onFound.
  const served = new WeakMap<Context, string>()
  const serve = serveStatic<Env>({
    root,
    ...(path ? { path } : {}),
    precompressed: true,
    onFound: (file, c) => {
      served.set(c, file)
    },
  })
  return async (c, next) => {
    const res = await serve(c, next)
    const file = served.get(c)
    if (!(res instanceof Response) || !file) return res
    // Headers go on the response itself: it exists by now, and c.header() no longer reaches it.
    res.headers.set('Cache-Control', cacheControl)
    // Caches must keep one copy per encoding, the plain one included.
    if (COMPRESSIBLE.test(file.replace(/\.(?:br|gz|zst)$/, '')) && !res.headers.has('Vary')) {
      res.headers.set('Vary', 'Accept-Encoding')
    }
    if (cacheControl === REVALIDATE) {
      // A weak ETag from size and time: each encoding's copy has its own. etag() answers 304.
      const stats = statSync(file, { throwIfNoEntry: false })
      if (stats)
        res.headers.set('ETag', `W/"${stats.size.toString(16)}-${stats.mtimeMs.toString(16)}"`)
    }
    return res
  }
}
