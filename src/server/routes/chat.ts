import { createRoute, z } from '@hono/zod-openapi'
import { ChatConfigSchema, ChatStreamRequestSchema } from '../../shared/chat.ts'
import { requireUser } from '../auth/require-user.ts'
import { chatConfigForUser } from '../chat/providers.ts'
import { streamChat } from '../chat/stream.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Chat']
const security = USER_SECURITY

export const chatRoutes = createRouter()
chatRoutes.use('/config', requireUser())
chatRoutes.use('/stream', requireUser())
chatRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/config',
      tags,
      security,
      summary: 'The models on offer, the default, and whether a model provider is configured',
      responses: { 200: json(ChatConfigSchema), ...errorResponses(401) },
    }),
    async (c) => c.json(await chatConfigForUser(c.var.deps), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/stream',
      tags,
      security,
      summary: "Send a message (or approval answers) and stream the model's answer",
      description:
        'Answers with the AI SDK UI message stream (SSE, `x-vercel-ai-ui-message-stream: v1`), ' +
        'readable by `useChat`. Besides the SDK parts it carries `data-tool-mode`, ' +
        '`data-tool-progress` and `data-tool-call` parts. Closing the connection stops the ' +
        'answer and cancels the tool calls in flight. 503 when no model provider is configured.',
      request: jsonBody(ChatStreamRequestSchema),
      responses: {
        200: {
          description: 'The UI message stream',
          content: { 'text/event-stream': { schema: z.string() } },
        },
        ...errorResponses(400, 401, 404, 503),
      },
    }),
    async (c) =>
      streamChat(c.var.deps, {
        user: { id: c.var.user.id, email: c.var.user.email },
        request: c.req.valid('json'),
        signal: c.req.raw.signal,
        ip: c.var.ip,
      }),
  )
