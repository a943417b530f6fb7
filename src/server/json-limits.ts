/**
 * Limits on the shape of JSON that comes from outside (request bodies, tool arguments, server
 * schemas). Every walk over such a value here is iterative: a recursive one (JSON.stringify,
 * a naive visitor) runs out of stack on a few thousand levels and takes the process with it.
 *
 * @module
 */

import { type ErrorReason, reasonOf } from '../shared/error-reasons.ts'

/** Nesting deeper than this is refused everywhere; real payloads stay far below it. */
export const MAX_JSON_DEPTH = 64

/** Path segments named in an error, at most: a path 5,000 levels deep is not worth printing. */
const MAX_PATH_SEGMENTS = 4

export interface JsonProblem {
  /** Dotted path to the offending value, shortened with '…' (`list.0.0.0…`). */
  field: string
  message: string
  reason: ErrorReason
}

interface Frame {
  value: unknown
  depth: number
  key: string | null
  parent: Frame | null
}

/**
 * The first place where `value` nests deeper than `maxDepth` containers or holds a NUL
 * character (in a string or a key: PostgreSQL text cannot store it), or null when it is fine.
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const stack: Frame[] = [{ value, depth: 0, key: null, parent: null }]
  while (stack.length > 0) {
    const frame = stack.pop() as Frame
    const item = frame.value
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return problemAt(frame, NUL_MESSAGE, NUL_REASON)
      continue
    }
    if (typeof item !== 'object' || item === null) continue
    if (frame.depth >= maxDepth) {
      const reason = reasonOf('request.tooDeep', { depth: maxDepth })
      return problemAt(frame, `nested deeper than ${maxDepth} levels`, reason)
    }
    const entries = Array.isArray(item) ? item.entries() : Object.entries(item)
    for (const [key, child] of entries) {
      const name = String(key)
      if (name.includes('\u0000'))
        return problemAt({ ...frame, key: name }, NUL_MESSAGE, NUL_REASON)
      stack.push({ value: child, depth: frame.depth + 1, key: name, parent: frame })
    }
  }
  return null
}

const NUL_MESSAGE = 'contains a NUL character (\\u0000), which text cannot hold'
const NUL_REASON = reasonOf('request.nul', {})

function problemAt(frame: Frame, message: string, reason: ErrorReason): JsonProblem {
  const keys: string[] = []
  for (let at: Frame | null = frame; at; at = at.parent) if (at.key !== null) keys.push(at.key)
  keys.reverse()
  const shown = keys.slice(0, MAX_PATH_SEGMENTS).join('.')
  return { field: keys.length > MAX_PATH_SEGMENTS ? `${shown}…` : shown, message, reason }
}
