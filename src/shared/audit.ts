import { z } from 'zod'

/** Every security-relevant event Switchboard records (`audit_log.action`). */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.register',
  'token.created',
  'token.revoked',
  'mcp_client.authorized',
  'mcp_client.signed_in',
  'mcp_client.revoked',
  'server.created',
  'server.updated',
  'server.deleted',
  'server.secret_changed',
  'server.oauth_connected',
  'tool.enabled',
  'tool.disabled',
  'tool.enabled_all',
  'tool.disabled_all',
  'tool.policy_changed',
  'tool_call.refused',
  'tool_call.rate_limited',
  // User administration (issue 16): filed under the account acted on; a deletion, invitations
  // and the registration policy under the admin (there is no account to file them under).
  'admin.user_created',
  'admin.user_invited',
  'admin.invitation_revoked',
  'admin.user_disabled',
  'admin.user_enabled',
  'admin.user_deleted',
  'admin.role_changed',
  'admin.reset_link_created',
  'admin.registration_changed',
  // Model providers and usage limits (issue 16), filed under the admin.
  'admin.model_provider_added',
  'admin.model_provider_changed',
  'admin.model_provider_removed',
  'admin.model_settings_changed',
  'admin.message_limit_changed',
  'auth.password_reset',
] as const
export const AuditActionSchema = z.enum(AUDIT_ACTIONS)
export type AuditAction = z.infer<typeof AuditActionSchema>

export const AuditEntryViewSchema = z
  .object({
    id: z.string(),
    userId: z.string().nullable(),
    /** Who did it: the user's email, `system`, or `anonymous` for a failed sign-in. */
    actor: z.string(),
    action: AuditActionSchema,
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    /** Redacted: never a secret. */
    details: z.record(z.string(), z.unknown()),
    at: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' })
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>

/** `GET /api/user/audit`: newest first, one page at a time. */
export const AuditListQuerySchema = z.object({
  action: AuditActionSchema.optional(),
  /** Entries at or after this instant. */
  from: z.iso.datetime().optional(),
  /** Entries before this instant. */
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
})
export type AuditListQuery = z.infer<typeof AuditListQuerySchema>

/** `GET /api/admin/audit`: every user's entries, optionally one user's. */
export const AdminAuditListQuerySchema = AuditListQuerySchema.extend({
  userId: z.string().min(1).max(200).optional(),
})
export type AdminAuditListQuery = z.infer<typeof AdminAuditListQuerySchema>

export const AuditListSchema = z
  .object({
    entries: z.array(AuditEntryViewSchema),
    /** Pass as `cursor` for the next (older) page; null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'AuditList' })
export type AuditList = z.infer<typeof AuditListSchema>
