import { createRoute, z } from '@hono/zod-openapi'
import {
  MessageLimitListSchema,
  MessageLimitUpdateSchema,
  UsageQuerySchema,
  UsageReportSchema,
} from '../../shared/usage.ts'
import { listMessageLimitsForAdmin, setMessageLimit, usageReport } from '../admin/usage.ts'
import { adminOf, requireAdmin, requireUser } from '../auth/require-user.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Admin: usage']
const security = USER_SECURITY
const Params = z.object({ userId: z.string().min(1).max(100) })

/** `/api/admin/usage`: tokens, cost, tool calls and errors; daily message limits (admins only). */
export const adminUsageRoutes = createRouter()
adminUsageRoutes.use('*', requireUser(), requireAdmin())
adminUsageRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'Usage per user, per model and per day over a period (default: the last 7 days)',
      request: { query: UsageQuerySchema },
      responses: { 200: json(UsageReportSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json(await usageReport(c.var.deps, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/limits',
      tags,
      security,
      summary: "Every user's daily message limit and what they sent today (UTC)",
      responses: { 200: json(MessageLimitListSchema), ...errorResponses(401, 403) },
    }),
    async (c) => c.json(await listMessageLimitsForAdmin(c.var.deps), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/limits/{userId}',
      tags,
      security,
      summary: "Set a user's daily message limit (null: none); over it, chat answers 429",
      request: { params: Params, ...jsonBody(MessageLimitUpdateSchema) },
      responses: { 204: { description: 'Set' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await setMessageLimit(c.var.deps, {
        userId: c.req.valid('param').userId,
        dailyMessages: c.req.valid('json').dailyMessages,
        admin: adminOf(c),
      })
      return c.body(null, 204)
    },
  )
