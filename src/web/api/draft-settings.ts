import type { Conversation } from '../../shared/chat.ts'
import type { ConversationStart, Preset } from '../../shared/presets.ts'

// A conversation's model, instructions and servers (models area) while it is still a draft: the
// web app stores a conversation with its first message, so until then what the user picks is kept
// in the tab and sent with that message as `start` (the server applies it when it creates it).

export type DraftSettings = Partial<Pick<Conversation, 'model' | 'instructions' | 'serverIds'>>

interface DraftStart {
  presetId?: string
  /** What the draft shows: the preset's settings, then the user's changes. */
  shown: DraftSettings
  /** What the user changed in the draft (sent as is; the rest comes from the preset). */
  changed: DraftSettings
}

const KEY = 'switchboard.chatDraftSettings'
const KEPT = 20
const memory = new Map<string, DraftStart>()

function readAll(): Record<string, DraftStart> {
  try {
    const parsed: unknown = JSON.parse(window.sessionStorage.getItem(KEY) ?? '{}')
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, DraftStart>) : {}
  } catch {
    return {}
  }
}

function read(id: string): DraftStart | undefined {
  return memory.get(id) ?? readAll()[id]
}

function write(id: string, start: DraftStart): void {
  memory.set(id, start)
  try {
    const all = Object.entries({ ...readAll(), [id]: start }).slice(-KEPT)
    window.sessionStorage.setItem(KEY, JSON.stringify(Object.fromEntries(all)))
  } catch {
    // Storage refused: the settings still hold until the tab reloads.
  }
}

/** Remembers that a new draft starts from this preset (its settings shown until changed). */
export function startDraftWith(id: string, preset: Preset): void {
  write(id, {
    presetId: preset.id,
    shown: { model: preset.model, instructions: preset.instructions, serverIds: preset.serverIds },
    changed: {},
  })
}

/** What a draft shows besides an empty conversation: its preset's settings and the user's. */
export function draftSettingsView(id: string): DraftSettings {
  const start = read(id)
  return start ? { ...start.shown, ...start.changed } : {}
}

/**
 * The `start` of a chat request: the draft's preset and changed settings. The server reads it
 * only when the request creates the conversation, so it goes with every request of a draft.
 */
export function draftStartBody(id: string): { start?: ConversationStart } {
  const start = read(id)
  if (!start) return {}
  const { instructions, serverIds } = start.changed
  const body: ConversationStart = {
    ...(start.presetId ? { presetId: start.presetId } : {}),
    ...(instructions !== undefined ? { instructions } : {}),
    ...(serverIds !== undefined ? { serverIds } : {}),
  }
  return Object.keys(body).length > 0 ? { start: body } : {}
}

export function recordDraftChanges(id: string, changes: DraftSettings): void {
  const start = read(id) ?? { shown: {}, changed: {} }
  write(id, { ...start, changed: { ...start.changed, ...changes } })
}
