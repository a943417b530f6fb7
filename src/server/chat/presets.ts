import type { ConversationCreate } from '../../shared/chat.ts'
import type { Preset, PresetCreate, PresetUpdate } from '../../shared/presets.ts'
import type { Config } from '../config/config.ts'
import {
  type ChatPresetRow,
  deletePreset as deletePresetRow,
  findPresetForUser,
  insertPreset,
  listPresetsForUser,
  type PresetValues,
  presetNameTaken,
  updatePreset as updatePresetRow,
} from '../db/chat-presets.ts'
import type { Db } from '../db/database.ts'
import { ConflictError, NotFoundError } from '../errors.ts'
import {
  checkSettings,
  serverIdsOf,
  toSettingsColumns,
  visibleServerIds,
} from './conversation-settings.ts'
import type { ModelDirectory } from './model-directory.ts'
import { resolveModelId } from './providers.ts'

// Presets: a model, instructions and the servers that are on, saved under a name, to start
// conversations from. A preset's model is checked when it is saved; when the conversation
// starts it is checked again (the operator may have taken it off offer since).

/** A preset's model must be on offer, its servers visible to the user. */
export interface PresetDeps {
  db: Db
  config: Pick<Config, 'chat' | 'mcpServers'>
  now: () => Date
  modelDirectory: ModelDirectory
}

export function toPresetView(row: ChatPresetRow): Preset {
  return {
    id: row.id,
    name: row.name,
    model: row.model,
    instructions: row.instructions,
    serverIds: serverIdsOf(row.server_ids),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export async function listPresets(
  deps: Pick<PresetDeps, 'db'>,
  input: { userId: string },
): Promise<Preset[]> {
  return (await listPresetsForUser(deps.db, input)).map(toPresetView)
}

/** The user's preset, or `not_found` (also for someone else's). */
export async function getPreset(
  deps: Pick<PresetDeps, 'db'>,
  input: { userId: string; id: string },
): Promise<ChatPresetRow> {
  const row = await findPresetForUser(deps.db, input)
  if (!row) throw new NotFoundError('preset')
  return row
}

export async function createPreset(
  deps: PresetDeps,
  input: { userId: string; preset: PresetCreate },
): Promise<ChatPresetRow> {
  const { name, model, instructions, serverIds } = input.preset
  const values = await checkValues(deps, input.userId, { model, instructions, serverIds })
  if (await presetNameTaken(deps.db, { userId: input.userId, name })) throw nameTaken(name)
  return insertPreset(deps.db, {
    userId: input.userId,
    name,
    values: { model: null, instructions: null, serverIds: null, ...values },
    at: deps.now(),
  }).catch(translateUniqueViolation)
}

export async function updatePreset(
  deps: PresetDeps,
  input: { userId: string; id: string; changes: PresetUpdate },
): Promise<ChatPresetRow> {
  const { name, model, instructions, serverIds } = input.changes
  await getPreset(deps, input)
  const values = await checkValues(deps, input.userId, { model, instructions, serverIds })
  if (
    name !== undefined &&
    (await presetNameTaken(deps.db, { ...input, name, exceptId: input.id }))
  ) {
    throw nameTaken(name)
  }
  const row = await updatePresetRow(deps.db, {
    userId: input.userId,
    id: input.id,
    ...(name !== undefined ? { name } : {}),
    values,
    at: deps.now(),
  }).catch(translateUniqueViolation)
  if (!row) throw new NotFoundError('preset')
  return row
}

export async function deletePreset(
  deps: Pick<PresetDeps, 'db'>,
  input: { userId: string; id: string },
): Promise<void> {
  if (!(await deletePresetRow(deps.db, input))) throw new NotFoundError('preset')
}

/**
 * What a new conversation starts with: the preset's model, instructions and servers when one is
 * named (`not_found` if it is not the user's), each overridden by a value given. Given values are
 * checked (400 naming the field); a preset's servers deleted since it was saved are left out.
 */
export async function newConversationSettings(
  deps: Pick<PresetDeps, 'db' | 'config' | 'modelDirectory'>,
  input: {
    userId: string
    create: Pick<ConversationCreate, 'model' | 'instructions' | 'serverIds' | 'presetId'>
  },
): Promise<{ model: string | null; columns: ReturnType<typeof toSettingsColumns> }> {
  const { create, userId } = input
  const preset = create.presetId ? await getPreset(deps, { userId, id: create.presetId }) : null
  const requested = create.model ?? preset?.model ?? null
  const model = requested === null ? null : await resolveModelId(deps, requested)
  const checked = await checkSettings(deps, {
    userId,
    changes: { instructions: create.instructions, serverIds: create.serverIds },
  })
  if (preset && checked.instructions === undefined) checked.instructions = preset.instructions
  const presetServers = serverIdsOf(preset?.server_ids)
  if (presetServers && checked.serverIds === undefined) {
    const visible = await visibleServerIds(deps, userId)
    checked.serverIds = presetServers.filter((id) => visible.has(id))
  }
  return { model, columns: toSettingsColumns(checked) }
}

async function checkValues(
  deps: Pick<PresetDeps, 'db' | 'config' | 'modelDirectory'>,
  userId: string,
  input: Pick<PresetCreate, 'model' | 'instructions' | 'serverIds'>,
): Promise<Partial<PresetValues>> {
  const settings = await checkSettings(deps, {
    userId,
    changes: { instructions: input.instructions, serverIds: input.serverIds },
  })
  const values: Partial<PresetValues> = { ...settings }
  if (input.model !== undefined) {
    values.model = input.model === null ? null : await resolveModelId(deps, input.model)
  }
  return values
}

function nameTaken(name: string): ConflictError {
  return new ConflictError('name_taken', `you already have a preset named "${name}"`, {
    details: { fields: [{ field: 'name', message: 'already in use' }] },
  })
}

/** Two concurrent saves with one name: the unique index decides, the loser gets 409. */
function translateUniqueViolation(error: unknown): never {
  if ((error as { code?: string }).code === '23505') throw nameTaken('that name')
  throw error
}
