import { type Selectable, sql, type Updateable } from 'kysely'
import type { Db } from './database.ts'
import type { ChatPresetsTable } from './schema.ts'

export type ChatPresetRow = Selectable<ChatPresetsTable>

/** The values a preset holds besides its name, as stored. */
export interface PresetValues {
  model: string | null
  instructions: string | null
  serverIds: string[] | null
}

export async function listPresetsForUser(
  db: Db,
  input: { userId: string },
): Promise<ChatPresetRow[]> {
  return (
    db
      .selectFrom('chat_presets')
      .selectAll()
      .where('user_id', '=', input.userId)
      // Collations differ between PGlite and PostgreSQL installs: sort the way people read.
      .orderBy(sql`lower(name)`)
      .orderBy('name')
      .orderBy('id')
      .execute()
  )
}

/** The user's preset; someone else's is simply not found. */
export async function findPresetForUser(
  db: Db,
  input: { userId: string; id: string },
): Promise<ChatPresetRow | undefined> {
  return db
    .selectFrom('chat_presets')
    .selectAll()
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
}

export async function presetNameTaken(
  db: Db,
  input: { userId: string; name: string; exceptId?: string },
): Promise<boolean> {
  let query = db
    .selectFrom('chat_presets')
    .select('id')
    .where('user_id', '=', input.userId)
    .where('name', '=', input.name)
  if (input.exceptId) query = query.where('id', '!=', input.exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

export async function insertPreset(
  db: Db,
  input: { userId: string; name: string; values: PresetValues; at: Date },
): Promise<ChatPresetRow> {
  return db
    .insertInto('chat_presets')
    .values({
      user_id: input.userId,
      name: input.name,
      model: input.values.model,
      instructions: input.values.instructions,
      server_ids: jsonOrNull(input.values.serverIds),
      created_at: input.at,
      updated_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updatePreset(
  db: Db,
  input: {
    userId: string
    id: string
    name?: string
    values: Partial<PresetValues>
    at: Date
  },
): Promise<ChatPresetRow | undefined> {
  const { values } = input
  const set: Updateable<ChatPresetsTable> = {
    updated_at: input.at,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
    ...(values.instructions !== undefined ? { instructions: values.instructions } : {}),
    ...(values.serverIds !== undefined ? { server_ids: jsonOrNull(values.serverIds) } : {}),
  }
  return db
    .updateTable('chat_presets')
    .set(set)
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .returningAll()
    .executeTakeFirst()
}

export async function deletePreset(
  db: Db,
  input: { userId: string; id: string },
): Promise<boolean> {
  const result = await db
    .deleteFrom('chat_presets')
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** A list for a jsonb column (Kysely's json columns take text), null as SQL null. */
export function jsonOrNull(value: readonly string[] | null): string | null {
  return value === null ? null : JSON.stringify(value)
}
