import { isAPIError } from 'better-auth/api'
import type { Register, UserRole } from '../../shared/auth.ts'
import { hashInvitationToken, invalidLink } from '../admin/invitations.ts'
import { assertMayRegister, registrationSettings } from '../admin/registration-policy.ts'
import { ANONYMOUS, type AuditDeps, recordAudit } from '../audit/audit-log.ts'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import type { UserRow } from '../db/schema.ts'
import { claimInvitation, findLiveInvitation, restoreInvitation } from '../db/user-invitations.ts'
import {
  findUserByEmail,
  findUserById,
  hasAnyUser,
  promoteIfNoAdmin,
  setUserRole,
} from '../db/users.ts'
import type { CurrentUser } from '../env.ts'
import { AppError, ConflictError, ValidationError } from '../errors.ts'
import type { Auth } from './auth.ts'
import type { LoginLimiter } from './login-limiter.ts'

export interface AccountDeps {
  db: Db
  auth: Auth
}

/** Signing in is rate-limited and audited. */
export interface SignInDeps extends AccountDeps, AuditDeps {
  loginLimiter: LoginLimiter
  config: Pick<Config, 'auth'>
}

export interface RegisterDeps extends SignInDeps {
  config: Pick<Config, 'registration' | 'auth'>
}

/**
 * Creates an email + password account. The first account becomes admin unless a role is given.
 * Used by the register route and by `switchboard user create`.
 */
export async function createAccount(
  deps: AccountDeps,
  input: Register & { role?: UserRole },
): Promise<UserRow> {
  const email = input.email.toLowerCase()
  // better-auth hides an existing email behind a fake success (enumeration protection) when
  // sign-up does not sign in; we answer 409 so the user knows to sign in instead.
  if (await findUserByEmail(deps.db, { email })) throw emailTaken()
  let userId: string
  try {
    const result = await deps.auth.api.signUpEmail({
      body: { email, password: input.password, name: input.name ?? email.split('@')[0] ?? email },
    })
    userId = result.user.id
  } catch (error) {
    throw translateAuthError(error)
  }
  if (input.role) await setUserRole(deps.db, { id: userId, role: input.role })
  else await promoteIfNoAdmin(deps.db, { id: userId })
  const user = await findUserById(deps.db, { id: userId })
  if (!user) throw new AppError('internal', 'account was created but cannot be read back')
  return user
}

export interface SignedIn {
  user: UserRow
  /** Set-Cookie headers to pass on to the browser. */
  headers: Headers
}

/**
 * Self-registration: creates the account and signs in. The registration policy decides who may
 * (admin/registration-policy.ts); an admin's invitation is used up here. The very first account
 * may always be created, so a fresh install is never locked out.
 */
export async function register(
  deps: RegisterDeps,
  input: Register & { headers: Headers; ip: string },
): Promise<SignedIn> {
  refuseIfPasswordLoginOff(deps)
  const invitation = (await hasAnyUser(deps.db)) ? await admitRegistration(deps, input) : undefined
  let user: UserRow
  try {
    user = await createAccount(deps, { ...input, role: invitation?.role })
  } catch (error) {
    if (invitation) await restoreInvitation(deps.db, invitation)
    throw error
  }
  await recordAudit(deps, {
    userId: user.id,
    actor: user.email,
    action: 'auth.register',
    target: { type: 'user', id: user.id },
    ip: input.ip,
    details: { role: user.role, ...(invitation ? { invitation: invitation.id } : {}) },
  })
  return signIn(deps, input)
}

/** Checks the policy; with an invitation, claims it (one use). Returns the claimed invitation. */
async function admitRegistration(deps: RegisterDeps, input: Register) {
  const { policy } = await registrationSettings(deps)
  if (input.invite === undefined) {
    assertMayRegister(policy, { email: input.email, invited: false })
    return undefined
  }
  assertMayRegister(policy, { email: input.email, invited: true })
  const tokenHash = hashInvitationToken(input.invite)
  const live = await findLiveInvitation(deps.db, { tokenHash, now: deps.now() })
  if (!live) throw invalidLink()
  if (live.email !== input.email.toLowerCase()) {
    throw new ValidationError([
      {
        field: 'email',
        message: `this invitation is for ${live.email}: register with that address`,
      },
    ])
  }
  const claimed = await claimInvitation(deps.db, { tokenHash, now: deps.now() })
  if (!claimed) throw invalidLink()
  return claimed
}

/**
 * Checks the password and opens a cookie session. Each attempt is counted against the
 * (account, ip) pair and the ip before the password is checked; past the limit the caller gets 429
 * and the password is never checked. A success gives the points back.
 */
