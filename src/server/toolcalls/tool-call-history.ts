import { reasonOf } from '../../shared/error-reasons.ts'
import type {
  ToolCallList,
  ToolCallListQuery,
  ToolCallStats,
  ToolCallStatus,
} from '../../shared/tool-calls.ts'
import type { Db } from '../db/database.ts'
import {
  countToolCallsPerDay,
  listToolCalls,
  toolCallLatencyPerServer,
} from '../db/mcp-tool-calls.ts'
import { ValidationError } from '../errors.ts'
import type { ToolCallRuntime } from './runtime.ts'
import { viewOfRow } from './tool-call-views.ts'

const DAY_MS = 86_400_000

/** The log is read once the calls still queued for it are written. */
export interface ToolCallHistoryDeps {
  db: Db
  now: () => Date
  toolCalls: ToolCallRuntime
}

/** The user's calls, newest first, a page at a time. */
export async function listToolCallHistory(
  deps: Pick<ToolCallHistoryDeps, 'db' | 'toolCalls'>,
  input: { userId: string; query: ToolCallListQuery },
): Promise<ToolCallList> {
  const { query } = input
  // Calls still queued for the log would be missing from a page read right now.
  await deps.toolCalls.log.flush()
  const rows = await listToolCalls(deps.db, {
    userId: input.userId,
    serverId: query.serverId,
    toolName: query.toolName,
    status: query.status,
    conversationId: query.conversationId,
    conversation: query.conversation,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    limit: query.limit + 1,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
  })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    calls: page.map(viewOfRow),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  }
}

/** Calls per day by status, and per-server volume, errors and latency, over the last `days`. */
export async function toolCallStats(
  deps: ToolCallHistoryDeps,
  input: { userId: string; days: number },
): Promise<ToolCallStats> {
  await deps.toolCalls.log.flush()
  const today = Date.UTC(
    deps.now().getUTCFullYear(),
    deps.now().getUTCMonth(),
    deps.now().getUTCDate(),
  )
  const from = new Date(today - (input.days - 1) * DAY_MS)
  const [perDay, perServer] = await Promise.all([
    countToolCallsPerDay(deps.db, { userId: input.userId, from }),
    toolCallLatencyPerServer(deps.db, { userId: input.userId, from }),
  ])
  const days = Array.from({ length: input.days }, (_, i) => ({
    day: new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10),
    counts: {} as Partial<Record<ToolCallStatus, number>>,
  }))
  const byDay = new Map(days.map((entry) => [entry.day, entry]))
  for (const row of perDay) {
    const entry = byDay.get(row.day)
    if (entry) entry.counts[row.status] = row.count
  }
  return {
    days,
    servers: perServer.map((row) => ({
      serverId: row.server_id,
      serverName: row.server_name,
      calls: row.calls,
      errors: row.errors,
      errorRate: row.calls ? row.errors / row.calls : 0,
      p50Ms: row.p50 === null ? null : Math.round(Number(row.p50)),
      p95Ms: row.p95 === null ? null : Math.round(Number(row.p95)),
    })),
  }
}

function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(`${new Date(row.created_at).toISOString()}|${row.id}`).toString('base64url')
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const createdAt = new Date(at ?? '')
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new ValidationError([
      {
        field: 'cursor',
        message: 'not a cursor from a previous page',
        reason: reasonOf('request.badCursor', {}),
      },
    ])
  }
  return { createdAt, id }
}
