import { createRoute } from '@hono/zod-openapi'
import { AuditListQuerySchema, AuditListSchema } from '../../shared/audit.ts'
import { listOwnAudit } from '../audit/audit-log.ts'
import { requireUser } from '../auth/require-user.ts'
import { toAuditListView } from './audit-views.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

const tags = ['Audit log']

export const auditRoutes = createRouter()
auditRoutes.use('*', requireUser())
auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    security: USER_SECURITY,
    summary: "The caller's own audit log, newest first",
    description:
      'Sign-ins (including failed ones for this account), tokens, servers and tools. Pass `nextCursor` back as `cursor` for older entries.',
    request: { query: AuditListQuerySchema },
    responses: { 200: json(AuditListSchema), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const page = await listOwnAudit(c.var.deps, {
      userId: c.var.user.id,
      query: c.req.valid('query'),
    })
    return c.json(toAuditListView(page), 200)
  },
)
