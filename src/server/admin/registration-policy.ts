import type { RegistrationPolicy, RegistrationSettings } from '../../shared/admin-users.ts'
import type { AuthOptions } from '../../shared/auth.ts'
import { type AuditDeps, recordAudit } from '../audit/audit-log.ts'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import { findRegistrationSettings, saveRegistrationSettings } from '../db/registration-settings.ts'
import { hasAnyUser } from '../db/users.ts'
import { AppError } from '../errors.ts'
import type { AdminActor } from './invitations.ts'

export type RegistrationDeps = { db: Db; config: Pick<Config, 'registration'> }

const DEFAULT_POLICY: RegistrationPolicy = { mode: 'open', domains: [] }

/**
 * The policy in force: the operator's (env, then switchboard.yaml) when set, else the admin's
 * choice from the database, else open.
 */
export async function registrationSettings(deps: RegistrationDeps): Promise<RegistrationSettings> {
  if (deps.config.registration) return deps.config.registration
  const stored = await findRegistrationSettings(deps.db)
  if (!stored) return { policy: DEFAULT_POLICY, source: 'default' }
  return { policy: { mode: stored.mode, domains: stored.domains }, source: 'admin' }
}

/** An admin's choice; refused (409 set_by_operator) while the operator's config fixes it. */
export async function changeRegistrationPolicy(
  deps: RegistrationDeps & AuditDeps,
  input: { policy: RegistrationPolicy; admin: AdminActor },
): Promise<RegistrationSettings> {
  const fixed = deps.config.registration
  if (fixed) {
    const where = fixed.source === 'env' ? 'SWITCHBOARD_REGISTRATION' : 'switchboard.yaml'
    throw new AppError(
      'set_by_operator',
      `the registration policy is set by the operator (${where}): change it there`,
      { details: { source: fixed.source } },
    )
  }
  const policy: RegistrationPolicy = {
    mode: input.policy.mode,
    domains: input.policy.mode === 'domains' ? [...new Set(input.policy.domains)] : [],
  }
  await saveRegistrationSettings(deps.db, { policy, updatedBy: input.admin.id, at: deps.now() })
  await recordAudit(deps, {
    userId: input.admin.id,
    actor: input.admin.email,
    action: 'admin.registration_changed',
    target: { type: 'registration', id: policy.mode },
    ip: input.admin.ip,
    details: { mode: policy.mode, domains: policy.domains },
  })
  return { policy, source: 'admin' }
}

/** What the sign-in and sign-up pages need: is the form offered (a fresh install: always). */
export async function signUpOptions(
  deps: RegistrationDeps,
): Promise<Pick<AuthOptions, 'registration' | 'hasUsers' | 'domains'>> {
  const [hasUsers, { policy }] = await Promise.all([
    hasAnyUser(deps.db),
    registrationSettings(deps),
  ])
  const open = policy.mode === 'open' || policy.mode === 'domains'
  return {
    registration: open || !hasUsers,
    hasUsers,
    domains: hasUsers && policy.mode === 'domains' ? policy.domains : [],
  }
}

/**
 * Throws when the policy refuses this sign-up. An invitation (already checked by the caller)
 * lets anyone in except when registration is closed.
 */
export function assertMayRegister(
  policy: RegistrationPolicy,
  input: { email: string; invited: boolean },
): void {
  if (policy.mode === 'closed') {
    throw new AppError('registration_closed', 'registration is closed: ask an admin for an account')
  }
  if (input.invited || policy.mode === 'open') return
  if (policy.mode === 'invite-only') {
    throw new AppError(
      'invite_required',
      'registration is by invitation only: ask an admin for a link',
    )
  }
  const domain = input.email.slice(input.email.lastIndexOf('@') + 1).toLowerCase()
  if (!policy.domains.includes(domain)) {
    throw new AppError(
      'email_domain_not_allowed',
      `only addresses at ${policy.domains.join(', ')} may register here`,
      {
        details: {
          domains: policy.domains,
          fields: [{ field: 'email', message: 'this email domain may not register here' }],
        },
      },
    )
  }
}
