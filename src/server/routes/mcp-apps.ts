import { createRoute, z } from '@hono/zod-openapi'
import { McpAppViewSchema } from '../../shared/mcp-apps.ts'
import { requireUser } from '../auth/require-user.ts'
import { getToolApp } from '../mcp/apps/tool-app.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

const ToolParams = z.object({ id: z.uuid(), toolId: z.uuid() })

/** `/api/user/mcp-servers/:id/tools/:toolId/app`: the MCP App a tool's results render with. */
export const mcpAppRoutes = createRouter()
mcpAppRoutes.use('*', requireUser())
mcpAppRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/tools/{toolId}/app',
    tags: ['MCP servers'],
    security: USER_SECURITY,
    summary: "The tool's MCP App (its `ui://` resource), as cached with the tool",
    description:
      'Read when the tools are listed, never asked for here. 404 when the tool has no app ' +
      '(or it could not be read), 409 `disabled` when apps are switched off for the server, ' +
      '409 `tool_changed` until a changed tool (or app) is accepted.',
    request: { params: ToolParams },
    responses: { 200: json(McpAppViewSchema), ...errorResponses(400, 401, 404, 409) },
  }),
  async (c) => {
    const { id, toolId } = c.req.valid('param')
    return c.json(
      await getToolApp(c.var.deps, { userId: c.var.user.id, serverId: id, toolId }),
      200,
    )
  },
)
