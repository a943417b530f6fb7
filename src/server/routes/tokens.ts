import { createRoute, z } from '@hono/zod-openapi'
import {
  ApiTokenCreatedSchema,
  ApiTokenCreateSchema,
  ApiTokenListSchema,
} from '../../shared/auth.ts'
import { createApiToken, listTokens, revokeApiToken } from '../auth/api-tokens.ts'
import { requireUser } from '../auth/require-user.ts'
import { createRouter, errorResponses, json, jsonBody } from './router.ts'
import { toApiTokenView } from './views.ts'

const tags = ['API tokens']
const IdParams = z.object({ id: z.uuid() })

export const tokenRoutes = createRouter()
tokenRoutes.use('*', requireUser())
tokenRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: "The caller's API tokens (never the secrets)",
      responses: { 200: json(ApiTokenListSchema), ...errorResponses(401) },
    }),
    async (c) => {
      const rows = await listTokens(c.var.deps, { userId: c.var.user.id })
      return c.json({ tokens: rows.map(toApiTokenView) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create an API token; the secret is in this reply only',
      request: jsonBody(ApiTokenCreateSchema),
      responses: { 201: json(ApiTokenCreatedSchema, 'Created'), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const { row, secret } = await createApiToken(c.var.deps, {
        userId: c.var.user.id,
        ...c.req.valid('json'),
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.json({ token: toApiTokenView(row), secret }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      summary: 'Revoke an API token',
      request: { params: IdParams },
      responses: { 204: { description: 'Revoked' }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      await revokeApiToken(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.body(null, 204)
    },
  )
