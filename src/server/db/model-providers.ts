import type { Db } from './database.ts'
import type { ModelProviderKind, ModelProviderRow } from './schema.ts'

// Model providers set in the admin UI, the installation's model settings, and each user's own
// model settings (their OpenRouter key, their daily message limit). Keys are envelopes here.

export type ProviderModelRow = { id: string; label: string | null }

export async function listProviderRows(db: Db): Promise<ModelProviderRow[]> {
  return db.selectFrom('model_providers').selectAll().orderBy('created_at').orderBy('id').execute()
}

export async function findProviderRow(db: Db, id: string): Promise<ModelProviderRow | undefined> {
  return db.selectFrom('model_providers').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findProviderRowByName(
  db: Db,
  name: string,
): Promise<ModelProviderRow | undefined> {
  return db.selectFrom('model_providers').selectAll().where('name', '=', name).executeTakeFirst()
}

export async function insertProviderRow(
  db: Db,
  input: {
    kind: ModelProviderKind
    name: string
    baseUrl: string | null
    apiKey: string | null
    models: ProviderModelRow[]
    at: Date
  },
): Promise<ModelProviderRow> {
  return db
    .insertInto('model_providers')
    .values({
      kind: input.kind,
      name: input.name,
      base_url: input.baseUrl,
      api_key: input.apiKey,
      models: JSON.stringify(input.models),
      created_at: input.at,
      updated_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateProviderRow(
  db: Db,
  input: {
    id: string
    name?: string
    baseUrl?: string | null
    /** An envelope, null to clear, undefined to keep. */
    apiKey?: string | null
    models?: ProviderModelRow[]
    at: Date
  },
): Promise<ModelProviderRow | undefined> {
  return db
    .updateTable('model_providers')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.baseUrl !== undefined ? { base_url: input.baseUrl } : {}),
      ...(input.apiKey !== undefined ? { api_key: input.apiKey } : {}),
      ...(input.models !== undefined ? { models: JSON.stringify(input.models) } : {}),
      updated_at: input.at,
    })
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteProviderRow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('model_providers').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export interface ModelSettingsRecord {
  defaultModel: string | null
  userKeysAllowed: boolean
}

export async function readModelSettings(db: Db): Promise<ModelSettingsRecord> {
  const row = await db
    .selectFrom('model_settings')
    .select(['default_model', 'user_keys_allowed'])
    .where('id', '=', 1)
    .executeTakeFirst()
  return {
    defaultModel: row?.default_model ?? null,
    userKeysAllowed: row?.user_keys_allowed ?? false,
  }
}

export async function writeModelSettings(
  db: Db,
  input: Partial<ModelSettingsRecord> & { at: Date },
): Promise<void> {
  const set = {
    ...(input.defaultModel !== undefined ? { default_model: input.defaultModel } : {}),
    ...(input.userKeysAllowed !== undefined ? { user_keys_allowed: input.userKeysAllowed } : {}),
    updated_at: input.at,
  }
  await db
    .insertInto('model_settings')
    .values({ id: 1, user_keys_allowed: false, ...set })
    .onConflict((oc) => oc.column('id').doUpdateSet(set))
    .execute()
}

export interface UserModelSettingsRecord {
  openrouterKey: string | null
  dailyMessageLimit: number | null
}

export async function readUserModelSettings(
  db: Db,
  userId: string,
): Promise<UserModelSettingsRecord> {
  const row = await db
    .selectFrom('user_model_settings')
    .select(['openrouter_key', 'daily_message_limit'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return {
    openrouterKey: row?.openrouter_key ?? null,
    dailyMessageLimit: row?.daily_message_limit ?? null,
  }
}

export async function writeUserModelSettings(
  db: Db,
  input: { userId: string; at: Date } & Partial<UserModelSettingsRecord>,
): Promise<void> {
  const set = {
    ...(input.openrouterKey !== undefined ? { openrouter_key: input.openrouterKey } : {}),
    ...(input.dailyMessageLimit !== undefined
      ? { daily_message_limit: input.dailyMessageLimit }
      : {}),
    updated_at: input.at,
  }
  await db
    .insertInto('user_model_settings')
    .values({ user_id: input.userId, ...set })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(set))
    .execute()
}

/** Every user's daily message limit that is set. */
export async function listMessageLimits(
  db: Db,
): Promise<{ user_id: string; daily_message_limit: number }[]> {
  const rows = await db
    .selectFrom('user_model_settings')
    .select(['user_id', 'daily_message_limit'])
    .where('daily_message_limit', 'is not', null)
    .execute()
  return rows as { user_id: string; daily_message_limit: number }[]
}
