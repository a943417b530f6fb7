import { createRoute, z } from '@hono/zod-openapi'
import {
  ChatMessageListSchema,
  ConversationBranchSchema,
  ConversationCreateSchema,
  ConversationDetailSchema,
  ConversationExportQuerySchema,
  ConversationExportSchema,
  ConversationListQuerySchema,
  ConversationListSchema,
  ConversationSchema,
  ConversationUpdateSchema,
} from '../../shared/chat.ts'
import { ToolCallListSchema } from '../../shared/tool-calls.ts'
import { requireUser } from '../auth/require-user.ts'
import { showBranch } from '../chat/conversation-branches.ts'
import { exportConversation } from '../chat/conversation-export.ts'
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
      summary: "The caller's conversations, pinned first, then most recently active first",
      description:
        '`q` keeps those whose title or message text (text parts, any branch) holds it, in any ' +
        'case; each then carries `match`, the words around the first match in its messages.',
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
      summary: 'A conversation with the branch on show (AI SDK UI messages, oldest first)',
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
      summary: 'Rename, pin, or switch the model of a conversation (null: the default model)',
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
      summary: "A conversation's branch on show (AI SDK UI messages, oldest first)",
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
      method: 'post',
      path: '/{id}/branch',
      tags,
      security,
      summary: 'Show another branch: the one through this message (to its newest leaf)',
      description:
        'Messages with siblings (edited, or answered again) list them as `siblingIds`. The ' +
        'branch chosen is stored: a reload, and the model on the next message, see the same one.',
      request: { params: Params, ...jsonBody(ConversationBranchSchema) },
      responses: { 200: json(ConversationDetailSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { conversation, messages } = await showBranch(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
        messageId: c.req.valid('json').messageId,
      })
      return c.json({ ...toConversationView(conversation), messages }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/export',
      tags,
      security,
      summary: 'Download a conversation as Markdown (the branch on show) or JSON (everything)',
      request: { params: Params, query: ConversationExportQuerySchema },
      responses: {
        200: {
          description: 'The file, as an attachment named after the title',
          content: {
            'text/markdown': { schema: z.string() },
            'application/json': { schema: ConversationExportSchema },
          },
        },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const file = await exportConversation(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
        format: c.req.valid('query').format,
      })
      return c.body(file.body, 200, {
        'content-type': file.contentType,
        'content-disposition': attachment(file.filename),
      }) as never
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

/** RFC 6266: an ASCII fallback name, and the real one (RFC 8187) for browsers that read it. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
