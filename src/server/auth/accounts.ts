import { isAPIError } from 'better-auth/api'
import type { Register, UserRole } from '../../shared/auth.ts'
import type { Db } from '../db/database.ts'
import type { UserRow } from '../db/schema.ts'
import {
  findUserByEmail,
  findUserById,
  hasAnyUser,
  promoteIfNoAdmin,
  setUserRole,
} from '../db/users.ts'
import type { Deps } from '../deps.ts'
import { AppError, ConflictError } from '../errors.ts'
import type { Auth } from './auth.ts'

export interface AccountDeps {
  db: Db
  auth: Auth
}

type SignInDeps = AccountDeps & Pick<Deps, 'loginLimiter' | 'log'>

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
 * Self-registration: creates the account and signs in. With registration closed, only the very
 * first account may still be created, so a fresh install is never locked out.
 */
export async function register(
  deps: SignInDeps & Pick<Deps, 'config'>,
  input: Register & { headers: Headers; ip: string },
): Promise<SignedIn> {
  if (!deps.config.registration && (await hasAnyUser(deps.db))) {
    throw new AppError('registration_closed', 'registration is closed: ask an admin for an account')
  }
  await createAccount(deps, input)
  return signIn(deps, input)
}

/**
 * Checks the password and opens a cookie session. Failed attempts count against the
 * (account, ip) pair and the ip; past the limit the caller gets 429 before the password is checked.
 */
export async function signIn(
  deps: SignInDeps,
  input: { email: string; password: string; headers: Headers; ip: string },
): Promise<SignedIn> {
  const key = { email: input.email, ip: input.ip }
  await deps.loginLimiter.check(key)
  try {
    const { headers, response } = await deps.auth.api.signInEmail({
      body: { email: input.email.toLowerCase(), password: input.password, rememberMe: true },
      headers: input.headers,
      returnHeaders: true,
    })
    const user = await findUserById(deps.db, { id: response.user.id })
    if (!user) throw new AppError('invalid_credentials', 'wrong email or password')
    await deps.loginLimiter.recordSuccess(key)
    return { user, headers }
  } catch (error) {
    const translated = translateAuthError(error)
    if (translated instanceof AppError && translated.code === 'invalid_credentials') {
      await deps.loginLimiter.recordFailure(key)
      deps.log.warn({ email: input.email, ip: input.ip }, 'failed sign-in')
    }
    throw translated
  }
}

/** Ends the cookie session the request carries; returns the cookie-clearing headers. */
export async function signOut(deps: AccountDeps, input: { headers: Headers }): Promise<Headers> {
  try {
    const { headers } = await deps.auth.api.signOut({
      headers: input.headers,
      returnHeaders: true,
    })
    return headers
  } catch (error) {
    throw translateAuthError(error)
  }
}

export interface SessionLookup {
  userId: string
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
  return { userId: response.user.id, headers }
}

function emailTaken(): ConflictError {
  return new ConflictError('email_taken', 'an account with this email exists: sign in instead', {
    details: { fields: [{ field: 'email', message: 'already registered' }] },
  })
}

/** better-auth errors become ours; anything else is passed on untouched (and logged as a 500). */
function translateAuthError(error: unknown): unknown {
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
