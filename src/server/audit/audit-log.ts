import { z } from 'zod'
import type { AdminAuditListQuery, AuditAction, AuditListQuery } from '../../shared/audit.ts'
import { reasonOf } from '../../shared/error-reasons.ts'
import {
  type AuditKey,
  type AuditLogRow,
  insertAuditEntry,
  listAuditEntries,
} from '../db/audit-log.ts'
import type { Db } from '../db/database.ts'
import { ValidationError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { maskSecrets } from './mask-secrets.ts'

/** The actor recorded when nobody is signed in (a failed sign-in). */
export const ANONYMOUS = 'anonymous'
/** The actor recorded for what the operator does outside the API (the CLI). */
export const SYSTEM = 'system'

export interface AuditEntry {
  /** The account the event concerns (null: unknown, e.g. a failed sign-in for no account). */
  userId: string | null
  /** Who did it, as people read it: an email, `system`, `anonymous`. */
  actor: string
  action: AuditAction
  target?: { type: string; id: string }
  ip?: string | null | undefined
  /** Anything useful for a reader; values of secret-looking keys are masked before storing. */
  details?: Record<string, unknown>
}

/** Who asked for a change, as services take it from the route (both optional: the CLI has neither). */
export interface AuditSource {
  actor?: string | undefined
  ip?: string | undefined
}

export type AuditDeps = { db: Db; log: Logger; now: () => Date }

/**
 * Records one security-relevant event. Never throws: the action it describes already happened,
 * so a failed audit write is logged (at error) rather than failing the request.
 */
export async function recordAudit(deps: AuditDeps, entry: AuditEntry): Promise<void> {
  try {
    await insertAuditEntry(deps.db, {
      user_id: entry.userId,
      actor: entry.actor,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      ip: entry.ip ?? null,
      details: JSON.stringify(maskSecrets(entry.details ?? {})),
      at: deps.now(),
    })
  } catch (err) {
    deps.log.error({ err, action: entry.action }, 'audit write failed')
  }
}

export interface AuditPage {
  rows: AuditLogRow[]
  nextCursor: string | null
}

/** The caller's own entries (including failed sign-ins to their account), newest first. */
export function listOwnAudit(
  deps: { db: Db },
  input: { userId: string; query: AuditListQuery },
): Promise<AuditPage> {
  return listPage(deps, { ...input.query, userId: input.userId })
}

/** Every entry, or one user's: for admins only (the route checks the role). */
export function listAllAudit(
  deps: { db: Db },
  input: { query: AdminAuditListQuery },
): Promise<AuditPage> {
  return listPage(deps, input.query)
}

async function listPage(
  deps: { db: Db },
  query: AuditListQuery & { userId?: string | undefined },
): Promise<AuditPage> {
  // One extra row says whether another page follows, without a count.
  const rows = await listAuditEntries(deps.db, {
    userId: query.userId,
    action: query.action,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    limit: query.limit + 1,
  })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    rows: page.map(({ key: _key, ...row }) => row),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.key) : null,
  }
}

const CursorSchema = z.tuple([z.iso.datetime(), z.uuid()])

function encodeCursor(key: AuditKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id])).toString('base64url')
}

function decodeCursor(cursor: string): AuditKey {
  let parsed: unknown = null
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    // reported below
  }
  const key = CursorSchema.safeParse(parsed)
  if (!key.success) {
    throw new ValidationError([
      {
        field: 'cursor',
        message: 'not a cursor from this list: start from the first page',
        reason: reasonOf('request.badCursor', {}),
      },
    ])
  }
  const [at, id] = key.data
  return { at, id }
}
