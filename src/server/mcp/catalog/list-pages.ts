import { z } from 'zod'
import type { McpConnection } from '../client/connect.ts'

/** Why a listing stopped before its end. */
export type ListStopReason = 'max_items' | 'cursor_loop' | 'page_limit'

export interface PagedListing {
  /** The listing stopped early. */
  stopReason?: ListStopReason
  /** MCP 2026-07-28 (SEP-2549): the shortest freshness any page declared. */
  ttlMs?: number
}

/**
 * Walks every page of a list request (`tools/list`, `resources/list`, …), following
 * `nextCursor`, and hands each entry of `key` to `add`, which returns false when it would keep
 * one more than it may (the listing then stops with `max_items`). Stops with `cursor_loop` when
 * the server repeats a cursor, and with `page_limit` after `maxPages` pages or `maxEntries`
 * entries in all (a server flooding pages with entries that are all skipped). Pages are parsed
 * loosely: the SDK's own schema would reject a whole page for one bad entry.
 */
export async function listPages(
  connection: McpConnection,
  request: {
    method: string
    key: string
    add: (raw: unknown) => boolean
    maxPages: number
    maxEntries: number
    timeoutMs: number
    signal: AbortSignal
  },
): Promise<PagedListing> {
  const page = pageSchema(request.key)
  const cursors = new Set<string>()
  let cursor: string | undefined
  let ttlMs: number | undefined
  const done = (stopReason?: ListStopReason): PagedListing => ({
    ...(stopReason ? { stopReason } : {}),
    ...(ttlMs !== undefined ? { ttlMs } : {}),
  })
  for (let pages = 0, entries = 0; ; pages += 1) {
    if (pages >= request.maxPages) return done('page_limit')
    const params = cursor === undefined ? {} : { cursor }
    const listed = await connection.client.request({ method: request.method, params }, page, {
      signal: request.signal,
      timeout: request.timeoutMs,
    })
    // The shortest freshness of any page holds for the whole list.
    if (listed.ttlMs !== undefined) ttlMs = Math.min(ttlMs ?? listed.ttlMs, listed.ttlMs)
    for (const raw of listed[request.key] as unknown[]) {
      entries += 1
      if (entries > request.maxEntries) return done('page_limit')
      if (!request.add(raw)) return done('max_items')
    }
    const { nextCursor } = listed
    if (nextCursor === undefined || nextCursor === null) return done()
    if (cursors.has(nextCursor)) return done('cursor_loop')
    cursors.add(nextCursor)
    cursor = nextCursor
  }
}

/** A page as parsed: its entries under the list's own key (`tools`, `resources`, …). */
type Page = { nextCursor?: string | null; ttlMs?: number } & Record<string, unknown>

const pageSchemas = new Map<string, z.ZodType<Page>>()

function pageSchema(key: string): z.ZodType<Page> {
  let schema = pageSchemas.get(key)
  if (!schema) {
    schema = makePageSchema(key)
    pageSchemas.set(key, schema)
  }
  return schema
}

function makePageSchema(key: string): z.ZodType<Page> {
  return z.looseObject({
    [key]: z.array(z.unknown()),
    nextCursor: z.string().nullish(),
    ttlMs: z.number().nonnegative().optional().catch(undefined),
  }) as unknown as z.ZodType<Page>
}