export async function signIn(
  deps: SignInDeps,
  input: { email: string; password: string; headers: Headers; ip: string },
): Promise<SignedIn> {
  refuseIfPasswordLoginOff(deps)
  const key = { email: input.email, ip: input.ip }
  await deps.loginLimiter.take(key)
  try {
    const { headers, response } = await deps.auth.api.signInEmail({
      body: { email: input.email.toLowerCase(), password: input.password, rememberMe: true },
      headers: input.headers,
      returnHeaders: true,
    })
    const user = await findUserById(deps.db, { id: response.user.id })
    if (!user) throw new AppError('invalid_credentials', 'wrong email or password')
    await deps.loginLimiter.succeeded(key)
    await recordAudit(deps, {
      userId: user.id,
      actor: user.email,
      action: 'auth.sign_in',
      ip: input.ip,
    })
    return { user, headers }
  } catch (error) {
    const translated = translateAuthError(error)
    if (translated instanceof AppError && translated.code === 'account_disabled') {
      await recordAudit(deps, {
        userId: (await findUserByEmail(deps.db, { email: input.email }))?.id ?? null,
        actor: ANONYMOUS,
        action: 'auth.sign_in_failed',
        ip: input.ip,
        details: { email: input.email.toLowerCase(), reason: 'account_disabled' },
      })
    }
    if (translated instanceof AppError && translated.code === 'invalid_credentials') {
      deps.log.warn({ email: input.email, ip: input.ip }, 'failed sign-in')
      // Filed under the account when there is one, so its owner sees the attempt.
      const account = await findUserByEmail(deps.db, { email: input.email })
      await recordAudit(deps, {
        userId: account?.id ?? null,
        actor: ANONYMOUS,
        action: 'auth.sign_in_failed',
        ip: input.ip,
        details: { email: input.email.toLowerCase() },
      })
    }
    throw translated
  }
}

/** Ends the cookie session the request carries; returns the cookie-clearing headers. */
export async function signOut(
  deps: AccountDeps & AuditDeps,
  input: { headers: Headers; ip?: string },
): Promise<Headers> {
  // Who it was is only known before the session is gone.
  const session = await findSession(deps, input)
  let headers: Headers
  try {
    headers = (await deps.auth.api.signOut({ headers: input.headers, returnHeaders: true })).headers
  } catch (error) {
    throw translateAuthError(error)
  }
  const user = session?.user
  if (user) {
    await recordAudit(deps, {
      userId: user.id,
      actor: user.email,
      action: 'auth.sign_out',
      ip: input.ip,
    })
  }
  return headers
}

export interface SessionLookup {
  /** The signed-in user, as better-auth read it with the session (no second query). */
  user: Omit<CurrentUser, 'via'>
  /** Present when better-auth refreshed the session and the cookie must be re-sent. */
  headers: Headers
}

export async function findSession(
  deps: AccountDeps,
  input: { headers: Headers },
): Promise<SessionLookup | null> {
  const { headers, response } = await deps.auth.api.getSession({
    headers: input.headers,
    returnHeaders: true,
  })
  if (!response) return null
  const { user } = response
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role === 'admin' ? 'admin' : 'user',
      createdAt: user.createdAt,
    },
    headers,
  }
}

/** With `auth.oidc.allowPasswordLogin: false`, single sign-on is the only way in. */
function refuseIfPasswordLoginOff(deps: { config: Pick<Config, 'auth'> }): void {
  if (deps.config.auth.passwordLogin) return
  throw new AppError(
    'password_login_disabled',
    'sign-in with email and password is turned off here: use single sign-on',
  )
}

function emailTaken(): ConflictError {
  return new ConflictError('email_taken', 'an account with this email exists: sign in instead', {
    details: { fields: [{ field: 'email', message: 'already registered' }] },
  })
}

/** better-auth errors become ours; anything else is passed on untouched (and logged as a 500). */
export function translateAuthError(error: unknown): unknown {
  if (!isAPIError(error)) return error
  const code = (error.body as { code?: string } | undefined)?.code
  switch (code) {
    case 'INVALID_EMAIL_OR_PASSWORD':
    case 'INVALID_PASSWORD':
    case 'INVALID_EMAIL':
      return new AppError('invalid_credentials', 'wrong email or password', { cause: error })
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
      return emailTaken()
    case 'BANNED_USER':
      return new AppError('account_disabled', 'this account is disabled: ask an admin', {
        cause: error,
      })
    case 'INVALID_TOKEN':
      return invalidLink()
    case 'PASSWORD_TOO_SHORT':
    case 'PASSWORD_TOO_LONG':
      return new AppError('validation_failed', error.message, {
        details: { fields: [{ field: 'password', message: error.message }] },
        cause: error,
      })
    default:
      return new AppError('bad_request', error.message || 'request refused', { cause: error })
  }
}
