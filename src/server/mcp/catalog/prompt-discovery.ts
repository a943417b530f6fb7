/**
 * Prompt discovery: walks every `prompts/list` page of a connected server and keeps what is safe
 * to show and store: text cleaned of control and invisible characters, lengths capped, prompts
 * without a usable name or with malformed arguments skipped with a reason, at most `maxPrompts`.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { McpPromptArgument } from '../../db/schema.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import type { McpConnection } from '../client/connect.ts'
import { listPages } from './list-pages.ts'

export interface PromptLimits {
  /** Prompts kept per server; more sets `truncated`. */
  maxPrompts: number
  maxDescriptionChars: number
  /** The listing, every page included. */
  timeoutMs: number
  signal: AbortSignal
}

export interface DiscoveredPrompt {
  name: string
  title: string | null
  description: string | null
  arguments: McpPromptArgument[]
}

export interface PromptListing {
  prompts: DiscoveredPrompt[]
  skipped: { name: string; reason: string }[]
  truncated: boolean
  /** sha256 over the listing: unchanged, nothing to write. */
  hash: string
}

export const MAX_PROMPT_NAME_CHARS = 200
const MAX_ARGUMENTS = 50
const MAX_ARGUMENT_NAME_CHARS = 100

/** Every prompt the server lists; none when it has no prompts capability. */
export async function discoverPrompts(
  connection: McpConnection,
  limits: PromptLimits,
): Promise<PromptListing> {
  if (!connection.client.getServerCapabilities()?.prompts) return listingOf([], [], false)
  const kept: DiscoveredPrompt[] = []
  const skipped: PromptListing['skipped'] = []
  const seen = new Set<string>()
  const listing = await listPages(connection, {
    method: 'prompts/list',
    key: 'prompts',
    add: (raw) => {
      const entry = toDiscovered(raw, limits)
      if ('reason' in entry) skipped.push(entry)
      else if (seen.has(entry.name)) {
        skipped.push({ name: entry.name, reason: 'listed twice: the first one is kept' })
      } else if (kept.length >= limits.maxPrompts) return false
      else {
        seen.add(entry.name)
        kept.push(entry)
      }
      return true
    },
    maxPages: limits.maxPrompts + 1,
    maxEntries: limits.maxPrompts * 2 + 100,
    timeoutMs: limits.timeoutMs,
    signal: limits.signal,
  })
  return listingOf(kept, skipped, listing.stopReason !== undefined)
}

function toDiscovered(
  raw: unknown,
  limits: PromptLimits,
): DiscoveredPrompt | { name: string; reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { name: '(not an object)', reason: 'not a prompt object' }
  }
  const entry = raw as Record<string, unknown>
  const name = typeof entry.name === 'string' ? entry.name : ''
  // The name is sent back as is in `prompts/get`: cleaning it would name another prompt.
  if (name === '' || name.length > MAX_PROMPT_NAME_CHARS || sanitizeText(name) !== name) {
    const shown = sanitizeText(name, { maxChars: 200 })
    return {
      name: shown || '(no name)',
      reason: `invalid name: 1 to ${MAX_PROMPT_NAME_CHARS} characters, no control characters`,
    }
  }
  const args = argumentsOf(entry.arguments)
  if (typeof args === 'string') return { name, reason: args }
  const text = (value: unknown, maxChars: number, multiline = false) =>
    typeof value === 'string' ? sanitizeText(value, { maxChars, multiline }) || null : null
  return {
    name,
    title: text(entry.title, MAX_PROMPT_NAME_CHARS),
    description: text(entry.description, limits.maxDescriptionChars, true),
    arguments: args,
  }
}

/** The prompt's arguments, cleaned; a string says why they cannot be used. */
function argumentsOf(value: unknown): McpPromptArgument[] | string {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) return 'invalid arguments: not a list'
  if (value.length > MAX_ARGUMENTS) return `more than ${MAX_ARGUMENTS} arguments`
  const names = new Set<string>()
  const kept: McpPromptArgument[] = []
  for (const raw of value) {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
    const name = typeof entry.name === 'string' ? entry.name : ''
    if (name === '' || name.length > MAX_ARGUMENT_NAME_CHARS || sanitizeText(name) !== name) {
      return `invalid argument name: 1 to ${MAX_ARGUMENT_NAME_CHARS} characters`
    }
    if (names.has(name)) return `argument "${name}" listed twice`
    names.add(name)
    const title =
      typeof entry.title === 'string' ? sanitizeText(entry.title, { maxChars: 200 }) : ''
    const description =
      typeof entry.description === 'string'
        ? sanitizeText(entry.description, { maxChars: 1000, multiline: true })
        : ''
    kept.push({
      name,
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      required: entry.required === true,
    })
  }
  return kept
}

function listingOf(
  prompts: DiscoveredPrompt[],
  skipped: PromptListing['skipped'],
  truncated: boolean,
): PromptListing {
  const hash = createHash('sha256').update(JSON.stringify(prompts)).digest('hex')
  return { prompts, skipped, truncated, hash }
}
