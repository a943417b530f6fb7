import type { FieldIssue } from '../../shared/errors.ts'
import type { Config } from '../config/config.ts'
import { type ConversationRow, updateConversation } from '../db/conversations.ts'
import type { Db } from '../db/database.ts'
import { listServersForUser } from '../db/mcp-servers.ts'
import { ValidationError } from '../errors.ts'
import { visibleServers } from '../mcp/servers/shared.ts'

// A conversation's own settings besides its model (issue 11, item 4): the user's instructions,
// sent after the operator's system prompt, and the servers whose tools it offers. Presets hold
// the same two, checked the same way.

export type SettingsDeps = { db: Db; config: Pick<Config, 'mcpServers'> }

/** What a create or update may change; undefined leaves a setting as it is. */
export interface SettingsChanges {
  instructions?: string | null | undefined
  serverIds?: readonly string[] | null | undefined
}

/** The settings as they are stored (blank instructions are none; server ids checked, once each). */
export interface CheckedSettings {
  instructions?: string | null
  serverIds?: string[] | null
}

/**
 * Checks the changes for this user: every server id must be a server they see (their own or a
 * shared one), or the request fails with 400 naming it. Blank instructions become null.
 */
export async function checkSettings(
  deps: SettingsDeps,
  input: { userId: string; changes: SettingsChanges },
): Promise<CheckedSettings> {
  const { instructions, serverIds } = input.changes
  const checked: CheckedSettings = {}
  if (instructions !== undefined) checked.instructions = instructions?.trim() ? instructions : null
  if (serverIds !== undefined) {
    checked.serverIds =
      serverIds === null ? null : await checkServerIds(deps, input.userId, serverIds)
  }
  return checked
}

/** The ids of the servers the user sees: their own and the shared ones not shadowed. */
export async function visibleServerIds(deps: SettingsDeps, userId: string): Promise<Set<string>> {
  const rows = await listServersForUser(deps.db, { userId })
  return new Set(visibleServers(deps.config, rows).map((server) => server.id))
}

export async function checkServerIds(
  deps: SettingsDeps,
  userId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return []
  const visible = await visibleServerIds(deps, userId)
  const issues: FieldIssue[] = []
  ids.forEach((id, index) => {
    if (!visible.has(id)) issues.push({ field: `serverIds.${index}`, message: 'no such server' })
  })
  if (issues.length > 0) throw new ValidationError(issues)
  return [...new Set(ids)]
}

/** The column values of checked settings (server ids as json text, as the column takes them). */
export function toSettingsColumns(settings: CheckedSettings): {
  instructions?: string | null
  server_ids?: string | null
} {
  return {
    ...(settings.instructions !== undefined ? { instructions: settings.instructions } : {}),
    ...(settings.serverIds !== undefined
      ? { server_ids: settings.serverIds === null ? null : JSON.stringify(settings.serverIds) }
      : {}),
  }
}

/** Stores settings on a conversation just created (nothing to store: the row as it is). */
export async function storeSettings(
  deps: { db: Db },
  input: { userId: string; row: ConversationRow; columns: ReturnType<typeof toSettingsColumns> },
): Promise<ConversationRow> {
  if (Object.keys(input.columns).length === 0) return input.row
  const updated = await updateConversation(deps.db, {
    userId: input.userId,
    id: input.row.id,
    values: input.columns,
  })
  return updated ?? input.row
}

/** A stored server id list (json), as a list of ids or null. */
export function serverIdsOf(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null
  return value.filter((id): id is string => typeof id === 'string')
}

/** The settings of a conversation, for its view. */
export function toSettingsView(row: Pick<ConversationRow, 'instructions' | 'server_ids'>): {
  instructions: string | null
  serverIds: string[] | null
} {
  return { instructions: row.instructions ?? null, serverIds: serverIdsOf(row.server_ids) }
}

/**
 * The instructions as the model reads them: after the operator's system prompt (which keeps
 * its say over tool results), marked as the user's own.
 */
export function withInstructions(system: string, instructions: string | null | undefined): string {
  const text = instructions?.trim()
  if (!text) return system
  return `${system}\n\nThe user's instructions for this conversation:\n${text}`
}
