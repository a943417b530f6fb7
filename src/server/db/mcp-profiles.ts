import type { Selectable } from 'kysely'
import type { ProfileToolNames } from '../../shared/mcp-profiles.ts'
import type { Db } from './database.ts'
import type { McpProfilesTable } from './schema.ts'

export type McpProfileRow = Selectable<McpProfilesTable>

export async function listProfiles(db: Db, input: { userId: string }): Promise<McpProfileRow[]> {
  return db
    .selectFrom('mcp_profiles')
    .selectAll()
    .where('user_id', '=', input.userId)
    .orderBy('name')
    .execute()
}

/** The user's profile by id or by name; someone else's is simply not found. */
export async function findProfile(
  db: Db,
  input: { userId: string } & ({ id: string } | { name: string }),
): Promise<McpProfileRow | undefined> {
  let select = db.selectFrom('mcp_profiles').selectAll().where('user_id', '=', input.userId)
  select = 'id' in input ? select.where('id', '=', input.id) : select.where('name', '=', input.name)
  return select.executeTakeFirst()
}

/** What a profile offers: whole servers, single tools, and how they are listed. */
export interface ProfileOffer {
  serverIds: string[]
  toolIds: string[]
  toolMode: 'all' | 'search'
  toolNames: ProfileToolNames
}

export async function insertProfile(
  db: Db,
  input: { userId: string; name: string } & ProfileOffer,
): Promise<McpProfileRow> {
  return db
    .insertInto('mcp_profiles')
    .values({
      user_id: input.userId,
      name: input.name,
      server_ids: JSON.stringify(input.serverIds),
      tool_ids: JSON.stringify(input.toolIds),
      tool_mode: input.toolMode,
      tool_names: input.toolNames,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateProfileRow(
  db: Db,
  input: { userId: string; id: string; name?: string; at: Date } & Partial<ProfileOffer>,
): Promise<McpProfileRow | undefined> {
  return db
    .updateTable('mcp_profiles')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.serverIds !== undefined ? { server_ids: JSON.stringify(input.serverIds) } : {}),
      ...(input.toolIds !== undefined ? { tool_ids: JSON.stringify(input.toolIds) } : {}),
      ...(input.toolMode !== undefined ? { tool_mode: input.toolMode } : {}),
      ...(input.toolNames !== undefined ? { tool_names: input.toolNames } : {}),
      updated_at: input.at,
    })
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .returningAll()
    .executeTakeFirst()
}

/** Deletes the profile and (by the foreign key) the tokens scoped to it. */
export async function deleteProfileRow(
  db: Db,
  input: { userId: string; id: string },
): Promise<boolean> {
  const deleted = await db
    .deleteFrom('mcp_profiles')
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
  return deleted.numDeletedRows > 0n
}
