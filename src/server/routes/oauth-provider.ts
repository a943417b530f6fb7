import { type Context, Hono } from 'hono'
import { RateLimiterRes } from 'rate-limiter-flexible'
import type { AppDeps } from '../app-deps.ts'
import type { Env } from '../env.ts'
import { RateLimitedError } from '../errors.ts'
import { recordClientSignIn } from '../gateway/mcp-clients.ts'
import { createRateLimiter } from '../rate-limiter.ts'

/** The authorization server's own paths (better-auth's handler serves them: their wire is RFC's). */
export const OAUTH_PROVIDER_PATHS = {
  authorize: '/api/auth/oauth2/authorize',
  token: '/api/auth/oauth2/token',
  register: '/api/auth/oauth2/register',
  revoke: '/api/auth/oauth2/revoke',
} as const

/** Called by programs, never with the session cookie: exempt from the cross-site guard. */
export const OAUTH_CLIENT_POSTS = [
  OAUTH_PROVIDER_PATHS.token,
  OAUTH_PROVIDER_PATHS.register,
  OAUTH_PROVIDER_PATHS.revoke,
]

const PROTECTED_RESOURCE_METADATA = '/.well-known/oauth-protected-resource'
const REGISTRATIONS_PER_HOUR = 30
const ISSUER_PATH = '/api/auth'

/**
 * Switchboard as the OAuth authorization server of its MCP endpoint: discovery (RFC 8414 at the
 * issuer `<public URL>/api/auth`, RFC 9728 for `/mcp` and every `/mcp/p/<name>`), authorize,
 * token, registration (when on) and revocation. better-auth's handler answers exactly these paths
 * and no other; the consent step is ours (routes/mcp-clients.ts).
 */
export function oauthProviderRoutes(deps: Pick<AppDeps, 'redis'>) {
  const routes = new Hono<Env>()
  // Anyone may register a client (DCR): bound how many rows one address can create.
  const registrations = createRateLimiter(deps.redis, {
    keyPrefix: 'oauth_register_ip',
    points: REGISTRATIONS_PER_HOUR,
    duration: 60 * 60,
  })
  routes.post(OAUTH_PROVIDER_PATHS.register, async (c, next) => {
    try {
      await registrations.consume(c.var.ip ?? 'unknown')
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error
      throw new RateLimitedError(
        'too many client registrations from this address: try again later',
        error.msBeforeNext / 1000,
      )
    }
    await next()
  })
  const pass = async (c: Context<Env>, body?: ArrayBuffer) => {
    const { raw } = c.req
    if (!raw.body) return c.var.deps.auth.handler(raw)
    // The edge checks (bounded-body.ts) read JSON bodies already: pass on the bytes they kept.
    return c.var.deps.auth.handler(
      new Request(raw.url, {
        method: raw.method,
        headers: raw.headers,
        body: body ?? (await c.req.arrayBuffer()),
      }),
    )
  }
  const forward = (c: Context<Env>) => pass(c)
  // The issuer has a path, so the metadata is at both the RFC 8414 and the OIDC-style place.
  routes.on(['GET', 'HEAD'], `/.well-known/oauth-authorization-server${ISSUER_PATH}`, forward)
  routes.on(['GET', 'HEAD'], `${ISSUER_PATH}/.well-known/oauth-authorization-server`, forward)
  routes.get(OAUTH_PROVIDER_PATHS.authorize, forward)
  routes.post(OAUTH_PROVIDER_PATHS.token, async (c) => {
    const body = await c.req.arrayBuffer()
    const res = await pass(c, body)
    const form = new URLSearchParams(new TextDecoder().decode(body))
    if (res.ok && form.get('grant_type') === 'authorization_code') {
      const issued = (await res
        .clone()
        .json()
        .catch(() => null)) as { access_token?: unknown }
      if (typeof issued?.access_token === 'string') {
        await recordClientSignIn(c.var.deps, { accessToken: issued.access_token, ip: c.var.ip })
      }
    }
    return res
  })
  for (const path of [OAUTH_PROVIDER_PATHS.register, OAUTH_PROVIDER_PATHS.revoke]) {
    routes.post(path, forward)
  }
  // Every address of the endpoint shares one resource (`/mcp`): a profile is chosen at consent.
  const resourceMetadata = (c: Context<Env>) => {
    const url = new URL(c.req.url)
    url.pathname = `${PROTECTED_RESOURCE_METADATA}/mcp`
    return c.var.deps.auth.handler(
      new Request(url, { method: c.req.method, headers: c.req.raw.headers }),
    )
  }
  routes.on(['GET', 'HEAD'], PROTECTED_RESOURCE_METADATA, resourceMetadata)
  routes.on(['GET', 'HEAD'], `${PROTECTED_RESOURCE_METADATA}/mcp`, resourceMetadata)
  routes.on(['GET', 'HEAD'], `${PROTECTED_RESOURCE_METADATA}/mcp/p/:name`, resourceMetadata)
  return routes
}

/** Where a client learns how to sign in to the endpoint at `path` (`/mcp` or `/mcp/p/<name>`). */
export function resourceMetadataUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/$/, '')}${PROTECTED_RESOURCE_METADATA}${path}`
}
