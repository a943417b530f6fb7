import { createRoute, z } from '@hono/zod-openapi'
import { createMiddleware } from 'hono/factory'
import { OAuthCallbackQuerySchema, OAuthStartReplySchema } from '../../shared/mcp-oauth.ts'
import { requireUser } from '../auth/require-user.ts'
import type { Env } from '../env.ts'
import { AppError } from '../errors.ts'
import { clientMetadataDocument } from '../mcp/oauth/client-metadata.ts'
import { finishOAuth, startOAuth } from '../mcp/oauth/flow.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

// Mounted at /api. No `use('*')` here: that would reach every other /api route.

const tags = ['MCP servers']
const SERVERS_PAGE = '/servers'

export const mcpOAuthRoutes = createRouter()
mcpOAuthRoutes
  .openapi(
    createRoute({
      method: 'post',
      path: '/user/mcp-servers/{id}/oauth/start',
      middleware: [requireUser()] as const,
      tags,
      security: USER_SECURITY,
      summary: 'Start signing in to an OAuth-protected server',
      description:
        'Discovers its authorization server, registers Switchboard as a client if no client id is set, and returns the URL to send the browser to. The sign-in must finish within 10 minutes.',
      request: { params: z.object({ id: z.uuid() }) },
      responses: {
        200: json(OAuthStartReplySchema),
        ...errorResponses(400, 401, 404, 422, 502, 504),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      return c.json(await startOAuth(c.var.deps, { userId: c.var.user.id, serverId: id }), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/oauth/client-metadata.json',
      tags,
      summary: 'Switchboard as an OAuth client (Client ID Metadata Document)',
      description:
        'Public. Its URL is the client id Switchboard signs in with at authorization servers that support Client ID Metadata Documents (when the public URL is https); elsewhere it registers dynamically.',
      responses: {
        200: {
          description: 'The document',
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
        },
      },
    }),
    (c) => {
      // Authorization servers cache it; a day keeps a changed public URL from lingering long.
      c.header('cache-control', 'public, max-age=86400')
      return c.json(clientMetadataDocument(c.var.deps.config.publicUrl), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/oauth/callback',
      middleware: [backToServersOnError(), requireUser()] as const,
      tags,
      security: [{ cookie: [] }],
      summary: 'Where the authorization server sends the browser back',
      description:
        'Finishes the sign-in started by the same user, then redirects to the servers page with `oauth=connected&server=<id>`, or `oauth=error&message=<text>`.',
      request: { query: OAuthCallbackQuerySchema },
      responses: { 302: { description: 'Back to the servers page' } },
    }),
    async (c) => {
      const query = c.req.valid('query')
      const { serverId } = await finishOAuth(c.var.deps, {
        userId: c.var.user.id,
        state: query.state,
        code: query.code,
        iss: query.iss,
        error: query.error,
        errorDescription: query.error_description,
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      c.header('cache-control', 'no-store')
      const params = new URLSearchParams({ oauth: 'connected', server: serverId })
      return c.redirect(`${SERVERS_PAGE}?${params}`, 302)
    },
  )

/**
 * A browser arrives here from another site, so every failure (not signed in, a bad query, a used
 * state, a refusal) sends it back to the servers page with the message, never to a JSON page.
 */
function backToServersOnError() {
  return createMiddleware<Env>(async (c, next) => {
    await next()
    if (!c.error) return
    const message = c.error instanceof AppError ? c.error.message : 'sign-in failed: try again'
    const params = new URLSearchParams({ oauth: 'error', message })
    // The callback URL carries a code: nothing about it may be cached.
    const headers = { location: `${SERVERS_PAGE}?${params}`, 'cache-control': 'no-store' }
    c.res = new Response(null, { status: 302, headers })
  })
}
