import type { AdminUserView } from '../../shared/admin.ts'
import type { AdminLink, AdminUserCreate, PasswordReset } from '../../shared/admin-users.ts'
import type { UserRole } from '../../shared/auth.ts'
import { ANONYMOUS, type AuditDeps, recordAudit } from '../audit/audit-log.ts'
import { translateAuthError } from '../auth/accounts.ts'
import { type Auth, RESET_LINK_TTL_SECONDS } from '../auth/auth.ts'
import { captureResetToken } from '../auth/reset-tokens.ts'
import { forgetCachedTokens, type TokenCaches } from '../auth/token-cache.ts'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import type { UserRow } from '../db/schema.ts'
import {
  changeUserGuarded,
  deleteUserEverywhere,
  deleteUserSessions,
  findResetTokenUserId,
  type GuardedOutcome,
  isEnabledAdmin,
  listOwnServerIds,
  updateUserAdminFields,
} from '../db/user-admin.ts'
import { findUserByEmail, findUserById } from '../db/users.ts'
import { AppError, ConflictError, NotFoundError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import { type ServerStateDeps, serverChanged } from '../mcp/servers/state.ts'
import { findAdminUser } from './admin-stats.ts'
import type { AdminActor } from './invitations.ts'

/**
 * What an admin does to accounts (issue 16). Every change is audited; the last enabled admin can
 * be neither demoted, disabled nor deleted (409 last_admin), checked under a lock
 * (db/user-admin.ts). better-auth's admin plugin supplies the disabled ("banned") state and
 * refuses a disabled user a session by any sign-in method; creating accounts and reset links
 * go through better-auth's own API. Role, disable and delete are done here in one transaction
 * with the last-admin check, as the plugin does them (its endpoints also insist on the admin's
 * cookie session, and our admin API takes API tokens too).
 */
export type UserAdminDeps = AuditDeps &
  TokenCaches &
  ServerStateDeps & {
    auth: Auth
    events: EventBus
    config: Pick<Config, 'publicUrl'>
  }

/** An account with a password the admin chose and passes on. */
export async function createUserWithPassword(
  deps: UserAdminDeps,
  input: AdminUserCreate & { admin: AdminActor },
): Promise<AdminUserView> {
  if (await findUserByEmail(deps.db, { email: input.email })) {
    throw new ConflictError('email_taken', 'an account with this email exists already', {
      details: { fields: [{ field: 'email', message: 'already registered' }] },
    })
  }
  let id: string
  try {
    // No headers: a server-side call, which the plugin allows without an admin session.
    const created = await deps.auth.api.createUser({
      body: {
        email: input.email,
        password: input.password,
        name: input.name ?? input.email.split('@')[0] ?? input.email,
        role: input.role,
      },
    })
    id = created.user.id
  } catch (error) {
    throw translateAuthError(error)
  }
  const user = await mustFind(deps.db, id)
  await audit(deps, input.admin, 'admin.user_created', user, { role: user.role })
  return view(deps, user)
}

export async function changeUserRole(
  deps: UserAdminDeps,
  input: { id: string; role: UserRole; admin: AdminActor },
): Promise<AdminUserView> {
  const outcome = await changeUserGuarded(deps.db, {
    id: input.id,
    removesAdmin: (user) => isEnabledAdmin(user) && input.role !== 'admin',
    change: async (trx, user) => ({
      before: user.role,
      after: await updateUserAdminFields(trx, {
        id: user.id,
        at: deps.now(),
        set: { role: input.role },
      }),
    }),
  })
  const { before, after } = settled(outcome, 'demote')
  // A token verified moments ago may be cached with the old role.
  forgetCachedTokens(deps)
  if (before !== after.role) {
    await audit(deps, input.admin, 'admin.role_changed', after, { from: before, to: after.role })
  }
  return view(deps, after)
}

/**
 * Disables the account at once on every instance: its cookie sessions are deleted, and its API
 * tokens and MCP clients' access tokens are refused from the next request (the token caches of
 * every instance are dropped; auth checks `banned`). Its data stays.
 */
export async function disableUser(
  deps: UserAdminDeps,
  input: { id: string; reason?: string | undefined; admin: AdminActor },
): Promise<AdminUserView> {
  const outcome = await changeUserGuarded(deps.db, {
    id: input.id,
    removesAdmin: isEnabledAdmin,
    change: async (trx, user) => {
      // After the last-admin check, so the last admin hears that reason.
      if (user.id === input.admin.id) throw ownAccount('disable')
      const updated = await updateUserAdminFields(trx, {
        id: user.id,
        at: deps.now(),
        set: { banned: true, ban_reason: input.reason ?? null, ban_expires: null },
      })
      await deleteUserSessions(trx, { userId: user.id })
      return updated
    },
  })
  const user = settled(outcome, 'disable')
  forgetCachedTokens(deps)
  // Open event streams end, on whichever instance holds them.
  deps.events.publish(user.id, { type: 'account.ended' })
  await audit(deps, input.admin, 'admin.user_disabled', user, { reason: input.reason ?? null })
  return view(deps, user)
}

export async function enableUser(
  deps: UserAdminDeps,
  input: { id: string; admin: AdminActor },
): Promise<AdminUserView> {
  const outcome = await changeUserGuarded(deps.db, {
    id: input.id,
    removesAdmin: () => false,
    change: (trx, user) =>
      updateUserAdminFields(trx, {
        id: user.id,
        at: deps.now(),
        set: { banned: false, ban_reason: null, ban_expires: null },
      }),
  })
  const user = settled(outcome, 'enable')
  await audit(deps, input.admin, 'admin.user_enabled', user, {})
  return view(deps, user)
}

/**
 * Deletes the account and every row of it (db/user-admin.ts says how), then forgets it on every
 * instance: cached tokens, tool caches and open sessions to its servers. The audit entry of the
 * deletion is the admin's, naming the address, since the account's own entries are gone.
 */
export async function deleteUser(
  deps: UserAdminDeps,
  input: { id: string; admin: AdminActor },
): Promise<void> {
  const outcome = await changeUserGuarded(deps.db, {
    id: input.id,
    removesAdmin: isEnabledAdmin,
    change: async (trx, user) => {
      if (user.id === input.admin.id) throw ownAccount('delete')
      const serverIds = await listOwnServerIds(trx, { userId: user.id })
      await deleteUserEverywhere(trx, user)
      return { user, serverIds }
    },
  })
  const { user, serverIds } = settled(outcome, 'delete')
  forgetCachedTokens(deps)
  deps.events.publish(user.id, { type: 'account.ended' })
  for (const serverId of serverIds) {
    await serverChanged(deps, { userId: user.id, serverId, dropSessions: true })
  }
  await recordAudit(deps, {
    userId: input.admin.id,
    actor: input.admin.email,
    action: 'admin.user_deleted',
    target: { type: 'user', id: user.id },
    ip: input.admin.ip,
    details: { email: user.email, role: user.role, servers: serverIds.length },
  })
}

/**
 * A one-time link for the user to set a new password on a page of the web app, made by
 * better-auth's password reset (its token, expiry and single use) and shown to the admin to copy.
 */
export async function createResetLink(
  deps: UserAdminDeps,
  input: { id: string; admin: AdminActor },
): Promise<AdminLink> {
  const user = await findUserById(deps.db, input)
  if (!user) throw new NotFoundError('user')
  const token = await captureResetToken(() =>
    deps.auth.api.requestPasswordReset({ body: { email: user.email } }),
  )
  if (!token) throw new AppError('internal', 'no reset token was made')
  const expiresAt = new Date(deps.now().getTime() + RESET_LINK_TTL_SECONDS * 1000)
  await audit(deps, input.admin, 'admin.reset_link_created', user, {
    expiresAt: expiresAt.toISOString(),
  })
  const url = new URL(
    `reset-password?token=${encodeURIComponent(token)}`,
    `${deps.config.publicUrl}/`,
  )
  return { url: url.href, expiresAt: expiresAt.toISOString() }
}

/**
 * The user's new password from a reset link (better-auth checks the token, uses it up and signs
 * the user out everywhere). 400 link_invalid when the link was used or has expired.
 */
export async function resetPassword(
  deps: AuditDeps & { auth: Auth },
  input: PasswordReset & { ip?: string | undefined },
): Promise<void> {
  const userId = await findResetTokenUserId(deps.db, { token: input.token })
  try {
    await deps.auth.api.resetPassword({
      body: { newPassword: input.password, token: input.token },
    })
  } catch (error) {
    throw translateAuthError(error)
  }
  const user = userId ? await findUserById(deps.db, { id: userId }) : undefined
  await recordAudit(deps, {
    userId: user?.id ?? null,
    actor: user?.email ?? ANONYMOUS,
    action: 'auth.password_reset',
    target: user ? { type: 'user', id: user.id } : undefined,
    ip: input.ip,
  })
}

async function mustFind(db: Db, id: string): Promise<UserRow> {
  const user = await findUserById(db, { id })
  if (!user) throw new AppError('internal', 'account was created but cannot be read back')
  return user
}

async function view(deps: AuditDeps, user: UserRow): Promise<AdminUserView> {
  const found = await findAdminUser(deps, user)
  if (!found) throw new NotFoundError('user')
  return found
}

function settled<T>(outcome: GuardedOutcome<T>, action: string): T {
  if (outcome.ok) return outcome.user
  if (outcome.reason === 'not_found') throw new NotFoundError('user')
  throw new ConflictError(
    'last_admin',
    `cannot ${action} the last admin: make another account admin first`,
  )
}

function ownAccount(action: string): AppError {
  return new ConflictError(
    'own_account',
    `you cannot ${action} your own account: another admin can`,
  )
}

function audit(
  deps: AuditDeps,
  admin: AdminActor,
  action: Parameters<typeof recordAudit>[1]['action'],
  user: UserRow,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(deps, {
    userId: user.id,
    actor: admin.email,
    action,
    target: { type: 'user', id: user.id },
    ip: admin.ip,
    details: { email: user.email, ...details },
  })
}
