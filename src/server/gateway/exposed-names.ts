/**
 * The names the personal endpoint gives tools and prompts, by the profile's `toolNames`:
 * `prefixed` keeps the unique `server__name` (chat/tool-names.ts); `plain` uses the server's own
 * name wherever that is unambiguous, so a client that expects a server's names (a test suite, a
 * prompt written for that server) finds them.
 *
 * @module
 */
import type { ProfileToolNames } from '../../shared/mcp-profiles.ts'

/** What MCP allows as a tool name (SEP-986); a server's own name outside it stays prefixed. */
const TOOL_NAME = /^[A-Za-z0-9_./-]{1,64}$/

/**
 * `prefixed` (name -> entry, unique) renamed for the style. A plain name is used when no other
 * entry has the same own name and it does not clash with a name left prefixed (compared
 * case-insensitively, as the prefixed names are); otherwise the entry keeps its prefixed name.
 *
 * @returns exposed name -> entry, in the input's order
 */
export function exposedNames<T>(
  style: ProfileToolNames,
  prefixed: ReadonlyMap<string, T>,
  ownName: (entry: T) => string,
): Map<string, T> {
  if (style === 'prefixed') return new Map(prefixed)
  const counts = new Map<string, number>()
  for (const entry of prefixed.values()) {
    const key = ownName(entry).toLowerCase()
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const plain = new Set(
    [...prefixed.values()].filter(
      (entry) => TOOL_NAME.test(ownName(entry)) && counts.get(ownName(entry).toLowerCase()) === 1,
    ),
  )
  // A plain name may equal another entry's prefixed one (`a__b` of one server, `b` of server
  // `a`); that entry keeps its prefixed name, which may in turn clash: repeat until none does.
  for (let changed = true; changed; ) {
    changed = false
    const kept = new Set(
      [...prefixed].filter(([, entry]) => !plain.has(entry)).map(([name]) => name.toLowerCase()),
    )
    for (const entry of plain) {
      if (kept.has(ownName(entry).toLowerCase())) {
        plain.delete(entry)
        changed = true
      }
    }
  }
  return new Map(
    [...prefixed].map(([name, entry]) => [plain.has(entry) ? ownName(entry) : name, entry]),
  )
}
