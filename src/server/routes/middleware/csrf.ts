import { createMiddleware } from 'hono/factory'
import { AppError } from '../../errors.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses cross-site writes that would ride on the session cookie. Browsers label every request
 * with Sec-Fetch-Site and send Origin on writes; programs with a Bearer token carry no cookie
 * authority and are left alone. (The same rule as Go's net/http CrossOriginProtection.)
 */
export function csrfGuard(input: { trustedOrigins: string[]; cookielessPaths?: string[] }) {
  const trusted = new Set(input.trustedOrigins.map((o) => new URL(o).origin))
  // Paths that never act on the session cookie (the OAuth token endpoint and its like).
  const cookieless = new Set(input.cookielessPaths ?? [])
  return createMiddleware(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || c.req.header('authorization')) return next()
    if (cookieless.has(c.req.path)) return next()
    const site = c.req.header('sec-fetch-site')
    if (site && site !== 'same-origin' && site !== 'none') throw rejected()
    const origin = c.req.header('origin')
    if (!site && origin && origin !== new URL(c.req.url).origin && !trusted.has(origin)) {
      throw rejected()
    }
    return next()
  })
}

function rejected(): AppError {
  return new AppError('csrf_rejected', 'cross-site request refused: use the app or an API token')
}
