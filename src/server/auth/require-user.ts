import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { CurrentUser, Env } from '../env.ts'
import { AppError } from '../errors.ts'
import { findSession } from './accounts.ts'
import { authenticateApiToken } from './api-tokens.ts'

/**
 * Authenticates the caller by `Authorization: Bearer <api token>` or the session cookie, and puts
 * the user on `c.var.user`. A request that presents a bad token is refused outright rather than
 * falling back to a cookie, so a program never acts as whoever is signed in to the browser.
 */
export function requireUser() {
  return createMiddleware<Env>(async (c, next) => {
    const { deps } = c.var
    const authorization = c.req.header('authorization')
    let user: CurrentUser | undefined
    let refreshedCookies: Headers | null = null
    if (authorization !== undefined) {
      const [scheme, secret] = authorization.split(' ', 2)
      const principal =
        scheme?.toLowerCase() === 'bearer' && secret
          ? await authenticateApiToken(deps, secret)
          : null
      if (!principal) throw new AppError('unauthenticated', 'invalid or revoked API token')
      if (principal.token.profile_id !== null) {
        throw new AppError(
          'forbidden',
          'this token is scoped to an MCP endpoint profile and works there only (/mcp/p/<name>)',
        )
      }
      const { id, email, name, role, created_at } = principal.user
      user = { id, email, name, role, createdAt: created_at, via: 'token' }
    } else {
      const session = await findSession(deps, { headers: c.req.raw.headers })
      if (session) {
        user = { ...session.user, via: 'session' }
        refreshedCookies = session.headers
      }
    }
    if (!user) throw new AppError('unauthenticated', 'sign in first')
    c.set('user', user)
    deps.activity.seen(user.id)
    await next()
    for (const cookie of refreshedCookies?.getSetCookie() ?? []) {
      c.res.headers.append('set-cookie', cookie)
    }
  })
}

/** After requireUser(): admins only; others get 403 (they know admin routes exist). */
/** The signed-in admin, as the audit log records who did an admin action. */
export function adminOf(c: Context<Env>): { id: string; email: string; ip: string } {
  return { id: c.var.user.id, email: c.var.user.email, ip: c.var.ip }
}

export function requireAdmin() {
  return createMiddleware<Env>(async (c, next) => {
    if (c.var.user.role !== 'admin') throw new AppError('forbidden', 'admins only')
    await next()
  })
}
