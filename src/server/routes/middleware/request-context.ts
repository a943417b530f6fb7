import { getConnInfo } from '@hono/node-server/conninfo'
import { createMiddleware } from 'hono/factory'
import type { AppDeps } from '../../app-deps.ts'
import type { Env } from '../../env.ts'

/**
 * Puts deps, the client ip and a request-scoped logger on the context, and logs each request
 * once it is answered. Runs after hono's requestId().
 */
export function requestContext(deps: AppDeps) {
  return createMiddleware<Env>(async (c, next) => {
    const log = deps.log.child({ requestId: c.var.requestId })
    c.set('deps', deps)
    c.set('log', log)
    c.set('ip', clientIp(c, deps.config.trustProxy))
    const started = performance.now()
    await next()
    const ms = Math.round((performance.now() - started) * 10) / 10
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request')
  })
}

function clientIp(c: Parameters<typeof getConnInfo>[0], trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    // app.request() in tests has no socket
    return 'unknown'
  }
}
