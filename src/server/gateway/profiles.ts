/**
 * Profiles of the personal MCP endpoint: a named subset of the user's servers and single tools,
 * served at `/mcp/p/<name>` (say "coding" or "read-only"), listing every tool or (tool mode
 * `search`) only `search_tools` and `call_tool`. A token scoped to a profile works there only
 * (routes/mcp-endpoint.ts) and is deleted with it.
 *
 * @module
 */

import type { McpProfile, ProfileToolNames, ToolMode } from '../../shared/mcp-profiles.ts'
import type { TokenCaches } from '../auth/token-cache.ts'
import { forgetCachedTokens } from '../auth/token-cache.ts'
import {
  checkServerIds,
  type SettingsDeps,
  serverIdsOf,
  visibleServerIds,
} from '../chat/conversation-settings.ts'
import {
  deleteProfileRow,
  insertProfile,
  listProfiles as listProfileRows,
  type McpProfileRow,
  type ProfileOffer,
  updateProfileRow,
} from '../db/mcp-profiles.ts'
import { findToolServersForUser } from '../db/mcp-tools.ts'
import { AppError, ConflictError, NotFoundError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import type { ToolAccessCache } from '../mcp/catalog/access-cache.ts'

export type ProfileDeps = SettingsDeps & {
  toolAccess: ToolAccessCache
  now: () => Date
  events: EventBus
} & TokenCaches & {
    config: SettingsDeps['config'] & { publicUrl: string }
  }

export async function listProfiles(deps: ProfileDeps, userId: string): Promise<McpProfile[]> {
  const rows = await listProfileRows(deps.db, { userId })
  const tools = await singleTools(deps, userId, rows)
  return rows.map((row) => toProfileView(deps, row, tools))
}

export async function createProfile(
  deps: ProfileDeps,
  input: {
    userId: string
    name: string
    serverIds: string[]
    toolIds?: string[] | undefined
    toolMode?: ToolMode | undefined
    toolNames?: ProfileToolNames | undefined
  },
): Promise<McpProfile> {
  const serverIds = await checkServerIds(deps, input.userId, input.serverIds)
  const toolIds = await checkToolIds(deps, input.userId, input.toolIds ?? [])
  const row = await insertProfile(deps.db, {
    userId: input.userId,
    name: input.name,
    serverIds,
    toolIds,
    toolMode: input.toolMode ?? 'all',
    toolNames: input.toolNames ?? 'prefixed',
  }).catch(nameTaken(input.name))
  return toProfileView(deps, row, await singleTools(deps, input.userId, [row]))
}

export async function updateProfile(
  deps: ProfileDeps,
  input: {
    userId: string
    id: string
    name?: string | undefined
    serverIds?: string[] | undefined
    toolIds?: string[] | undefined
    toolMode?: ToolMode | undefined
    toolNames?: ProfileToolNames | undefined
  },
): Promise<McpProfile> {
  const serverIds =
    input.serverIds === undefined
      ? undefined
      : await checkServerIds(deps, input.userId, input.serverIds)
  const toolIds =
    input.toolIds === undefined ? undefined : await checkToolIds(deps, input.userId, input.toolIds)
  const row = await updateProfileRow(deps.db, {
    userId: input.userId,
    id: input.id,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(serverIds !== undefined ? { serverIds } : {}),
    ...(toolIds !== undefined ? { toolIds } : {}),
    ...(input.toolMode !== undefined ? { toolMode: input.toolMode } : {}),
    ...(input.toolNames !== undefined ? { toolNames: input.toolNames } : {}),
    at: deps.now(),
  }).catch(nameTaken(input.name ?? 'that name'))
  if (!row) throw new NotFoundError('profile')
  // What the profile lists changed: its listening clients are told, as for a switched tool.
  if (serverIds !== undefined || toolIds !== undefined || input.toolMode !== undefined) {
    deps.toolAccess.invalidate(input.userId)
  }
  return toProfileView(deps, row, await singleTools(deps, input.userId, [row]))
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

/** What a stored profile offers, as the endpoint and the view read it. */
export function profileOfferOf(
  row: Pick<McpProfileRow, 'server_ids' | 'tool_ids' | 'tool_mode' | 'tool_names'>,
): ProfileOffer {
  return {
    serverIds: serverIdsOf(row.server_ids) ?? [],
    toolIds: serverIdsOf(row.tool_ids) ?? [],
    toolMode: row.tool_mode === 'search' ? 'search' : 'all',
    toolNames: row.tool_names === 'plain' ? 'plain' : 'prefixed',
  }
}

type SingleTool = McpProfile['tools'][number]

function toProfileView(
  deps: ProfileDeps,
  row: McpProfileRow,
  tools: ReadonlyMap<string, SingleTool>,
): McpProfile {
  const offer = profileOfferOf(row)
  return {
    id: row.id,
    name: row.name,
    ...offer,
    tools: offer.toolIds.flatMap((id) => tools.get(id) ?? []),
    url: profileUrl(deps.config.publicUrl, row.name),
    createdAt: row.created_at.toISOString(),
  }
}

/** The single tools of these profiles that still exist, by id, with their servers and names. */
async function singleTools(
  deps: ProfileDeps,
  userId: string,
  rows: readonly McpProfileRow[],
): Promise<Map<string, SingleTool>> {
  const ids = [...new Set(rows.flatMap((row) => profileOfferOf(row).toolIds))]
  const found = await findToolServersForUser(deps.db, { userId, ids })
  return new Map(
    found.map((tool) => [tool.id, { id: tool.id, serverId: tool.server_id, name: tool.name }]),
  )
}

/**
 * Single tools of the user's (own or shared, on a server they see), switched on or not: a tool
 * switched off later is simply not offered. Another user's or an unknown id is not found (404,
 * naming the field: it is no tool of theirs, and saying more would confirm it exists).
 */
async function checkToolIds(
  deps: ProfileDeps,
  userId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return []
  const [found, visible] = await Promise.all([
    findToolServersForUser(deps.db, { userId, ids }),
    visibleServerIds(deps, userId),
  ])
  const known = new Set(found.filter((tool) => visible.has(tool.server_id)).map((tool) => tool.id))
  const fields = ids.flatMap((id, index) =>
    known.has(id) ? [] : [{ field: `toolIds.${index}`, message: 'no such tool' }],
  )
  if (fields.length > 0) {
    throw new AppError('not_found', `tool not found: ${fields.map((f) => f.field).join(', ')}`, {
      details: { fields },
    })
  }
  return [...new Set(ids)]
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
