import { createRoute, z } from '@hono/zod-openapi'
import {
  ChatMessageListSchema,
  ConversationCreateSchema,
  ConversationDetailSchema,
  ConversationListQuerySchema,
  ConversationListSchema,
  ConversationSchema,
  ConversationUpdateSchema,
} from '../../shared/chat.ts'
import { ToolCallListSchema } from '../../shared/tool-calls.ts'
import { requireUser } from '../auth/require-user.ts'
import {
  createConversation,
  deleteConversation,
  getConversationMessages,
  listConversations,
  listConversationToolCalls,
  toConversationView,
  updateConversation,
} from '../chat/conversations.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Conversations']
const security = USER_SECURITY
const Params = z.object({ id: z.uuid() })
const ToolCallsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
})

export const conversationRoutes = createRouter()
conversationRoutes.use('*', requireUser())
conversationRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: "The caller's conversations, most recently active first",
      request: { query: ConversationListQuerySchema },
      responses: { 200: json(ConversationListSchema), ...errorResponses(400, 401) },
    }),
    async (c) =>
      c.json(
        await listConversations(c.var.deps, { userId: c.var.user.id, query: c.req.valid('query') }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      summary: 'Start a conversation (titled after its first message unless a title is given)',
      request: jsonBody(ConversationCreateSchema),
      responses: { 201: json(ConversationSchema, 'Created'), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const row = await createConversation(c.var.deps, {
        userId: c.var.user.id,
        conversation: c.req.valid('json'),
      })
      return c.json(toConversationView(row), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      summary: 'A conversation with its messages (AI SDK UI messages, oldest first)',
      request: { params: Params },
      responses: { 200: json(ConversationDetailSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { conversation, messages } = await getConversationMessages(c.var.deps, {
        userId: c.var.user.id,
        ...c.req.valid('param'),
      })
      return c.json({ ...toConversationView(conversation), messages }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      security,
      summary: 'Rename a conversation or switch its model (null: the default model)',
      request: { params: Params, ...jsonBody(ConversationUpdateSchema) },
      responses: { 200: json(ConversationSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const row = await updateConversation(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
        changes: c.req.valid('json'),
      })
      return c.json(toConversationView(row), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Delete a conversation and its messages (its tool calls stay in the call log)',
      request: { params: Params },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      await deleteConversation(c.var.deps, { userId: c.var.user.id, ...c.req.valid('param') })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/messages',
      tags,
      security,
      summary: "A conversation's messages (AI SDK UI messages, oldest first)",
      request: { params: Params },
      responses: { 200: json(ChatMessageListSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { messages } = await getConversationMessages(c.var.deps, {
        userId: c.var.user.id,
        ...c.req.valid('param'),
      })
      return c.json({ messages }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/tool-calls',
      tags,
      security,
      summary: 'The tool calls made in a conversation, newest first',
      request: { params: Params, query: ToolCallsQuery },
      responses: { 200: json(ToolCallListSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) =>
      c.json(
        await listConversationToolCalls(c.var.deps, {
          userId: c.var.user.id,
          ...c.req.valid('param'),
          ...c.req.valid('query'),
        }),
        200,
      ),
  )
