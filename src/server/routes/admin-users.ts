import { createRoute, z } from '@hono/zod-openapi'
import { AdminUserViewSchema } from '../../shared/admin.ts'
import {
  AdminLinkSchema,
  AdminUserCreateSchema,
  AdminUserDisableSchema,
  AdminUserIdParamSchema,
  AdminUserRoleChangeSchema,
  InvitationCreatedSchema,
  InvitationCreateSchema,
  InvitationListSchema,
  RegistrationPolicySchema,
  RegistrationSettingsSchema,
} from '../../shared/admin-users.ts'
import { createInvitation, listInvitations, revokeInvitation } from '../admin/invitations.ts'
import { changeRegistrationPolicy, registrationSettings } from '../admin/registration-policy.ts'
import {
  changeUserRole,
  createResetLink,
  createUserWithPassword,
  deleteUser,
  disableUser,
  enableUser,
} from '../admin/user-admin.ts'
import { adminOf, requireAdmin, requireUser } from '../auth/require-user.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Admin: users']
const security = USER_SECURITY
const params = AdminUserIdParamSchema
const InvitationParams = z.object({ id: z.uuid() })

/** Who is acting, as the services record it. */
/** `/api/admin/...`: managing accounts, invitations and the registration policy (admins only). */
export const adminUserRoutes = createRouter()
adminUserRoutes.use('*', requireUser(), requireAdmin())
adminUserRoutes
  .openapi(
    createRoute({
      method: 'post',
      path: '/users',
      tags,
      security,
      summary: 'Create an account with a temporary password to pass on',
      request: jsonBody(AdminUserCreateSchema),
      responses: { 201: json(AdminUserViewSchema), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) =>
      c.json(
        await createUserWithPassword(c.var.deps, { ...c.req.valid('json'), admin: adminOf(c) }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/users/{id}/role',
      tags,
      security,
      summary: 'Change the role (409 last_admin for the last enabled admin)',
      request: { params, ...jsonBody(AdminUserRoleChangeSchema) },
      responses: { 200: json(AdminUserViewSchema), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) =>
      c.json(
        await changeUserRole(c.var.deps, {
          id: c.req.valid('param').id,
          role: c.req.valid('json').role,
          admin: adminOf(c),
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/disable',
      tags,
      security,
      summary:
        'Disable: signs out everywhere, refuses API tokens and MCP client tokens at once; data kept',
      request: { params, ...jsonBody(AdminUserDisableSchema) },
      responses: { 200: json(AdminUserViewSchema), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) =>
      c.json(
        await disableUser(c.var.deps, {
          id: c.req.valid('param').id,
          reason: c.req.valid('json').reason,
          admin: adminOf(c),
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/enable',
      tags,
      security,
      summary: 'Enable a disabled account again',
      request: { params },
      responses: { 200: json(AdminUserViewSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) =>
      c.json(await enableUser(c.var.deps, { id: c.req.valid('param').id, admin: adminOf(c) }), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/users/{id}',
      tags,
      security,
      summary:
        'Delete the account and all its data (servers, secrets, conversations, calls, tokens, OAuth grants, profiles, attachments)',
      request: { params },
      responses: {
        204: { description: 'Deleted' },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      await deleteUser(c.var.deps, { id: c.req.valid('param').id, admin: adminOf(c) })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/reset-link',
      tags,
      security,
      summary: 'A one-time link for the user to set a new password (valid 24 hours)',
      request: { params },
      responses: { 201: json(AdminLinkSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) =>
      c.json(
        await createResetLink(c.var.deps, { id: c.req.valid('param').id, admin: adminOf(c) }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/invitations',
      tags,
      security,
      summary: 'Invitations not used yet and not expired, newest first',
      responses: { 200: json(InvitationListSchema), ...errorResponses(401, 403) },
    }),
    async (c) => c.json({ invitations: await listInvitations(c.var.deps) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/invitations',
      tags,
      security,
      summary: 'A one-time link to register with this email (valid 7 days; shown once)',
      request: jsonBody(InvitationCreateSchema),
      responses: { 201: json(InvitationCreatedSchema), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) =>
      c.json(
        await createInvitation(c.var.deps, { ...c.req.valid('json'), admin: adminOf(c) }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/invitations/{id}',
      tags,
      security,
      summary: 'Withdraw an invitation: its link stops working',
      request: { params: InvitationParams },
      responses: { 204: { description: 'Withdrawn' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await revokeInvitation(c.var.deps, { id: c.req.valid('param').id, admin: adminOf(c) })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/registration',
      tags,
      security,
      summary: 'The registration policy in force, and whether the operator fixed it',
      responses: { 200: json(RegistrationSettingsSchema), ...errorResponses(401, 403) },
    }),
    async (c) => c.json(await registrationSettings(c.var.deps), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/registration',
      tags,
      security,
      summary:
        'Set the registration policy (409 set_by_operator while SWITCHBOARD_REGISTRATION or switchboard.yaml fixes it)',
      request: jsonBody(RegistrationPolicySchema),
      responses: {
        200: json(RegistrationSettingsSchema),
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) =>
      c.json(
        await changeRegistrationPolicy(c.var.deps, {
          policy: c.req.valid('json'),
          admin: adminOf(c),
        }),
        200,
      ),
  )
