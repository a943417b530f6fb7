/**
 * Profiles of the personal MCP endpoint: a named subset of the user's servers, served at
 * `/mcp/p/<name>` (say "coding" or "read-only"). A token scoped to a profile works there only
 * (routes/mcp-endpoint.ts) and is deleted with it.
 *
 * @module
 */

import type { McpProfile, ProfileToolNames } from '../../../shared/mcp-profiles.ts'
import type { TokenCache } from '../../auth/token-cache.ts'
import { forgetCachedTokens } from '../../auth/token-cache.ts'
import { checkServerIds, type SettingsDeps, serverIdsOf } from '../../chat/conversation-settings.ts'
import {
  deleteProfileRow,
  insertProfile,
  listProfiles as listProfileRows,
  type McpProfileRow,
  updateProfileRow,
} from '../../db/mcp-profiles.ts'
import { ConflictError, NotFoundError } from '../../errors.ts'
import type { EventBus } from '../../events/event-bus.ts'

export type ProfileDeps = SettingsDeps & {
  now: () => Date
  tokenCache: TokenCache
  events: EventBus
  config: SettingsDeps['config'] & { publicUrl: string }
}

export async function listProfiles(deps: ProfileDeps, userId: string): Promise<McpProfile[]> {
  return (await listProfileRows(deps.db, { userId })).map((row) => toProfileView(deps, row))
}

export async function createProfile(
  deps: ProfileDeps,
  input: { userId: string; name: string; serverIds: string[]; toolNames: ProfileToolNames },
): Promise<McpProfile> {
  const serverIds = await checkServerIds(deps, input.userId, input.serverIds)
  const row = await insertProfile(deps.db, { ...input, serverIds }).catch(nameTaken(input.name))
  return toProfileView(deps, row)
}

export async function updateProfile(
  deps: ProfileDeps,
  input: {
    userId: string
    id: string
    name?: string | undefined
    serverIds?: string[] | undefined
    toolNames?: ProfileToolNames | undefined
  },
): Promise<McpProfile> {
  const serverIds =
    input.serverIds === undefined
      ? undefined
      : await checkServerIds(deps, input.userId, input.serverIds)
  const row = await updateProfileRow(deps.db, {
    userId: input.userId,
    id: input.id,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(serverIds !== undefined ? { serverIds } : {}),
    ...(input.toolNames !== undefined ? { toolNames: input.toolNames } : {}),
    at: deps.now(),
  }).catch(nameTaken(input.name ?? 'that name'))
  if (!row) throw new NotFoundError('profile')
  return toProfileView(deps, row)
}

/** Deletes it with its tokens, which stop working at once on every instance. */
export async function deleteProfile(
  deps: ProfileDeps,
  input: { userId: string; id: string },
): Promise<void> {
  if (!(await deleteProfileRow(deps.db, input))) throw new NotFoundError('profile')
  forgetCachedTokens(deps)
}

export function profileUrl(publicUrl: string, name: string): string {
  return new URL(`mcp/p/${encodeURIComponent(name)}`, `${publicUrl.replace(/\/$/, '')}/`).href
}

function toProfileView(deps: ProfileDeps, row: McpProfileRow): McpProfile {
  return {
    id: row.id,
    name: row.name,
    serverIds: serverIdsOf(row.server_ids) ?? [],
    toolNames: row.tool_names,
    url: profileUrl(deps.config.publicUrl, row.name),
    createdAt: row.created_at.toISOString(),
  }
}

/** Two profiles with one name: the unique index decides, the loser gets 409 naming the field. */
function nameTaken(name: string) {
  return (error: unknown): never => {
    if ((error as { code?: string }).code === '23505') {
      throw new ConflictError('name_taken', `you already have a profile named "${name}"`, {
        details: { fields: [{ field: 'name', message: 'already in use' }] },
      })
    }
    throw error
  }
}
