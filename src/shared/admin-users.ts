import { z } from 'zod'
import { EmailSchema, PasswordSchema, UserRoleSchema } from './auth.ts'

/**
 * User administration (issue 16): creating, inviting, disabling and deleting accounts, reset
 * links, and the registration policy.
 */

/** How long an invitation link works. */
export const INVITATION_TTL_DAYS = 7

/** `open`: anyone; `invite-only`: with an admin's link; `closed`: nobody; `domains`: listed only. */
export const RegistrationModeSchema = z.enum(['open', 'invite-only', 'closed', 'domains'])
export type RegistrationMode = z.infer<typeof RegistrationModeSchema>

/** A host name such as `example.com` (lower-cased; no scheme, port or `@`). */
export const EmailDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'not a domain name (example: example.com)',
  })

export const RegistrationPolicySchema = z
  .object({
    mode: RegistrationModeSchema,
    /** With `domains`: the email domains that may register (sub-domains not included). */
    domains: z.array(EmailDomainSchema).max(100).default([]),
  })
  .refine((policy) => policy.mode !== 'domains' || policy.domains.length > 0, {
    path: ['domains'],
    message: 'name at least one domain',
  })
  .meta({ id: 'RegistrationPolicy' })
export type RegistrationPolicy = z.infer<typeof RegistrationPolicySchema>

/** `GET /api/admin/registration`: the policy in force and who set it. */
export const RegistrationSettingsSchema = z
  .object({
    policy: RegistrationPolicySchema,
    /**
     * `env` (SWITCHBOARD_REGISTRATION) or `file` (switchboard.yaml): the operator fixed it and it
     * cannot be changed here; `admin`: chosen on the admin page; `default`: nobody chose (open).
     */
    source: z.enum(['env', 'file', 'admin', 'default']),
  })
  .meta({ id: 'RegistrationSettings' })
export type RegistrationSettings = z.infer<typeof RegistrationSettingsSchema>

/** `POST /api/admin/users`: an account with a temporary password the admin passes on. */
export const AdminUserCreateSchema = z
  .object({
    email: EmailSchema,
    name: z.string().trim().min(1).max(100).optional(),
    password: PasswordSchema,
    role: UserRoleSchema.default('user'),
  })
  .meta({ id: 'AdminUserCreate' })
export type AdminUserCreate = z.infer<typeof AdminUserCreateSchema>

export const AdminUserRoleChangeSchema = z
  .object({ role: UserRoleSchema })
  .meta({ id: 'AdminUserRoleChange' })
export type AdminUserRoleChange = z.infer<typeof AdminUserRoleChangeSchema>

export const AdminUserDisableSchema = z
  .object({ reason: z.string().trim().max(200).optional() })
  .meta({ id: 'AdminUserDisable' })
export type AdminUserDisable = z.infer<typeof AdminUserDisableSchema>

export const AdminUserIdParamSchema = z.object({ id: z.string().min(1).max(200) })

/** A one-time link the admin copies and passes on (no mail is sent). */
export const AdminLinkSchema = z
  .object({ url: z.url(), expiresAt: z.iso.datetime() })
  .meta({ id: 'AdminLink' })
export type AdminLink = z.infer<typeof AdminLinkSchema>

export const InvitationCreateSchema = z
  .object({ email: EmailSchema, role: UserRoleSchema.default('user') })
  .meta({ id: 'InvitationCreate' })
export type InvitationCreate = z.infer<typeof InvitationCreateSchema>

export const InvitationViewSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: UserRoleSchema,
    /** The admin who made it (null: their account is gone). */
    createdBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Invitation' })
export type InvitationView = z.infer<typeof InvitationViewSchema>

/** The reply to making an invitation: the only time its link is shown. */
export const InvitationCreatedSchema = z
  .object({ invitation: InvitationViewSchema, link: AdminLinkSchema })
  .meta({ id: 'InvitationCreated' })
export type InvitationCreated = z.infer<typeof InvitationCreatedSchema>

/** Pending (unused, unexpired) invitations, newest first. */
export const InvitationListSchema = z
  .object({ invitations: z.array(InvitationViewSchema) })
  .meta({ id: 'InvitationList' })
export type InvitationList = z.infer<typeof InvitationListSchema>

export const InvitationTokenSchema = z.string().min(16).max(200)

/** `GET /api/auth/invitations/:token`: what the registration page shows for a link. */
export const InvitationInfoSchema = z
  .object({ email: z.string(), expiresAt: z.iso.datetime() })
  .meta({ id: 'InvitationInfo' })
export type InvitationInfo = z.infer<typeof InvitationInfoSchema>

/** `POST /api/auth/reset-password`: a new password with the token of an admin's reset link. */
export const PasswordResetSchema = z
  .object({ token: z.string().min(1).max(200), password: PasswordSchema })
  .meta({ id: 'PasswordReset' })
export type PasswordReset = z.infer<typeof PasswordResetSchema>
