import { createRoute, z } from '@hono/zod-openapi'
import {
  McpResourceListSchema,
  McpResourceMatchesSchema,
  McpResourceReadQuerySchema,
  McpResourceReadSchema,
  McpResourceSearchQuerySchema,
} from '../../shared/mcp-resources.ts'
import { requireUser } from '../auth/require-user.ts'
import {
  listServerResources,
  readServerResource,
  searchUserResources,
} from '../mcp/servers/resources.ts'
import { toResourceView } from './mcp-server-views.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

const tags = ['MCP servers']
const security = USER_SECURITY
const ServerParams = z.object({ id: z.uuid() })

/** `/api/user/mcp-servers/:id/resources`: what a server offers to read, and reading it. */
export const mcpResourceRoutes = createRouter()
mcpResourceRoutes.use('*', requireUser())
mcpResourceRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/resources',
      tags,
      security,
      summary: "The server's resources and resource templates, as last listed",
      description:
        'Listed with the tools (when the server is added, synced or checked, and when it says ' +
        'they changed), so this never asks the server.',
      request: { params: ServerParams },
      responses: { 200: json(McpResourceListSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const listed = await listServerResources(c.var.deps, {
        userId: c.var.user.id,
        serverId: c.req.valid('param').id,
      })
      return c.json(
        {
          ...listed,
          resources: listed.resources.map(toResourceView),
          templates: listed.templates.map(toResourceView),
        },
        200,
      )
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/resources/read',
      tags,
      security,
      summary: 'Read a resource from the server (`resources/read`)',
      description:
        'Any URI the server answers for: a listed resource, or one made from a template. ' +
        'Text comes as `text`, bytes as base64 in `blob`; an answer over 4 MB is refused (502).',
      request: { params: ServerParams, query: McpResourceReadQuerySchema },
      responses: {
        200: json(McpResourceReadSchema),
        ...errorResponses(400, 401, 404, 409, 422, 502, 504),
      },
    }),
    async (c) => {
      const { contents } = await readServerResource(c.var.deps, {
        userId: c.var.user.id,
        serverId: c.req.valid('param').id,
        uri: c.req.valid('query').uri,
      })
      return c.json({ contents }, 200)
    },
  )

/** `/api/user/mcp-resources`: the resources of all the user's servers, for the chat's `@`. */
export const userResourceRoutes = createRouter()
userResourceRoutes.use('*', requireUser())
userResourceRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    security,
    summary: "Search the resources and templates of all the user's switched-on servers",
    description:
      'By name, title or URI (any case), from the stored listings (no server is asked); ' +
      'grouped by server. Attach one with `POST /api/user/attachments/from-resource`.',
    request: { query: McpResourceSearchQuerySchema },
    responses: { 200: json(McpResourceMatchesSchema), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const { q, limit } = c.req.valid('query')
    const found = await searchUserResources(c.var.deps, {
      userId: c.var.user.id,
      query: q,
      limit,
    })
    return c.json(
      { resources: found.map(({ row, serverName }) => ({ ...toResourceView(row), serverName })) },
      200,
    )
  },
)
