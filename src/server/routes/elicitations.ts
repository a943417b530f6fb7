import { createRoute, z } from '@hono/zod-openapi'
import {
  ElicitationAnsweredSchema,
  ElicitationAnswerSchema,
  ElicitationListSchema,
} from '../../shared/elicitations.ts'
import { requireUser } from '../auth/require-user.ts'
import { answerElicitation, listElicitations } from '../toolcalls/elicitations.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Elicitations']
const security = USER_SECURITY
const Params = z.object({ id: z.uuid() })

export const elicitationRoutes = createRouter()
elicitationRoutes.use('*', requireUser())
elicitationRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'Questions MCP servers are waiting for you to answer',
      description:
        'A server may ask for input in the middle of a tool call (MCP elicitation): a form to ' +
        'fill in (`mode: form`) or a link to open (`mode: url`, with its host). ' +
        'New questions also arrive live as `elicitation.requested` events on `GET /api/events`.',
      responses: { 200: json(ElicitationListSchema), ...errorResponses(401) },
    }),
    async (c) => c.json({ elicitations: await listElicitations(c.var.deps, c.var.user.id) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}',
      tags,
      security,
      summary: "Answer a server's question: accept (with the form's content), decline or cancel",
      description:
        'An accepted form is checked against the schema the server sent (400 naming the ' +
        'fields). Accepting a link means the user opened it, and carries no `content` (400 ' +
        'naming it). 404 when the question is not yours, was answered, or has expired.',
      request: { params: Params, ...jsonBody(ElicitationAnswerSchema) },
      responses: {
        200: json(ElicitationAnsweredSchema),
        202: json(ElicitationAnsweredSchema),
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const status = await answerElicitation(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
        answer: c.req.valid('json'),
      })
      return status === 'delivered' ? c.json({ status }, 200) : c.json({ status }, 202)
    },
  )
