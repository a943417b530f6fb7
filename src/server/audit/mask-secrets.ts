/** What a masked value is stored as. */
export const MASK = '••••••'

/** Keys masked when no list is given (the config default of `toolCalls.secretKeys`). */
export const DEFAULT_SECRET_KEYS = ['password', 'token', 'secret', 'apiKey', 'authorization']

/**
 * A copy of `value` in which every property whose key looks like a secret has its value
 * replaced by MASK, at any depth. A key matches when, lower-cased and stripped of `-` and `_`,
 * it contains one of the names (`api_key`, `X-Api-Key`, `refreshToken` all match `apiKey` /
 * `token`).
 */
export function maskSecrets<T>(value: T, keys: readonly string[] = DEFAULT_SECRET_KEYS): T {
  const needles = keys.map(normalize).filter(Boolean)
  const visit = (node: unknown, depth: number): unknown => {
    if (depth > 64 || node === null || typeof node !== 'object') return node
    if (Array.isArray(node)) return node.map((item) => visit(item, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(node)) {
      const name = normalize(key)
      out[key] = needles.some((needle) => name.includes(needle)) ? MASK : visit(inner, depth + 1)
    }
    return out
  }
  return visit(value, 0) as T
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '')
}
