import type { Insertable, Selectable } from 'kysely'
import { sql } from 'kysely'
import { reasonOf } from '../../shared/error-reasons.ts'
import type { ToolCallStatus } from '../../shared/tool-calls.ts'
import type { Db } from './database.ts'
import type { McpToolCallsTable } from './schema.ts'

export type ToolCallRow = Selectable<McpToolCallsTable>
/** A whole call as the service holds it; written with upsert, so any state can be (re)written. */
export type ToolCallRecord = Insertable<McpToolCallsTable> & { id: string }

const WRITABLE = [
  'server_id',
  'tool_id',
  'conversation_id',
  'message_id',
  'mode',
  'output',
  'status',
  'error_code',
  'error',
  'error_reason',
  'progress',
  'started_at',
  'finished_at',
  'duration_ms',
  'updated_at',
] as const

/**
 * Writes a batch of calls in one statement: new ones are inserted, known ones get their latest
 * state. The caller never sends two states of one call in a batch, and never runs two batches
 * at once, so an older state cannot overwrite a newer one.
 */
export async function upsertToolCalls(db: Db, records: ToolCallRecord[]): Promise<void> {
  // PostgreSQL caps a statement at 65,535 parameters (21 columns each).
  for (let i = 0; i < records.length; i += 1000) {
    await db
      .insertInto('mcp_tool_calls')
      .values(records.slice(i, i + 1000).map(withoutUnstorable))
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) =>
            Object.fromEntries(WRITABLE.map((column) => [column, eb.ref(`excluded.${column}`)])),
          ),
      )
      .execute()
  }
}

const JSON_COLUMNS = ['input', 'output', 'progress', 'error_reason'] as const
const TEXT_COLUMNS = ['server_name', 'tool_name', 'message_id', 'error_code', 'error'] as const
/**
 * `\u0000` or a lone surrogate (`JSON.stringify` escapes only lone ones) after an odd run of
 * backslashes: an even run is escaped backslashes, and the `u…` after it plain text.
 */
const UNSTORABLE_ESCAPE = /(\\+)u(?:0000|d[89a-f][0-9a-f]{2})/g

/**
 * PostgreSQL stores neither NUL (in text or jsonb) nor a lone UTF-16 surrogate (in jsonb): it
 * refuses the row (22P05, 22P02, 22021). Arguments, results and error messages come from users
 * and their servers, and one such character would make the call's row unwritable. Each becomes
 * U+FFFD, the replacement character.
 */
function withoutUnstorable(record: ToolCallRecord): ToolCallRecord {
  let copy: ToolCallRecord | null = null
  for (const column of JSON_COLUMNS) {
    const text = record[column]
    if (typeof text !== 'string' || !text.includes('\\u')) continue
    const stored = text.replace(UNSTORABLE_ESCAPE, (run: string, slashes: string) =>
      slashes.length % 2 === 1 ? `${slashes.slice(1)}\\ufffd` : run,
    )
    if (stored === text) continue
    copy ??= { ...record }
    copy[column] = stored
  }
  for (const column of TEXT_COLUMNS) {
    const text = record[column]
    if (typeof text === 'string' && text.includes('\0')) {
      copy ??= { ...record }
      copy[column] = text.replaceAll('\0', '\ufffd')
    }
  }
  return copy ?? record
}

export async function findToolCallForUser(
  db: Db,
  input: { userId: string; id: string },
): Promise<ToolCallRow | undefined> {
  return db
    .selectFrom('mcp_tool_calls')
    .selectAll()
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
}

export interface ToolCallFilter {
  userId: string
  serverId?: string | undefined
  toolName?: string | undefined
  status?: ToolCallStatus | undefined
  conversationId?: string | undefined
  /** Part of the conversation's title, any case. */
  conversation?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
}

/** Newest first; `after` is the (created_at, id) of the last row of the previous page. */
export async function listToolCalls(
  db: Db,
  input: ToolCallFilter & { limit: number; after?: { createdAt: Date; id: string } | undefined },
): Promise<ToolCallRow[]> {
  let query = filtered(db, input).selectAll()
  const { after } = input
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    )
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit).execute()
}

