import { createHash, randomBytes } from 'node:crypto'
import {
  type AdminLink,
  INVITATION_TTL_DAYS,
  type InvitationCreate,
  type InvitationInfo,
  type InvitationView,
} from '../../shared/admin-users.ts'
import { type AuditDeps, recordAudit } from '../audit/audit-log.ts'
import type { Config } from '../config/config.ts'
import {
  deleteInvitation,
  findInvitationById,
  findLiveInvitation,
  type InvitationRow,
  insertInvitation,
  listPendingInvitations,
} from '../db/user-invitations.ts'
import { findUserByEmail } from '../db/users.ts'
import { AppError, ConflictError, NotFoundError } from '../errors.ts'
import { type RegistrationDeps, registrationSettings } from './registration-policy.ts'

const TOKEN_PREFIX = 'sbi_'
const DAY_MS = 24 * 60 * 60 * 1000

export type InvitationDeps = AuditDeps & RegistrationDeps & { config: Pick<Config, 'publicUrl'> }

export interface AdminActor {
  id: string
  email: string
  ip?: string | undefined
}

// 256 random bits: a fast hash is enough, as for API tokens.
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * A one-time link to register with this email, for the admin to pass on (no mail is sent). Only
 * its hash is kept, so the link is shown here once.
 */
export async function createInvitation(
  deps: InvitationDeps,
  input: InvitationCreate & { admin: AdminActor },
): Promise<{ invitation: InvitationView; link: AdminLink }> {
  const { policy } = await registrationSettings(deps)
  if (policy.mode === 'closed') {
    throw new AppError(
      'invites_closed',
      'registration is closed, so an invitation could not be used: create the account instead, or change the policy',
    )
  }
  if (await findUserByEmail(deps.db, { email: input.email })) {
    throw new ConflictError('email_taken', 'an account with this email exists already', {
      details: { fields: [{ field: 'email', message: 'already registered' }] },
    })
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const expiresAt = new Date(deps.now().getTime() + INVITATION_TTL_DAYS * DAY_MS)
  const id = await insertInvitation(deps.db, {
    email: input.email,
    role: input.role,
    tokenHash: hashInvitationToken(token),
    createdBy: input.admin.id,
    expiresAt,
  })
  const row = await findInvitationById(deps.db, { id })
  if (!row) throw new AppError('internal', 'invitation was created but cannot be read back')
  await recordAudit(deps, {
    userId: input.admin.id,
    actor: input.admin.email,
    action: 'admin.user_invited',
    target: { type: 'invitation', id },
    ip: input.admin.ip,
    details: { email: input.email, role: input.role, expiresAt: expiresAt.toISOString() },
  })
  const url = new URL(`register?invite=${encodeURIComponent(token)}`, `${deps.config.publicUrl}/`)
  return {
    invitation: toInvitationView(row),
    link: { url: url.href, expiresAt: expiresAt.toISOString() },
  }
}

export async function listInvitations(deps: AuditDeps): Promise<InvitationView[]> {
  return (await listPendingInvitations(deps.db, { now: deps.now() })).map(toInvitationView)
}

export async function revokeInvitation(
  deps: AuditDeps,
  input: { id: string; admin: AdminActor },
): Promise<void> {
  const row = await findInvitationById(deps.db, input)
  if (!row || !(await deleteInvitation(deps.db, input))) throw new NotFoundError('invitation')
  await recordAudit(deps, {
    userId: input.admin.id,
    actor: input.admin.email,
    action: 'admin.invitation_revoked',
    target: { type: 'invitation', id: row.id },
    ip: input.admin.ip,
    details: { email: row.email },
  })
}

/** What the registration page shows for a link; 400 link_invalid when used, revoked or expired. */
export async function describeInvitation(
  deps: AuditDeps,
  input: { token: string },
): Promise<InvitationInfo> {
  const row = await findLiveInvitation(deps.db, {
    tokenHash: hashInvitationToken(input.token),
    now: deps.now(),
  })
  if (!row) throw invalidLink()
  return { email: row.email, expiresAt: row.expires_at.toISOString() }
}

export function invalidLink(): AppError {
  return new AppError(
    'link_invalid',
    'this link was used already, was withdrawn or has expired: ask an admin for a new one',
  )
}

function toInvitationView(row: InvitationRow): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdBy: row.created_by_email,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  }
}
