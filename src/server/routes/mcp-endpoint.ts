import { createRoute } from '@hono/zod-openapi'
import { type Context, Hono } from 'hono'
import { McpEndpointInfoSchema } from '../../shared/mcp-endpoint.ts'
import type { AppDeps } from '../app-deps.ts'
import { authenticateApiToken } from '../auth/api-tokens.ts'
import { requireUser } from '../auth/require-user.ts'
import { findProfile } from '../db/mcp-profiles.ts'
import type { UserRow } from '../db/schema.ts'
import type { Env } from '../env.ts'
import type { EndpointCaller } from '../gateway/endpoint-server.ts'
import { authenticateClientToken, looksLikeClientToken } from '../gateway/mcp-clients.ts'
import { profileOfferOf } from '../gateway/profiles.ts'
import { createUserHandlers, type UserHandlers } from '../gateway/user-handlers.ts'
import { resourceMetadataUrl } from './oauth-provider.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

/** Where MCP clients reach the user's tools. */
export const MCP_ENDPOINT_PATH = '/mcp'

/**
 * `/mcp`: the user's personal MCP endpoint (streamable HTTP, 2026-07-28 and 2025-11-25 both,
 * stateless: any instance answers any request). Clients sign in with OAuth (Switchboard is the
 * authorization server: routes/oauth-provider.ts) or a personal API token, either as
 * `Authorization: Bearer`; cookies are never read, so a web page cannot act through a signed-in
 * browser. A request from a web page of another origin is refused (DNS rebinding).
 */
export function mcpEndpointRoutes(deps: AppDeps) {
  const routes = new Hono<Env>()
  let handlers: UserHandlers | undefined
  const publicOrigin = new URL(deps.config.publicUrl).origin

  const serve = async (c: Context<Env>, profileName: string | null) => {
    if (!deps.config.mcpEndpoint.enabled) return jsonRpcError(404, 'the MCP endpoint is off here')
    const origin = c.req.header('origin')
    if (origin !== undefined && origin !== publicOrigin) {
      return jsonRpcError(403, `requests from ${origin.slice(0, 200)} are not allowed`)
    }
    const [scheme, secret] = (c.req.header('authorization') ?? '').split(' ', 2)
    const principal =
      scheme?.toLowerCase() === 'bearer' && secret ? await authenticate(deps, secret) : null
    const path = profileName === null ? MCP_ENDPOINT_PATH : `${MCP_ENDPOINT_PATH}/p/${profileName}`
    if (!principal) {
      const res = jsonRpcError(
        401,
        'sign in with OAuth, or with a personal API token from Switchboard (Settings → API tokens) as Authorization: Bearer',
      )
      // RFC 9728: where an MCP client finds how to sign in here.
      res.headers.set(
        'www-authenticate',
        `Bearer resource_metadata="${resourceMetadataUrl(deps.config.publicUrl, path)}"`,
      )
      return res
    }
    const profile =
      profileName === null
        ? null
        : await findProfile(deps.db, { userId: principal.user.id, name: profileName })
    if (profileName !== null && !profile) {
      return jsonRpcError(
        404,
        `you have no MCP endpoint profile named "${profileName.slice(0, 40)}"`,
      )
    }
    // A token or client given one profile works at that profile's address and nowhere else.
    if (principal.profileId !== null && principal.profileId !== profile?.id) {
      return jsonRpcError(
        403,
        'this sign-in is for another profile of your MCP endpoint: use its own address',
      )
    }
    deps.activity.seen(principal.user.id)
    const caller: EndpointCaller = {
      user: { id: principal.user.id, email: principal.user.email },
      profile: profile ? profileOfferOf(profile) : null,
      ip: c.var.ip,
      userAgent: c.req.header('user-agent') ?? null,
    }
    handlers ??= createUserHandlers(deps)
    return handlers.of(caller.user.id).fetch(c.req.raw, {
      authInfo: {
        token: secret as string,
        clientId: principal.clientId,
        scopes: [],
        extra: { caller },
      },
    })
  }
  routes.all('/', (c) => serve(c, null))
  routes.all('/p/:name', (c) => serve(c, c.req.param('name')))
  return routes
}

/** Who a bearer token acts for: a personal API token or an OAuth client's access token. */
async function authenticate(
  deps: AppDeps,
  secret: string,
): Promise<{ user: UserRow; profileId: string | null; clientId: string } | null> {
  if (looksLikeClientToken(secret)) {
    const client = await authenticateClientToken(deps, secret)
    return client && { user: client.user, profileId: client.profileId, clientId: client.clientId }
  }
  const token = await authenticateApiToken(deps, secret)
  return token && { user: token.user, profileId: token.token.profile_id, clientId: 'api-token' }
}

function jsonRpcError(status: number, message: string): Response {
  return Response.json(
    { jsonrpc: '2.0', id: null, error: { code: -32600, message } },
    { status, headers: { 'cache-control': 'no-store' } },
  )
}

/** `/api/user/mcp-endpoint`: what Settings shows a user about connecting their MCP clients. */
export const mcpEndpointInfoRoutes = createRouter()
mcpEndpointInfoRoutes.use('*', requireUser())
mcpEndpointInfoRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['MCP endpoint'],
    security: USER_SECURITY,
    summary: 'Where MCP clients reach your tools (`<public URL>/mcp`), and whether they can',
    responses: { 200: json(McpEndpointInfoSchema), ...errorResponses(401) },
  }),
  (c) => {
    const { config } = c.var.deps
    // Relative: a public URL with a path (behind a reverse proxy) keeps it.
    const url = new URL(MCP_ENDPOINT_PATH.slice(1), `${config.publicUrl.replace(/\/$/, '')}/`).href
    return c.json({ enabled: config.mcpEndpoint.enabled, url }, 200)
  },
)
