import { z } from 'zod'

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 256

export const EmailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase())
export const PasswordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH)

export const RegisterSchema = z
  .object({
    email: EmailSchema,
    password: PasswordSchema,
    name: z.string().trim().min(1).max(100).optional(),
    /** The token of an admin's invitation link (the email must be the invited one). */
    invite: z.string().min(1).max(200).optional(),
  })
  .meta({ id: 'Register' })
export type Register = z.infer<typeof RegisterSchema>

export const LoginSchema = z
  .object({ email: EmailSchema, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) })
  .meta({ id: 'Login' })
export type Login = z.infer<typeof LoginSchema>

export const UserRoleSchema = z.enum(['admin', 'user'])
export type UserRole = z.infer<typeof UserRoleSchema>

export const UserViewSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: UserRoleSchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' })
export type UserView = z.infer<typeof UserViewSchema>

export const MeSchema = z
  .object({ user: UserViewSchema, via: z.enum(['session', 'token']) })
  .meta({ id: 'Me' })
export type Me = z.infer<typeof MeSchema>

/** What the sign-in page needs to know before anyone is signed in. */
export const AuthOptionsSchema = z
  .object({
    /** The sign-up form is offered (without an invitation). */
    registration: z.boolean(),
    hasUsers: z.boolean(),
    /** Only addresses at these domains may sign up (empty: no such limit). */
    domains: z.array(z.string()).default([]),
    /** false: only single sign-on (email + password sign-in is off). */
    passwordLogin: z.boolean(),
    /** Single sign-on with an OpenID Connect provider: the name on its button; null: off. */
    sso: z.object({ name: z.string() }).nullable(),
  })
  .meta({ id: 'AuthOptions' })
export type AuthOptions = z.infer<typeof AuthOptionsSchema>

/** A path on this site to return to after signing in: never another site (`//host`, `/\\host`). */
export const ReturnPathSchema = z
  .string()
  .max(4000)
  .regex(/^\/(?![/\\])[^\s\\]*$/, 'a path on this site, such as /chat')

export const SsoStartSchema = z
  .object({ returnTo: ReturnPathSchema.optional() })
  .meta({ id: 'SsoStart' })
export type SsoStart = z.infer<typeof SsoStartSchema>

/** Where the browser goes next: the provider's sign-in page. */
export const SsoStartedSchema = z.object({ url: z.url() }).meta({ id: 'SsoStarted' })
export type SsoStarted = z.infer<typeof SsoStartedSchema>

/**
 * Why a single sign-on came back refused (`/login?error=<code>`); the sign-in page explains these
 * and says something general for any other code.
 */
export const SSO_ERRORS = [
  'access_denied',
  'state_mismatch',
  'state_not_found',
  'state_invalid',
  'issuer_mismatch',
  'email_not_found',
  'email_not_verified',
  'account_not_linked',
  'account_disabled',
  'banned_user',
  'signup_disabled',
] as const
export type SsoError = (typeof SSO_ERRORS)[number]

export const ApiTokenCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Scope it to one MCP endpoint profile: it then works at `/mcp/p/<name>` only. */
    profileId: z.uuid().optional(),
  })
  .meta({ id: 'ApiTokenCreate' })
export type ApiTokenCreate = z.infer<typeof ApiTokenCreateSchema>

/** A token as listed: never the token itself, only its first characters to recognise it. */
export const ApiTokenViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    /** The MCP endpoint profile it is scoped to (usable there only), or null. */
    profileId: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' })
export type ApiTokenView = z.infer<typeof ApiTokenViewSchema>

/** The reply to creating a token: the only time the secret is shown. */
export const ApiTokenCreatedSchema = z
  .object({ token: ApiTokenViewSchema, secret: z.string() })
  .meta({ id: 'ApiTokenCreated' })
export type ApiTokenCreated = z.infer<typeof ApiTokenCreatedSchema>

export const ApiTokenListSchema = z
  .object({ tokens: z.array(ApiTokenViewSchema) })
  .meta({ id: 'ApiTokenList' })
export type ApiTokenList = z.infer<typeof ApiTokenListSchema>
