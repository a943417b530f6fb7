import { createRoute } from '@hono/zod-openapi'
import { Hono } from 'hono'
import { SsoStartedSchema, SsoStartSchema } from '../../shared/auth.ts'
import { finishSsoSignIn, startSsoSignIn } from '../auth/sso.ts'
import { SSO_CALLBACK_PATH } from '../auth/sso-plugins.ts'
import type { Env } from '../env.ts'
import { createRouter, errorResponses, forwardCookies, json, jsonBody } from './router.ts'

/** `POST /api/auth/sso/start`: the sign-in page's "Sign in with …" button. */
export const ssoRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/start',
    tags: ['Auth'],
    summary: 'Start single sign-on: the URL of the OpenID Connect provider to send the browser to',
    request: jsonBody(SsoStartSchema),
    responses: { 200: json(SsoStartedSchema), ...errorResponses(400, 404, 502, 503) },
  }),
  async (c) => {
    const { url, headers } = await startSsoSignIn(c.var.deps, {
      returnTo: c.req.valid('json').returnTo,
      headers: c.req.raw.headers,
    })
    forwardCookies(c, headers)
    return c.json({ url }, 200)
  },
)

/**
 * The provider's redirect back, answered by better-auth's handler (its wire is the provider's,
 * not ours): this one path only, as routes/oauth-provider.ts mounts the authorization server's.
 */
export const ssoCallbackRoutes = new Hono<Env>().get(SSO_CALLBACK_PATH, (c) =>
  finishSsoSignIn(c.var.deps, { request: c.req.raw, ip: c.var.ip }),
)
