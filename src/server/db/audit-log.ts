import { type Selectable, sql } from 'kysely'
import type { Db } from './database.ts'
import type { AuditLogTable, NewAuditEntry } from './schema.ts'

export type AuditLogRow = Selectable<AuditLogTable>

/**
 * Where a row sits in newest-first order. `at` is the column's own text at microsecond
 * precision: a JS Date keeps only milliseconds, and rows written in the same millisecond would
 * otherwise be skipped or repeated between pages.
 */
export interface AuditKey {
  at: string
  id: string
}

export async function insertAuditEntry(db: Db, values: NewAuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(values).execute()
}

/**
 * One page of entries, newest first (ties broken by id), strictly after `after`. Without
 * `userId` it reads every user's entries: only the admin service calls it that way.
 */
export async function listAuditEntries(
  db: Db,
  input: {
    userId?: string | undefined
    action?: string | undefined
    from?: Date | undefined
    to?: Date | undefined
    after?: AuditKey | undefined
    limit: number
  },
): Promise<(AuditLogRow & { key: AuditKey })[]> {
  const { userId, action, from, to, after } = input
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .select(
      sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_key'),
    )
    .$if(userId !== undefined, (q) => q.where('user_id', '=', userId as string))
    .$if(action !== undefined, (q) => q.where('action', '=', action as string))
    .$if(from !== undefined, (q) => q.where('at', '>=', from as Date))
    .$if(to !== undefined, (q) => q.where('at', '<', to as Date))
    .$if(after !== undefined, (q) =>
      q.where(({ eb, refTuple, tuple }) =>
        eb(
          refTuple('at', 'id'),
          '<',
          tuple(
            sql<Date>`cast(${after?.at} as timestamptz)`,
            sql<string>`cast(${after?.id} as uuid)`,
          ),
        ),
      ),
    )
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit)
    .execute()
  return rows.map(({ at_key, ...row }) => ({ ...row, key: { at: at_key, id: row.id } }))
}
