import { createRoute, z } from '@hono/zod-openapi'
import { CompletionRequestSchema, CompletionSchema } from '../../shared/mcp-completions.ts'
import { requireUser } from '../auth/require-user.ts'
import { completeArgument } from '../mcp/servers/completions.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

/** `/api/user/mcp-servers/:id/complete`: suggestions while filling in a prompt or a template. */
export const mcpCompletionRoutes = createRouter()
mcpCompletionRoutes.use('*', requireUser())
mcpCompletionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/complete',
    tags: ['MCP servers'],
    security: USER_SECURITY,
    summary: "Suggestions for a prompt's argument or a resource template's variable",
    description:
      'Asks the server (`completion/complete`). A server that offers no completions, or is ' +
      'switched off, gives none.',
    request: {
      params: z.object({ id: z.uuid() }),
      body: {
        content: { 'application/json': { schema: CompletionRequestSchema } },
        required: true,
      },
    },
    responses: { 200: json(CompletionSchema), ...errorResponses(400, 401, 404, 422, 502, 504) },
  }),
  async (c) => {
    const completion = await completeArgument(c.var.deps, {
      userId: c.var.user.id,
      serverId: c.req.valid('param').id,
      request: c.req.valid('json'),
    })
    return c.json(completion, 200)
  },
)
