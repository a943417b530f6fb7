import { createMiddleware } from 'hono/factory'
import { routePath } from 'hono/route'
import type { HttpMetrics } from '../../observability/metrics.ts'

/**
 * Counts and times every answered request by the route pattern that answered it
 * (`/api/user/mcp-servers/:id`), never the raw path: ids in paths would make a series per id.
 * Once the chain has run, the route index is the last handler that ran, the one that answered
 * (a middleware's own pattern, such as `/api/*`, when a middleware refused the request). Install
 * first: errors are already replies here (hono applies `onError` inside the chain).
 */
export function httpMetrics(metrics: HttpMetrics) {
  return createMiddleware(async (c, next) => {
    const started = performance.now()
    await next()
    metrics.requestFinished({
      method: c.req.method,
      route: routePath(c),
      status: c.res.status,
      ms: performance.now() - started,
    })
  })
}
