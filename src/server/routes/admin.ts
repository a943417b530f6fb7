import { createRoute } from '@hono/zod-openapi'
import {
  AdminStatsSchema,
  AdminUserListQuerySchema,
  AdminUserListSchema,
  AdminWindowQuerySchema,
} from '../../shared/admin.ts'
import { AdminAuditListQuerySchema, AuditListSchema } from '../../shared/audit.ts'
import { adminStats, listAdminUsers } from '../admin/admin-stats.ts'
import { listAllAudit } from '../audit/audit-log.ts'
import { requireAdmin, requireUser } from '../auth/require-user.ts'
import { toAuditListView } from './audit-views.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

const tags = ['Admin']
const security = USER_SECURITY

export const adminRoutes = createRouter()
adminRoutes.use('*', requireUser(), requireAdmin())
adminRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      tags,
      security,
      summary: 'Users, servers by status, and tool calls of the last `hours` hours (admins only)',
      request: { query: AdminWindowQuerySchema },
      responses: { 200: json(AdminStatsSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json(await adminStats(c.var.deps, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/users',
      tags,
      security,
      summary:
        'Every account (or those matching `q`, `role`, `status`) with its status, last sign-in, server count and calls in the window (admins only)',
      request: { query: AdminUserListQuerySchema },
      responses: { 200: json(AdminUserListSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json(await listAdminUsers(c.var.deps, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags,
      security,
      summary: "Everyone's audit log, newest first, optionally one user's (admins only)",
      request: { query: AdminAuditListQuerySchema },
      responses: { 200: json(AuditListSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const page = await listAllAudit(c.var.deps, { query: c.req.valid('query') })
      return c.json(toAuditListView(page), 200)
    },
  )
