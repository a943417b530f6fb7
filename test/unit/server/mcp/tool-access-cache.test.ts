import { describe, expect, it } from 'vitest'
import { createToolAccessCache } from '../../../../src/server/mcp/catalog/access-cache.ts'

/** A loader that counts its calls and returns `{ n }` for the n-th. */
function counter() {
  let calls = 0
  const load = async () => {
    calls += 1
    return { n: calls }
  }
  return { load, calls: () => calls }
}

describe('tool access cache', () => {
  it('remembers a value per user and key', async () => {
    const cache = createToolAccessCache()
    const c = counter()
    expect(await cache.remember('u1', 'k', c.load)).toEqual({ n: 1 })
    expect(await cache.remember('u1', 'k', c.load)).toEqual({ n: 1 })
    expect(await cache.remember('u1', 'other', c.load)).toEqual({ n: 2 })
    expect(await cache.remember('u2', 'k', c.load)).toEqual({ n: 3 })
    expect(c.calls()).toBe(3)
  })

  it('loads once for concurrent callers', async () => {
    const cache = createToolAccessCache()
    const c = counter()
    const all = await Promise.all(
      Array.from({ length: 10 }, () => cache.remember('u', 'k', c.load)),
    )
    expect(new Set(all).size).toBe(1)
    expect(c.calls()).toBe(1)
  })

  it("forgets one user's entries on their change, and everyone's on a shared change", async () => {
    const cache = createToolAccessCache()
    const c = counter()
    await cache.remember('u1', 'k', c.load)
    await cache.remember('u2', 'k', c.load)
    cache.invalidate('u1')
    expect(await cache.remember('u1', 'k', c.load)).toEqual({ n: 3 })
    expect(await cache.remember('u2', 'k', c.load)).toEqual({ n: 2 })
    cache.invalidate(null)
    expect(await cache.remember('u1', 'k', c.load)).toEqual({ n: 4 })
    expect(await cache.remember('u2', 'k', c.load)).toEqual({ n: 5 })
  })

  it('does not keep what a load read while the user changed', async () => {
    const cache = createToolAccessCache()
    let release = () => {}
    const slow = cache.remember(
      'u',
      'k',
      () =>
        new Promise<{ stale: boolean }>((resolve) => (release = () => resolve({ stale: true }))),
    )
    cache.invalidate('u')
    release()
    expect(await slow).toEqual({ stale: true })
    expect(await cache.remember('u', 'k', async () => ({ stale: false }))).toEqual({ stale: false })
  })

  it('does not remember a miss or a failure', async () => {
    const cache = createToolAccessCache()
    expect(await cache.remember('u', 'k', async () => undefined)).toBeUndefined()
    await expect(
      cache.remember('u', 'k', async () => {
        throw new Error('db down')
      }),
    ).rejects.toThrow('db down')
    expect(await cache.remember('u', 'k', async () => ({ found: true }))).toEqual({ found: true })
  })

  it('expires entries after the ttl', async () => {
    const cache = createToolAccessCache({ ttlMs: 20 })
    const c = counter()
    await cache.remember('u', 'k', c.load)
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(await cache.remember('u', 'k', c.load)).toEqual({ n: 2 })
  })

  it('evicts the least recently used past its size budget', async () => {
    const cache = createToolAccessCache({ maxSize: 10 })
    const c = counter()
    await cache.remember('u', 'big', c.load, () => 8)
    await cache.remember('u', 'small', c.load, () => 3)
    expect(await cache.remember('u', 'big', c.load)).toEqual({ n: 3 })
  })
})
