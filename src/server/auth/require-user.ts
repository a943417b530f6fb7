import { createMiddleware } from 'hono/factory'
import { findUserById } from '../db/users.ts'
import type { CurrentUser, Env } from '../env.ts'
import { AppError } from '../errors.ts'
import { findSession } from './accounts.ts'
import { verifyApiToken } from './api-tokens.ts'

/**
 * Authenticates the caller by `Authorization: Bearer <api token>` or the session cookie, and puts
 * the user on `c.var.user`. A request that presents a bad token is refused outright rather than
 * falling back to a cookie, so a program never acts as whoever is signed in to the browser.
 */
export function requireUser() {
  return createMiddleware<Env>(async (c, next) => {
    const { deps } = c.var
    const authorization = c.req.header('authorization')
    let userId: string | null = null
    let via: CurrentUser['via'] = 'session'
    let refreshedCookies: Headers | null = null
    if (authorization !== undefined) {
      const [scheme, secret] = authorization.split(' ', 2)
      const token =
        scheme?.toLowerCase() === 'bearer' && secret ? await verifyApiToken(deps, secret) : null
      if (!token) throw new AppError('unauthenticated', 'invalid or revoked API token')
      userId = token.user_id
      via = 'token'
    } else {
      const session = await findSession(deps, { headers: c.req.raw.headers })
      if (session) {
        userId = session.userId
        refreshedCookies = session.headers
      }
    }
    const user = userId ? await findUserById(deps.db, { id: userId }) : undefined
    if (!user) throw new AppError('unauthenticated', 'sign in first')
    c.set('user', {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      createdAt: user.created_at,
      via,
    })
    await next()
    for (const cookie of refreshedCookies?.getSetCookie() ?? []) {
      c.res.headers.append('set-cookie', cookie)
    }
  })
}

/** After requireUser(): admins only; others get 403 (they know admin routes exist). */
export function requireAdmin() {
  return createMiddleware<Env>(async (c, next) => {
    if (c.var.user.role !== 'admin') throw new AppError('forbidden', 'admins only')
    await next()
  })
}
