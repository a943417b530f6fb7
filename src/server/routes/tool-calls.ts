import { createRoute, z } from '@hono/zod-openapi'
import {
  ToolCallListQuerySchema,
  ToolCallListSchema,
  ToolCallReplySchema,
  ToolCallRequestSchema,
  ToolCallStatsSchema,
} from '../../shared/tool-calls.ts'
import { requireUser } from '../auth/require-user.ts'
import { listToolCallHistory, toolCallStats } from '../toolcalls/tool-call-history.ts'
import { cancelToolCall, getToolCall, startToolCall } from '../toolcalls/tool-call-service.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Tool calls']
const security = USER_SECURITY
const CallParams = z.object({ id: z.uuid() })

/** `POST /api/chat/tool-call`: call one of the caller's tools. */
export const toolCallRoutes = createRouter()
toolCallRoutes.use('*', requireUser())
toolCallRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    security,
    summary: 'Call a tool of one of your servers (or a shared one)',
    description:
      'Checks the tool is yours and switched on, validates the arguments against its input ' +
      'schema, applies the rate limits, and calls it. `mode: "sync"` answers 200 with the ' +
      'finished call, or 202 when it is still running after `asyncAfterMs` (at most, and by ' +
      "default, the operator's `toolCalls.asyncAfterMs`; then its `mode` turns `async`); " +
      '`mode: "async"` answers 202 at once. Follow a running call with ' +
      '`GET /api/user/mcp-tool-calls/{id}` or the `tool-call.*` events of `GET /api/events`.',
    request: jsonBody(ToolCallRequestSchema),
    responses: {
      200: json(ToolCallReplySchema, 'The call finished: `call.status` says how'),
      202: json(ToolCallReplySchema, 'The call is running'),
      ...errorResponses(400, 401, 403, 404, 409, 429),
    },
  }),
  async (c) => {
    const body = c.req.valid('json')
    const outcome = await startToolCall(c.var.deps, {
      user: c.var.user,
      target: body.toolId
        ? { toolId: body.toolId }
        : { serverId: body.serverId as string, toolName: body.toolName as string },
      arguments: body.arguments,
      mode: body.mode,
      ...(body.asyncAfterMs !== undefined ? { asyncAfterMs: body.asyncAfterMs } : {}),
      source: body.source,
      ...(body.appToolId
        ? { app: { toolId: body.appToolId, approved: body.approved ?? false } }
        : {}),
      conversationId: body.conversationId ?? null,
      messageId: body.messageId ?? null,
      ip: c.var.ip,
    })
    return outcome.kind === 'finished'
      ? c.json({ call: outcome.call }, 200)
      : c.json({ call: outcome.call }, 202)
  },
)

/** `/api/user/mcp-tool-calls`: the caller's call history. */
export const toolCallHistoryRoutes = createRouter()
toolCallHistoryRoutes.use('*', requireUser())
toolCallHistoryRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'Your tool calls, newest first',
      request: { query: ToolCallListQuerySchema },
      responses: { 200: json(ToolCallListSchema), ...errorResponses(400, 401) },
    }),
    async (c) =>
      c.json(
        await listToolCallHistory(c.var.deps, {
          userId: c.var.user.id,
          query: c.req.valid('query'),
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      tags,
      security,
      summary: 'Calls per day by status; volume, errors and latency per server',
      request: { query: z.object({ days: z.coerce.number().int().min(1).max(90).default(14) }) },
      responses: { 200: json(ToolCallStatsSchema), ...errorResponses(400, 401) },
    }),
    async (c) =>
      c.json(
        await toolCallStats(c.var.deps, {
          userId: c.var.user.id,
          days: c.req.valid('query').days,
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      summary: 'One of your tool calls',
      request: { params: CallParams },
      responses: { 200: json(ToolCallReplySchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const call = await getToolCall(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
      })
      return c.json({ call }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/cancel',
      tags,
      security,
      summary: 'Cancel a running call',
      description:
        'Sends `notifications/cancelled` (or `tasks/cancel`) upstream. Answers with the call ' +
        'once it has ended, or as it is after 5 s. A call that already ended is returned as is.',
      request: { params: CallParams },
      responses: { 200: json(ToolCallReplySchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const call = await cancelToolCall(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
      })
      return c.json({ call }, 200)
    },
  )
