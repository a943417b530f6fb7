import { createRoute } from '@hono/zod-openapi'
import { UserModelKeyUpdateSchema, UserModelKeyViewSchema } from '../../shared/model-providers.ts'
import { requireUser } from '../auth/require-user.ts'
import { getUserModelKey, removeUserModelKey, setUserModelKey } from '../chat/user-model-key.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Models']
const security = USER_SECURITY

/** `/api/user/model-key`: the caller's own OpenRouter key (write-only). */
export const userModelKeyRoutes = createRouter()
userModelKeyRoutes.use('*', requireUser())
userModelKeyRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'Whether the caller may bring their own OpenRouter key, and whether one is set',
      responses: { 200: json(UserModelKeyViewSchema), ...errorResponses(401) },
    }),
    async (c) => c.json(await getUserModelKey(c.var.deps, { userId: c.var.user.id }), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/',
      tags,
      security,
      summary: 'Set your own OpenRouter key (stored encrypted, used for your conversations only)',
      request: jsonBody(UserModelKeyUpdateSchema),
      responses: { 200: json(UserModelKeyViewSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const view = await setUserModelKey(c.var.deps, {
        userId: c.var.user.id,
        apiKey: c.req.valid('json').apiKey,
      })
      return c.json(view, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/',
      tags,
      security,
      summary: 'Remove your own OpenRouter key',
      responses: { 204: { description: 'Removed' }, ...errorResponses(401) },
    }),
    async (c) => {
      await removeUserModelKey(c.var.deps, { userId: c.var.user.id })
      return c.body(null, 204)
    },
  )
