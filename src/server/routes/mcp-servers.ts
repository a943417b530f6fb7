import { createRoute, z } from '@hono/zod-openapi'
import {
  McpServerCreateSchema,
  McpServerListSchema,
  McpServerStatsSchema,
  McpServerSyncResultSchema,
  McpServerTestResultSchema,
  McpServerUpdateSchema,
  McpServerViewSchema,
  McpToolListSchema,
  McpToolsSwitchResultSchema,
  McpToolsSwitchSchema,
  McpToolUpdateSchema,
  McpToolViewSchema,
} from '../../shared/mcp-servers.ts'
import { requireUser } from '../auth/require-user.ts'
import { switchServerTools } from '../mcp/catalog/tool-switches.ts'
import {
  createServer,
  deleteServer,
  getServer,
  listServers,
  listServerTools,
  serverStats,
  syncServer,
  testServer,
  updateServer,
  updateServerTool,
} from '../mcp/servers/servers.ts'
import { toServerView, toToolView } from './mcp-server-views.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['MCP servers']
const ServerParams = z.object({ id: z.uuid() })
const ToolParams = z.object({ id: z.uuid(), toolId: z.uuid() })
const security = USER_SECURITY

export const mcpServerRoutes = createRouter()
mcpServerRoutes.use('*', requireUser())
mcpServerRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: "The caller's MCP servers",
      responses: { 200: json(McpServerListSchema), ...errorResponses(401) },
    }),
    async (c) => {
      const rows = await listServers(c.var.deps, { userId: c.var.user.id })
      return c.json({ servers: rows.map(toServerView) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      tags,
      security,
      summary: "Counts of the caller's servers by status, and of their tools",
      responses: { 200: json(McpServerStatsSchema), ...errorResponses(401) },
    }),
    async (c) => c.json(await serverStats(c.var.deps, { userId: c.var.user.id }), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      summary: 'Add a server: it is connected to and its tools listed before it is saved',
      description:
        'With `validate: false` the server is saved even when unreachable, with its error as its status. stdio is refused: only switchboard.yaml may define local commands.',
      request: jsonBody(McpServerCreateSchema),
      responses: {
        201: json(McpServerViewSchema, 'Created'),
        ...errorResponses(400, 401, 409, 422, 502, 504),
      },
    }),
    async (c) => {
      const row = await createServer(c.var.deps, {
        userId: c.var.user.id,
        server: c.req.valid('json'),
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.json(toServerView(row), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      summary: 'One server',
      request: { params: ServerParams },
      responses: { 200: json(McpServerViewSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const row = await getServer(c.var.deps, { userId: c.var.user.id, ...c.req.valid('param') })
      return c.json(toServerView(row), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      security,
      summary: 'Change a server; a new URL, transport, auth or timeouts is checked first',
      request: { params: ServerParams, ...jsonBody(McpServerUpdateSchema) },
      responses: {
        200: json(McpServerViewSchema),
        ...errorResponses(400, 401, 403, 404, 409, 422, 502, 504),
      },
    }),
    async (c) => {
      const row = await updateServer(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
        changes: c.req.valid('json'),
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.json(toServerView(row), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Remove a server and its tools (the call log keeps its rows)',
      request: { params: ServerParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await deleteServer(c.var.deps, {
        userId: c.var.user.id,
        ...c.req.valid('param'),
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/test',
      tags,
      security,
      summary: 'Connect, initialize and list tools now; reports latency or the error',
      request: { params: ServerParams },
      responses: { 200: json(McpServerTestResultSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const result = await testServer(c.var.deps, {
        userId: c.var.user.id,
        ...c.req.valid('param'),
      })
      return c.json(result, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/sync',
      tags,
      security,
      summary: 'Re-list the tools and update the cache (added, removed, changed)',
      request: { params: ServerParams },
      responses: {
        200: json(McpServerSyncResultSchema),
        ...errorResponses(400, 401, 404, 422, 502, 504),
      },
    }),
    async (c) => {
      const result = await syncServer(c.var.deps, {
        userId: c.var.user.id,
        ...c.req.valid('param'),
      })
      return c.json({ ...result, server: toServerView(result.server) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/tools',
      tags,
      security,
      summary: "The server's cached tools",
      request: { params: ServerParams },
      responses: { 200: json(McpToolListSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const rows = await listServerTools(c.var.deps, {
        userId: c.var.user.id,
        serverId: c.req.valid('param').id,
      })
      return c.json({ tools: rows.map(toToolView) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}/tools',
      tags,
      security,
      summary: "Switch all of a server's tools on or off (or the listed ones): one audit entry",
      request: { params: ServerParams, ...jsonBody(McpToolsSwitchSchema) },
      responses: {
        200: json(McpToolsSwitchResultSchema),
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const result = await switchServerTools(c.var.deps, {
        userId: c.var.user.id,
        serverId: c.req.valid('param').id,
        enabled: body.enabled,
        toolIds: body.toolIds,
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.json({ changed: result.changed, tools: result.tools.map(toToolView) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}/tools/{toolId}',
      tags,
      security,
      summary:
        'Enable or disable a tool, set its approval policy, or accept its changed definition',
      request: { params: ToolParams, ...jsonBody(McpToolUpdateSchema) },
      responses: { 200: json(McpToolViewSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, toolId } = c.req.valid('param')
      const row = await updateServerTool(c.var.deps, {
        userId: c.var.user.id,
        isAdmin: c.var.user.role === 'admin',
        serverId: id,
        toolId,
        changes: c.req.valid('json'),
        actor: c.var.user.email,
        ip: c.var.ip,
      })
      return c.json(toToolView(row), 200)
    },
  )
