import type { RegistrationPolicy } from '../../shared/admin-users.ts'
import type { Db } from './database.ts'

/** The admin's stored registration policy, or undefined when nobody chose one. */
export async function findRegistrationSettings(
  db: Db,
): Promise<(RegistrationPolicy & { updatedAt: Date }) | undefined> {
  const row = await db
    .selectFrom('registration_settings')
    .select(['mode', 'domains', 'updated_at'])
    .executeTakeFirst()
  if (!row) return undefined
  return { mode: row.mode, domains: domainsOf(row.domains), updatedAt: row.updated_at }
}

export async function saveRegistrationSettings(
  db: Db,
  input: { policy: RegistrationPolicy; updatedBy: string; at: Date },
): Promise<void> {
  const values = {
    mode: input.policy.mode,
    domains: JSON.stringify(input.policy.mode === 'domains' ? input.policy.domains : []),
    updated_by: input.updatedBy,
    updated_at: input.at,
  }
  await db
    .insertInto('registration_settings')
    .values({ id: true, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute()
}

/** jsonb comes back parsed from pg and PGlite; tolerate a string too. */
function domainsOf(value: unknown): string[] {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value
  return Array.isArray(parsed) ? parsed.filter((item) => typeof item === 'string') : []
}
