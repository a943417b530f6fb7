import { createRoute, z } from '@hono/zod-openapi'
import {
  ConnectedClientListSchema,
  ConsentAnswerSchema,
  ConsentQuerySchema,
  ConsentRedirectSchema,
  ConsentRequestSchema,
} from '../../shared/mcp-clients.ts'
import { requireUser } from '../auth/require-user.ts'
import {
  answerConsent,
  describeConsent,
  listConnectedClients,
  revokeConnectedClient,
} from '../gateway/mcp-clients.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['MCP endpoint']
const security = USER_SECURITY
const ClientQuery = z.object({ clientId: z.string().min(1).max(2_000) })

/**
 * `/api/user/mcp-clients`: MCP clients signed in to the user's endpoint with OAuth: the consent
 * step of their sign-in, the list in Settings, and revocation.
 */
export const mcpClientRoutes = createRouter()
mcpClientRoutes.use('*', requireUser())
mcpClientRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'MCP clients you signed in with OAuth, with their profile and last use',
      responses: { 200: json(ConnectedClientListSchema), ...errorResponses(401) },
    }),
    async (c) => c.json({ clients: await listConnectedClients(c.var.deps, c.var.user.id) }, 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/',
      tags,
      security,
      summary: 'Revoke a client: its tokens stop working at once',
      request: { query: ClientQuery },
      responses: { 204: { description: 'Revoked' }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      await revokeConnectedClient(c.var.deps, {
        userId: c.var.user.id,
        clientId: c.req.valid('query').clientId,
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/consent',
      tags,
      security,
      summary: 'What a client signing in asks for (the consent page)',
      request: { query: ConsentQuerySchema },
      responses: { 200: json(ConsentRequestSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { oauthQuery } = c.req.valid('query')
      return c.json(await describeConsent(c.var.deps, { userId: c.var.user.id, oauthQuery }), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/consent',
      tags,
      security,
      summary: 'Allow or deny a client signing in, and choose the profile it gets',
      request: jsonBody(ConsentAnswerSchema),
      responses: { 200: json(ConsentRedirectSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const answer = await answerConsent(c.var.deps, {
        user: c.var.user,
        ...c.req.valid('json'),
        headers: c.req.raw.headers,
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.json(answer, 200)
    },
  )