function filtered(db: Db, input: ToolCallFilter) {
  let query = db.selectFrom('mcp_tool_calls').where('user_id', '=', input.userId)
  if (input.serverId) query = query.where('server_id', '=', input.serverId)
  // What people type matches anywhere in the name, in any case, as they type it.
  if (input.toolName) query = query.where('tool_name', 'ilike', containing(input.toolName))
  if (input.status) query = query.where('status', '=', input.status)
  if (input.conversationId) query = query.where('conversation_id', '=', input.conversationId)
  const { conversation } = input
  if (conversation) {
    query = query.where('conversation_id', 'in', (eb) =>
      eb
        .selectFrom('conversations')
        .select('id')
        .where('user_id', '=', input.userId)
        .where('title', 'ilike', containing(conversation)),
    )
  }
  if (input.from) query = query.where('created_at', '>=', input.from)
  if (input.to) query = query.where('created_at', '<', input.to)
  return query
}

/**
 * A LIKE pattern for `text` anywhere, with LIKE's own characters taken literally: `100%` finds
 * "100%", not every name starting with "100". Backslash is PostgreSQL's default LIKE escape.
 */
/** An ILIKE pattern matching text that contains `text` literally. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

/** Calls per day and status since `from` (UTC days). */
export async function countToolCallsPerDay(
  db: Db,
  input: { userId: string; from: Date },
): Promise<{ day: string; status: ToolCallStatus; count: number }[]> {
  const day = sql<string>`to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD')`
  return db
    .selectFrom('mcp_tool_calls')
    .select([day.as('day'), 'status', sql<number>`count(*)::int`.as('count')])
    .where('user_id', '=', input.userId)
    .where('created_at', '>=', input.from)
    .groupBy([day, 'status'])
    .orderBy(day)
    .execute()
}

/** Per server since `from`: calls, failures and latency percentiles of finished calls. */
export async function toolCallLatencyPerServer(
  db: Db,
  input: { userId: string; from: Date },
): Promise<
  {
    server_id: string | null
    server_name: string
    calls: number
    errors: number
    p50: number | null
    p95: number | null
  }[]
> {
  return db
    .selectFrom('mcp_tool_calls')
    .select([
      'server_id',
      'server_name',
      sql<number>`count(*)::int`.as('calls'),
      sql<number>`count(*) filter (where status in ('failed', 'timeout', 'interrupted'))::int`.as(
        'errors',
      ),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by duration_ms) filter (where duration_ms is not null)`.as(
        'p50',
      ),
      sql<
        number | null
      >`percentile_cont(0.95) within group (order by duration_ms) filter (where duration_ms is not null)`.as(
        'p95',
      ),
    ])
    .where('user_id', '=', input.userId)
    .where('created_at', '>=', input.from)
    .groupBy(['server_id', 'server_name'])
    .orderBy('server_name')
    .execute()
}

/**
 * Calls whose instance stopped (crashed, killed, restarted) can never finish: every `pending` or
 * `running` row not touched since `staleBefore` (a live instance touches its running calls' rows
 * every heartbeat), except the calls running in the instance that asks.
 */
export async function markInterrupted(
  db: Db,
  input: { now: Date; staleBefore: Date; exceptIds?: string[] },
): Promise<ToolCallRow[]> {
  let query = db
    .updateTable('mcp_tool_calls')
    .set({
      status: 'interrupted',
      error_code: 'interrupted',
      error: 'Switchboard stopped or restarted while the call was running',
      error_reason: JSON.stringify(reasonOf('toolCall.interrupted', {})),
      finished_at: input.now,
      updated_at: input.now,
    })
    .where('status', 'in', ['pending', 'running'])
    .where('updated_at', '<', input.staleBefore)
  if (input.exceptIds?.length) query = query.where('id', 'not in', input.exceptIds)
  return query.returningAll().execute()
}
