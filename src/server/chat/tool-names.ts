import { createHash } from 'node:crypto'
import { SEARCH_TOOLS_NAME } from '../../shared/chat.ts'

/** OpenAI and OpenRouter accept function names of at most 64 characters from this set. */
export const FUNCTION_NAME_MAX = 64
const SEPARATOR = '__'
const SUFFIX_LENGTH = 7 // "_" + 6 hex characters

/** The fields of a tool that decide its function name. */
export interface NamedTool {
  id: string
  name: string
  server_name: string
  created_at: Date
}

/**
 * Function names for tools: `<server>__<tool>`, every character outside `[a-zA-Z0-9_-]` replaced
 * by `_`. A name longer than 64 characters is cut and gets `_<6 hex of the tool id>`; when names
 * still collide (compared case-insensitively, as some providers do), the tool whose name needed
 * no change wins, then the oldest, and the others get the suffix. A tool keeps its name as long
 * as the set it collides with does not change, so approvals and history stay meaningful.
 *
 * @returns function name -> tool, in the input's order
 */
export function assignFunctionNames<T extends NamedTool>(tools: readonly T[]): Map<string, T> {
  const candidates = tools.map((tool) => ({ tool, ...baseName(tool) }))
  const groups = new Map<string, typeof candidates>()
  for (const candidate of candidates) {
    const key = candidate.name.toLowerCase()
    groups.set(key, [...(groups.get(key) ?? []), candidate])
  }
  const byName = new Map<string, T>()
  const taken = new Set<string>([SEARCH_TOOLS_NAME])
  const assigned = new Map<T, string>()
  const losers: (typeof candidates)[number][] = []
  for (const group of groups.values()) {
    const [winner, ...rest] = [...group].sort(
      (a, b) =>
        Number(b.exact) - Number(a.exact) ||
        a.tool.created_at.getTime() - b.tool.created_at.getTime() ||
        a.tool.id.localeCompare(b.tool.id),
    )
    if (winner && !taken.has(winner.name.toLowerCase())) {
      taken.add(winner.name.toLowerCase())
      assigned.set(winner.tool, winner.name)
    } else if (winner) {
      losers.push(winner)
    }
    losers.push(...rest)
  }
  for (const loser of losers) {
    let salt = 0
    let name = withSuffix(loser.name, loser.tool.id, salt)
    while (taken.has(name.toLowerCase())) {
      salt += 1
      name = withSuffix(loser.name, loser.tool.id, salt)
    }
    taken.add(name.toLowerCase())
    assigned.set(loser.tool, name)
  }
  for (const tool of tools) byName.set(assigned.get(tool) as string, tool)
  return byName
}

function baseName(tool: NamedTool): { name: string; exact: boolean } {
  const server = sanitize(tool.server_name) || 'server'
  const name = sanitize(tool.name) || 'tool'
  const full = `${server}${SEPARATOR}${name}`
  const exact = full === `${tool.server_name}${SEPARATOR}${tool.name}`
  if (full.length <= FUNCTION_NAME_MAX) return { name: full, exact }
  return { name: withSuffix(full, `${tool.server_name}\0${tool.name}`, 0), exact: false }
}

function withSuffix(name: string, seed: string, salt: number): string {
  const hash = createHash('sha256').update(`${seed}\0${salt}`).digest('hex').slice(0, 6)
  return `${name.slice(0, FUNCTION_NAME_MAX - SUFFIX_LENGTH)}_${hash}`
}

function sanitize(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_')
}
