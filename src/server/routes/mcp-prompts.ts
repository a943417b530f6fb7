import { createRoute, z } from '@hono/zod-openapi'
import {
  McpPromptGetSchema,
  McpPromptListSchema,
  McpPromptMatchesSchema,
  McpPromptResultSchema,
  McpPromptSearchQuerySchema,
} from '../../shared/mcp-prompts.ts'
import { requireUser } from '../auth/require-user.ts'
import { getServerPrompt, listServerPrompts, searchUserPrompts } from '../mcp/servers/prompts.ts'
import { toPromptView } from './mcp-server-views.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

const tags = ['MCP servers']
const security = USER_SECURITY
const ServerParams = z.object({ id: z.uuid() })

/** `/api/user/mcp-servers/:id/prompts`: a server's prompts, and filling one in. */
export const mcpPromptRoutes = createRouter()
mcpPromptRoutes.use('*', requireUser())
mcpPromptRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/prompts',
      tags,
      security,
      summary: "The server's prompts, as last listed",
      description:
        'Listed with the tools (when the server is added, synced or checked, and when it says ' +
        'they changed), so this never asks the server.',
      request: { params: ServerParams },
      responses: { 200: json(McpPromptListSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const listed = await listServerPrompts(c.var.deps, {
        userId: c.var.user.id,
        serverId: c.req.valid('param').id,
      })
      return c.json({ ...listed, prompts: listed.prompts.map(toPromptView) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/prompts/{name}/get',
      tags,
      security,
      summary: 'Fill in a prompt with its arguments (`prompts/get`)',
      description:
        'Asks the server for the prompt’s messages (it counts against the tool-call rate ' +
        'limits). `text` is how the chat puts them before the user’s words: send it in a ' +
        'user message’s `data-prompt` part. A listed prompt’s required arguments are checked ' +
        'first (400 naming the field).',
      request: {
        params: ServerParams.extend({ name: z.string().min(1).max(200) }),
        body: { content: { 'application/json': { schema: McpPromptGetSchema } }, required: true },
      },
      responses: {
        200: json(McpPromptResultSchema),
        ...errorResponses(400, 401, 404, 409, 422, 429, 502, 504),
      },
    }),
    async (c) => {
      const { id, name } = c.req.valid('param')
      const result = await getServerPrompt(c.var.deps, {
        userId: c.var.user.id,
        serverId: id,
        name,
        arguments: c.req.valid('json').arguments,
      })
      return c.json(result, 200)
    },
  )

/** `/api/user/mcp-prompts`: the prompts of all the user's servers, for the chat's `/`. */
export const userPromptRoutes = createRouter()
userPromptRoutes.use('*', requireUser())
userPromptRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    security,
    summary: "Search the prompts of all the user's switched-on servers",
    description:
      'By name, title or description (any case), from the stored listings (no server is ' +
      'asked); grouped by server.',
    request: { query: McpPromptSearchQuerySchema },
    responses: { 200: json(McpPromptMatchesSchema), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const { q, limit } = c.req.valid('query')
    const found = await searchUserPrompts(c.var.deps, { userId: c.var.user.id, query: q, limit })
    return c.json(
      { prompts: found.map(({ row, serverName }) => ({ ...toPromptView(row), serverName })) },
      200,
    )
  },
)
