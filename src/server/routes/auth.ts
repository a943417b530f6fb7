import { createRoute } from '@hono/zod-openapi'
import { AuthOptionsSchema, LoginSchema, MeSchema, RegisterSchema } from '../../shared/auth.ts'
import { signUpOptions } from '../admin/registration-policy.ts'
import { register, signIn, signOut } from '../auth/accounts.ts'
import { requireUser } from '../auth/require-user.ts'
import {
  createRouter,
  errorResponses,
  forwardCookies,
  json,
  jsonBody,
  USER_SECURITY,
} from './router.ts'
import { toUserView } from './views.ts'

const tags = ['Auth']

export const authRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/options',
      tags,
      summary: 'What the sign-in page needs: is registration open, is this a fresh install',
      responses: { 200: json(AuthOptionsSchema) },
    }),
    async (c) => {
      const { deps } = c.var
      const { passwordLogin, oidc } = deps.config.auth
      const options = await signUpOptions(deps)
      return c.json(
        {
          ...options,
          registration: passwordLogin && options.registration,
          passwordLogin,
          sso: oidc ? { name: oidc.displayName } : null,
        },
        200,
      )
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/register',
      tags,
      summary: 'Create an account and sign in (the first account becomes admin)',
      request: jsonBody(RegisterSchema),
      responses: { 201: json(MeSchema, 'Signed in'), ...errorResponses(400, 403, 409) },
    }),
    async (c) => {
      const { user, headers } = await register(c.var.deps, {
        ...c.req.valid('json'),
        headers: c.req.raw.headers,
        ip: c.var.ip,
      })
      forwardCookies(c, headers)
      return c.json({ user: toUserView(user), via: 'session' as const }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/login',
      tags,
      summary: 'Sign in with email and password (sets the session cookie)',
      request: jsonBody(LoginSchema),
      responses: { 200: json(MeSchema, 'Signed in'), ...errorResponses(400, 401, 403, 429) },
    }),
    async (c) => {
      const { user, headers } = await signIn(c.var.deps, {
        ...c.req.valid('json'),
        headers: c.req.raw.headers,
        ip: c.var.ip,
      })
      forwardCookies(c, headers)
      return c.json({ user: toUserView(user), via: 'session' as const }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      tags,
      summary: 'End the session',
      responses: { 204: { description: 'Signed out' } },
    }),
    async (c) => {
      forwardCookies(c, await signOut(c.var.deps, { headers: c.req.raw.headers, ip: c.var.ip }))
      return c.body(null, 204)
    },
  )

authRoutes.use('/me', requireUser())
authRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me',
    tags,
    summary: 'The signed-in user (by session cookie or API token)',
    security: USER_SECURITY,
    responses: { 200: json(MeSchema), ...errorResponses(401) },
  }),
  (c) => c.json({ user: toUserView(c.var.user), via: c.var.user.via }, 200),
)
