import { createRoute, z } from '@hono/zod-openapi'
import {
  InvitationInfoSchema,
  InvitationTokenSchema,
  PasswordResetSchema,
} from '../../shared/admin-users.ts'
import { describeInvitation } from '../admin/invitations.ts'
import { resetPassword } from '../admin/user-admin.ts'
import { createRouter, errorResponses, json, jsonBody } from './router.ts'

const tags = ['Auth']

/** The pages an admin's one-time links open: registering by invitation, setting a new password. */
export const accountLinkRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/invitations/{token}',
      tags,
      summary: 'The invited email of a registration link (400 link_invalid: used or expired)',
      request: { params: z.object({ token: InvitationTokenSchema }) },
      responses: { 200: json(InvitationInfoSchema), ...errorResponses(400) },
    }),
    async (c) => c.json(await describeInvitation(c.var.deps, c.req.valid('param')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/reset-password',
      tags,
      summary:
        "Set a new password with the token of an admin's reset link (one use; signs out everywhere)",
      request: jsonBody(PasswordResetSchema),
      responses: { 204: { description: 'Password changed' }, ...errorResponses(400) },
    }),
    async (c) => {
      await resetPassword(c.var.deps, { ...c.req.valid('json'), ip: c.var.ip })
      return c.body(null, 204)
    },
  )
